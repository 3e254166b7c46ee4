/**
 * The PagerDuty emulator's whole world as plain JSON: what `snapshot()` returns and `restore()` takes.
 * Records hold ids, never nested wire objects; src/sandbox/pagerduty/wire.ts renders them as the
 * REST API v2 does.
 */

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
  role: 'admin' | 'user' | 'limited_user' | 'observer' | 'owner';
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
export interface RotationRecord {
  userIds: string[];
  /** A hand-off instant (ISO); turns before it are computed backwards, so the layer has no gaps. */
  start: string;
  turnLengthSeconds: number;
}

export interface OverrideRecord {
  id: string;
  start: string;
  end: string;
  userId: string;
  createdAt: string;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  timeZone: string;
  rotation: RotationRecord;
  /** In creation order: where two overlap, the later one wins (as in PagerDuty). */
  overrides: OverrideRecord[];
}

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
    typeof state.nextIncidentNumber === 'number'
  );
}
