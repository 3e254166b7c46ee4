import type {
  PdIncident,
  PdIncidentStatus,
  PdLogEntry,
  PdNote,
  PdOnCall,
  PdOverride,
  PdUser,
} from '../types.js';

/**
 * Reads PagerDuty's answers into handover's types, checking the fields we rely on: a service that
 * answers something else is reported, never half-read.
 */
type Json = Record<string, unknown>;

/** A 2xx answer that is not shaped as PagerDuty documents it. */
export class MalformedAnswer extends Error {}

export function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedAnswer(`${what} is not an object`);
  }
  return value as Json;
}

export function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedAnswer(`${what} is not an array`);
  return value;
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new MalformedAnswer(`${what} is not a string`);
  return value;
}

function nullableString(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : string(value, what);
}

const STATUSES: readonly PdIncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

export function readIncident(value: unknown): PdIncident {
  const incident = object(value, 'incident');
  const status = string(incident.status, 'incident.status');
  if (!STATUSES.includes(status as PdIncidentStatus))
    throw new MalformedAnswer(`unknown incident status ${status}`);
  const assignments = array(incident.assignments ?? [], 'incident.assignments');
  return {
    id: string(incident.id, 'incident.id'),
    title: string(incident.title, 'incident.title'),
    status: status as PdIncidentStatus,
    serviceId: string(object(incident.service, 'incident.service').id, 'incident.service.id'),
    assigneeIds: assignments.map((a) =>
      string(object(object(a, 'assignment').assignee, 'assignment.assignee').id, 'assignee.id'),
    ),
    htmlUrl: string(incident.html_url, 'incident.html_url'),
    createdAt: string(incident.created_at, 'incident.created_at'),
  };
}

export function readNote(value: unknown): PdNote {
  const note = object(value, 'note');
  const user = note.user === null || note.user === undefined ? null : object(note.user, 'note.user');
  return {
    id: string(note.id, 'note.id'),
    content: string(note.content, 'note.content'),
    userId: user ? string(user.id, 'note.user.id') : null,
    createdAt: string(note.created_at, 'note.created_at'),
  };
}

export function readLogEntry(value: unknown): PdLogEntry {
  const entry = object(value, 'log entry');
  const agent =
    entry.agent === null || entry.agent === undefined ? null : object(entry.agent, 'log entry agent');
  const incident =
    entry.incident === null || entry.incident === undefined
      ? null
      : object(entry.incident, 'log entry incident');
  return {
    id: string(entry.id, 'log entry id'),
    type: string(entry.type, 'log entry type'),
    summary: string(entry.summary ?? '', 'log entry summary'),
    createdAt: string(entry.created_at, 'log entry created_at'),
    agentId: agent ? string(agent.id, 'log entry agent.id') : null,
    // The account-level log names the incident of each entry; an incident's own log need not.
    ...(incident ? { incidentId: string(incident.id, 'log entry incident.id') } : {}),
  };
}

export function readOverride(value: unknown): PdOverride {
  const override = object(value, 'override');
  return {
    id: string(override.id, 'override.id'),
    start: string(override.start, 'override.start'),
    end: string(override.end, 'override.end'),
    userId: string(object(override.user, 'override.user').id, 'override.user.id'),
  };
}

export function readOnCall(value: unknown): PdOnCall {
  const oncall = object(value, 'on-call');
  const level = oncall.escalation_level;
  if (typeof level !== 'number') throw new MalformedAnswer('on-call escalation_level is not a number');
  return {
    userId: string(object(oncall.user, 'on-call user').id, 'on-call user.id'),
    start: nullableString(oncall.start, 'on-call start'),
    end: nullableString(oncall.end, 'on-call end'),
    escalationLevel: level,
  };
}

export function readUser(value: unknown): PdUser {
  const user = object(value, 'user');
  return {
    id: string(user.id, 'user.id'),
    name: string(user.name, 'user.name'),
    email: string(user.email, 'user.email'),
    ...(typeof user.role === 'string' ? { role: user.role } : {}),
  };
}
