import { createHash } from 'node:crypto';
import { SEED_IDS } from '../roster.js';
import { type OverrideRecord, onCallAt, type ScheduleRecord } from './rotation.js';
import { DEFAULT_ACCOUNT_TIME_ZONE, isoSeconds, isTimeZone } from './time.js';

/**
 * The PagerDuty emulator's whole world as plain JSON: what `snapshot()` returns and `restore()` takes.
 * Records hold ids, never nested wire objects; src/sandbox/pagerduty/wire.ts renders them as the
 * REST API v2 does.
 */

/** Schedules' records live beside the on-call computation that reads them (./rotation.ts). */
export type { OverrideRecord, RotationRecord, ScheduleRecord } from './rotation.js';

/** Roles that may read but not act on incidents (PagerDuty's "User Roles" page). */
export const READ_ONLY_ROLES: ReadonlySet<UserRecord['role']> = new Set([
  'observer',
  'read_only_user',
  'read_only_limited_user',
  'restricted_access',
]);

/**
 * The kind of REST API key the sandbox's token is. An account key is general (reads and writes, acting
 * as the `From` user) or read-only; a user-level token acts as its owner whatever `From` says.
 */
export type ApiKeyKind = { kind: 'general' } | { kind: 'read-only' } | { kind: 'user'; userId: string };

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export type LogEntryType =
  | 'trigger_log_entry'
  | 'notify_log_entry'
  | 'acknowledge_log_entry'
  | 'unacknowledge_log_entry'
  | 'assign_log_entry'
  | 'annotate_log_entry'
  | 'resolve_log_entry';

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  role:
    | 'admin'
    | 'user'
    | 'limited_user'
    | 'observer'
    | 'owner'
    | 'read_only_user'
    | 'read_only_limited_user'
    | 'restricted_access';
}

export interface ServiceRecord {
  id: string;
  name: string;
  escalationPolicyId: string;
}

export interface EscalationPolicyRecord {
  id: string;
  name: string;
  /** Level 1 first: the schedules each level pages. A schedule on two levels yields two on-calls per shift. */
  levels: { scheduleIds: string[] }[];
}

/** One rotation layer: turns of equal length, handed from user to user in order, repeating forever. */
export interface NoteRecord {
  id: string;
  userId: string;
  content: string;
  createdAt: string;
}

export interface LogEntryRecord {
  id: string;
  type: LogEntryType;
  createdAt: string;
  agent: { type: 'user' | 'service'; id: string };
  /** How the action arrived: `api`, `website`, `note`, `auto`, `sms`… */
  channelType: string;
  summary: string;
  /** assign_log_entry: who it was assigned to. */
  assigneeIds?: string[];
  /** annotate_log_entry: the note's text. */
  note?: string;
}

export interface IncidentRecord {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  status: IncidentStatus;
  urgency: 'high' | 'low';
  incidentKey: string;
  createdAt: string;
  updatedAt: string;
  lastStatusChangeAt: string;
  /** The agent of the last status change: a user, or the service when it triggered. */
  lastStatusChangeBy: { type: 'user' | 'service'; id: string };
  resolvedAt: string | null;
  assignedVia: 'escalation_policy' | 'direct_assignment';
  assignments: { userId: string; at: string }[];
  acknowledgements: { userId: string; at: string }[];
  /** Oldest first. */
  notes: NoteRecord[];
  /** Oldest first. */
  logEntries: LogEntryRecord[];
}

export interface PagerDutyState {
  version: 1;
  users: UserRecord[];
  services: ServiceRecord[];
  escalationPolicies: EscalationPolicyRecord[];
  schedules: ScheduleRecord[];
  incidents: IncidentRecord[];
  nextIncidentNumber: number;
  /**
   * The account's time zone (an IANA name), which answers render times in. Absent in states saved before
   * it existed: they get the default (./time.ts).
   */
  timeZone?: string;
}

export function emptyState(): PagerDutyState {
  return {
    version: 1,
    users: [],
    services: [],
    escalationPolicies: [],
    schedules: [],
    incidents: [],
    nextIncidentNumber: 1,
    timeZone: DEFAULT_ACCOUNT_TIME_ZONE,
  };
}

/** A light structural check on saved state: enough to refuse a file from another tool or version. */
export function isPagerDutyState(value: unknown): value is PagerDutyState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    state.version === 1 &&
    ['users', 'services', 'escalationPolicies', 'schedules', 'incidents'].every((key) =>
      Array.isArray(state[key]),
    ) &&
    typeof state.nextIncidentNumber === 'number' &&
    (state.timeZone === undefined || isTimeZone(state.timeZone))
  );
}

/**
 * The changes PagerDuty makes to its world, shared by the HTTP handlers and the emulator's control
 * methods so that both leave the same trail (assignments, acknowledgements, log entries).
 * Callers validate input first; these functions only apply it.
 */
export interface ModelContext {
  state: PagerDutyState;
  now(): Date;
  nextId(prefix: string): string;
}

/** What a test or the demo says about an incident it adds; everything else gets a realistic default. */
export interface NewIncident {
  title: string;
  /** Default: the platform-ops service of the seed world. */
  serviceId?: string;
  /**
   * Default: triggered. The first assignee acknowledges or resolves it; without assignees an
   * acknowledged incident stays triggered and a resolved one resolves automatically.
   */
  status?: IncidentStatus;
  /**
   * Default: whoever the service's escalation policy has on call now. A resolved incident keeps
   * none (PagerDuty's rule), so `user_ids[]` never finds it.
   */
  assigneeIds?: string[];
  /** Default: now. */
  createdAt?: string;
  urgency?: 'high' | 'low';
  /** Default: a new PagerDuty-style id. */
  id?: string;
  /** Default: the account's next incident number (`incident_number`, which GET /incidents/{id} also takes). */
  number?: number;
}

export function findUser(state: PagerDutyState, id: string): UserRecord | undefined {
  return state.users.find((u) => u.id === id);
}

export function findUserByEmail(state: PagerDutyState, email: string): UserRecord | undefined {
  const wanted = email.trim().toLowerCase();
  return state.users.find((u) => u.email.toLowerCase() === wanted);
}

export function findIncident(state: PagerDutyState, id: string): IncidentRecord | undefined {
  return state.incidents.find((i) => i.id === id);
}

export function findSchedule(state: PagerDutyState, id: string): ScheduleRecord | undefined {
  return state.schedules.find((s) => s.id === id);
}

function userName(state: PagerDutyState, id: string): string {
  return findUser(state, id)?.name ?? id;
}

function log(
  ctx: ModelContext,
  incident: IncidentRecord,
  entry: Omit<LogEntryRecord, 'id' | 'createdAt'> & { createdAt?: string },
): void {
  incident.logEntries.push({
    id: ctx.nextId('R'),
    createdAt: entry.createdAt ?? isoSeconds(ctx.now()),
    ...entry,
  });
}

/** Who the service's escalation policy pages first at this moment, if anyone. */
export function firstResponder(ctx: ModelContext, serviceId: string): string | null {
  const service = ctx.state.services.find((s) => s.id === serviceId);
  const policy = ctx.state.escalationPolicies.find((p) => p.id === service?.escalationPolicyId);
  for (const scheduleId of policy?.levels[0]?.scheduleIds ?? []) {
    const schedule = findSchedule(ctx.state, scheduleId);
    const userId = schedule ? onCallAt(schedule, ctx.now().getTime()) : null;
    if (userId) return userId;
  }
  return null;
}

/** Triggers an incident the way an alert would, then brings it to the requested status. */
export function createIncident(ctx: ModelContext, input: NewIncident): IncidentRecord {
  const serviceId = input.serviceId ?? SEED_IDS.pagerdutyServiceId;
  const createdAt = input.createdAt ?? isoSeconds(ctx.now());
  const id = input.id ?? ctx.nextId('Q');
  const responder = firstResponder(ctx, serviceId);
  const assigneeIds = input.assigneeIds ?? (responder ? [responder] : []);
  const incident: IncidentRecord = {
    id,
    number: input.number ?? ctx.state.nextIncidentNumber++,
    title: input.title,
    serviceId,
    status: 'triggered',
    urgency: input.urgency ?? 'high',
    incidentKey: createHash('md5').update(id).digest('hex'),
    createdAt,
    updatedAt: createdAt,
    lastStatusChangeAt: createdAt,
    lastStatusChangeBy: { type: 'service', id: serviceId },
    resolvedAt: null,
    assignedVia: 'escalation_policy',
    assignments: assigneeIds.map((userId) => ({ userId, at: createdAt })),
    acknowledgements: [],
    notes: [],
    logEntries: [],
  };
  ctx.state.incidents.push(incident);
  log(ctx, incident, {
    type: 'trigger_log_entry',
    createdAt,
    agent: { type: 'service', id: serviceId },
    channelType: 'api',
    summary: 'Triggered through the API.',
  });
  if (assigneeIds.length > 0) {
    log(ctx, incident, {
      type: 'assign_log_entry',
      createdAt,
      agent: { type: 'service', id: serviceId },
      channelType: 'auto',
      summary: `Assigned to ${assigneeIds.map((u) => userName(ctx.state, u)).join(', ')}.`,
      assigneeIds,
    });
  }
  for (const userId of assigneeIds) {
    log(ctx, incident, {
      type: 'notify_log_entry',
      createdAt,
      agent: { type: 'user', id: userId },
      channelType: 'sms',
      summary: `Notified ${userName(ctx.state, userId)} by SMS.`,
    });
  }
  const status = input.status ?? 'triggered';
  const firstAssignee = assigneeIds[0];
  if (status === 'acknowledged' && firstAssignee) acknowledge(ctx, incident, firstAssignee, 'mobile');
  if (status === 'resolved') resolve(ctx, incident, firstAssignee ?? null);
  return incident;
}

function changeStatus(
  ctx: ModelContext,
  incident: IncidentRecord,
  status: IncidentStatus,
  agent: IncidentRecord['lastStatusChangeBy'],
): void {
  const at = isoSeconds(ctx.now());
  incident.status = status;
  incident.lastStatusChangeAt = at;
  incident.lastStatusChangeBy = agent;
  incident.updatedAt = at;
}

/** Sets exactly these assignees; the incident goes back to triggered (acknowledgements are cleared). */
export function assign(
  ctx: ModelContext,
  incident: IncidentRecord,
  userIds: string[],
  actorId: string,
): void {
  const at = isoSeconds(ctx.now());
  if (incident.status !== 'triggered')
    changeStatus(ctx, incident, 'triggered', { type: 'user', id: actorId });
  incident.assignments = userIds.map((userId) => ({ userId, at }));
  incident.acknowledgements = [];
  incident.assignedVia = 'direct_assignment';
  incident.updatedAt = at;
  log(ctx, incident, {
    type: 'assign_log_entry',
    agent: { type: 'user', id: actorId },
    channelType: 'website',
    summary: `Assigned to ${userIds.map((u) => userName(ctx.state, u)).join(', ')} by ${userName(ctx.state, actorId)}.`,
    assigneeIds: userIds,
  });
}

/** Acknowledging makes the acting user an assignee too, as PagerDuty does. */
export function acknowledge(
  ctx: ModelContext,
  incident: IncidentRecord,
  actorId: string,
  channelType = 'website',
): void {
  const at = isoSeconds(ctx.now());
  if (incident.status !== 'acknowledged')
    changeStatus(ctx, incident, 'acknowledged', { type: 'user', id: actorId });
  if (!incident.assignments.some((a) => a.userId === actorId))
    incident.assignments.push({ userId: actorId, at });
  if (!incident.acknowledgements.some((a) => a.userId === actorId)) {
    incident.acknowledgements.push({ userId: actorId, at });
  }
  incident.updatedAt = at;
  log(ctx, incident, {
    type: 'acknowledge_log_entry',
    agent: { type: 'user', id: actorId },
    channelType,
    summary: `Acknowledged by ${userName(ctx.state, actorId)}.`,
  });
}

export function unacknowledge(ctx: ModelContext, incident: IncidentRecord, actorId: string): void {
  changeStatus(ctx, incident, 'triggered', { type: 'user', id: actorId });
  incident.acknowledgements = [];
  log(ctx, incident, {
    type: 'unacknowledge_log_entry',
    agent: { type: 'user', id: actorId },
    channelType: 'website',
    summary: `Unacknowledged by ${userName(ctx.state, actorId)}.`,
  });
}

/** A resolved incident has no assignments or acknowledgements left (PagerDuty's Incident schema). */
export function resolve(ctx: ModelContext, incident: IncidentRecord, actorId: string | null): void {
  const agent = actorId
    ? ({ type: 'user', id: actorId } as const)
    : ({ type: 'service', id: incident.serviceId } as const);
  changeStatus(ctx, incident, 'resolved', agent);
  incident.resolvedAt = incident.lastStatusChangeAt;
  incident.assignments = [];
  incident.acknowledgements = [];
  log(ctx, incident, {
    type: 'resolve_log_entry',
    agent,
    channelType: actorId ? 'website' : 'auto',
    summary: actorId ? `Resolved by ${userName(ctx.state, actorId)}.` : 'Resolved automatically.',
  });
}

/** Reopening a resolved incident assigns it as given, or to whoever is on call now. */
export function reopen(
  ctx: ModelContext,
  incident: IncidentRecord,
  actorId: string,
  assigneeIds?: string[],
): void {
  changeStatus(ctx, incident, 'triggered', { type: 'user', id: actorId });
  incident.resolvedAt = null;
  const responder = firstResponder(ctx, incident.serviceId);
  const userIds = assigneeIds ?? (responder ? [responder] : []);
  incident.assignments = userIds.map((userId) => ({ userId, at: incident.lastStatusChangeAt }));
  log(ctx, incident, {
    type: 'trigger_log_entry',
    agent: { type: 'user', id: actorId },
    channelType: 'website',
    summary: `Reopened by ${userName(ctx.state, actorId)}.`,
  });
}

/** Notes are append-only: PagerDuty has no way to edit or delete one through the API. */
export function addNote(
  ctx: ModelContext,
  incident: IncidentRecord,
  actorId: string,
  content: string,
): NoteRecord {
  const note: NoteRecord = {
    id: ctx.nextId('PN'),
    userId: actorId,
    content,
    createdAt: isoSeconds(ctx.now()),
  };
  incident.notes.push(note);
  incident.updatedAt = note.createdAt;
  log(ctx, incident, {
    type: 'annotate_log_entry',
    createdAt: note.createdAt,
    agent: { type: 'user', id: actorId },
    channelType: 'note',
    summary: 'Note added',
    note: content,
  });
  return note;
}

export function createOverride(
  ctx: ModelContext,
  schedule: ScheduleRecord,
  override: { start: string; end: string; userId: string },
): OverrideRecord {
  const record: OverrideRecord = {
    id: ctx.nextId('PO'),
    start: override.start,
    end: override.end,
    userId: override.userId,
    createdAt: isoSeconds(ctx.now()),
  };
  schedule.overrides.push(record);
  return record;
}
