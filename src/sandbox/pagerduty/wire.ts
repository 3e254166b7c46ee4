import type {
  EscalationPolicyRecord,
  IncidentRecord,
  LogEntryRecord,
  NoteRecord,
  OverrideRecord,
  PagerDutyState,
  ScheduleRecord,
  ServiceRecord,
  UserRecord,
} from './model.js';
import { zonedSeconds } from './time.js';

/**
 * Renders records as the REST API v2 writes them: references carry `id`, `type`, `summary`, `self`
 * and `html_url`; `self` points at this sandbox so a client can follow it.
 */
export interface Links {
  /** This sandbox's PagerDuty base URL (what the client was given). */
  api: string;
  /** The account's web app. */
  web: string;
  /**
   * The time zone every time in an answer is rendered in: the account's, or the request's `time_zone`
   * where PagerDuty takes one. Records hold UTC instants; only the wire shows offsets.
   */
  timeZone: string;
}

/** An instant (a record's UTC string or milliseconds) as this answer renders it. */
export function wireTime(links: Links, time: string | number): string {
  return zonedSeconds(time, links.timeZone);
}

function wireTimeOrNull(links: Links, time: string | null): string | null {
  return time === null ? null : wireTime(links, time);
}

export const WEB_APP_URL = 'https://novavms.pagerduty.com';

type Json = Record<string, unknown>;

function reference(type: string, id: string, summary: string, self: string, htmlUrl: string): Json {
  return { id, type, summary, self, html_url: htmlUrl };
}

export function userReference(links: Links, state: PagerDutyState, userId: string): Json {
  const user = state.users.find((u) => u.id === userId);
  return reference(
    'user_reference',
    userId,
    user?.name ?? 'Deleted user',
    `${links.api}/users/${userId}`,
    `${links.web}/users/${userId}`,
  );
}

export function serviceReference(links: Links, service: ServiceRecord): Json {
  return reference(
    'service_reference',
    service.id,
    service.name,
    `${links.api}/services/${service.id}`,
    `${links.web}/service-directory/${service.id}`,
  );
}

export function escalationPolicyReference(links: Links, policy: EscalationPolicyRecord): Json {
  return reference(
    'escalation_policy_reference',
    policy.id,
    policy.name,
    `${links.api}/escalation_policies/${policy.id}`,
    `${links.web}/escalation_policies/${policy.id}`,
  );
}

export function scheduleReference(links: Links, schedule: ScheduleRecord): Json {
  return reference(
    'schedule_reference',
    schedule.id,
    schedule.name,
    `${links.api}/schedules/${schedule.id}`,
    `${links.web}/schedules/${schedule.id}`,
  );
}

function incidentReference(links: Links, incident: IncidentRecord): Json {
  return reference(
    'incident_reference',
    incident.id,
    incidentSummary(incident),
    `${links.api}/incidents/${incident.id}`,
    `${links.web}/incidents/${incident.id}`,
  );
}

function agentReference(links: Links, state: PagerDutyState, agent: LogEntryRecord['agent']): Json {
  if (agent.type === 'user') return userReference(links, state, agent.id);
  const service = state.services.find((s) => s.id === agent.id);
  return service
    ? serviceReference(links, service)
    : reference('service_reference', agent.id, 'Deleted service', '', '');
}

function incidentSummary(incident: IncidentRecord): string {
  return `[#${incident.number}] ${incident.title}`;
}

export function userJson(links: Links, user: UserRecord): Json {
  return {
    id: user.id,
    type: 'user',
    summary: user.name,
    self: `${links.api}/users/${user.id}`,
    html_url: `${links.web}/users/${user.id}`,
    name: user.name,
    email: user.email,
    time_zone: user.timeZone,
    color: 'purple',
    role: user.role,
    avatar_url: `https://secure.gravatar.com/avatar/${user.id.toLowerCase()}.png?d=mm&r=PG`,
    description: null,
    invitation_sent: false,
    job_title: 'Platform engineer',
    teams: [],
    contact_methods: [],
    notification_rules: [],
  };
}

export function incidentJson(links: Links, state: PagerDutyState, incident: IncidentRecord): Json {
  const service = state.services.find((s) => s.id === incident.serviceId);
  const policy = state.escalationPolicies.find((p) => p.id === service?.escalationPolicyId);
  const trigger = incident.logEntries.find((entry) => entry.type === 'trigger_log_entry');
  const resolved = incident.status === 'resolved';
  return {
    id: incident.id,
    type: 'incident',
    summary: incidentSummary(incident),
    self: `${links.api}/incidents/${incident.id}`,
    html_url: `${links.web}/incidents/${incident.id}`,
    incident_number: incident.number,
    title: incident.title,
    created_at: wireTime(links, incident.createdAt),
    updated_at: wireTime(links, incident.updatedAt),
    status: incident.status,
    incident_key: incident.incidentKey,
    service: service ? serviceReference(links, service) : undefined,
    assignments: incident.assignments.map((a) => ({
      at: wireTime(links, a.at),
      assignee: userReference(links, state, a.userId),
    })),
    assigned_via: incident.assignedVia,
    acknowledgements: incident.acknowledgements.map((a) => ({
      at: wireTime(links, a.at),
      acknowledger: userReference(links, state, a.userId),
    })),
    last_status_change_at: wireTime(links, incident.lastStatusChangeAt),
    last_status_change_by: agentReference(links, state, incident.lastStatusChangeBy),
    resolved_at: wireTimeOrNull(links, incident.resolvedAt),
    first_trigger_log_entry: trigger
      ? reference(
          'trigger_log_entry_reference',
          trigger.id,
          trigger.summary,
          `${links.api}/log_entries/${trigger.id}?incident_id=${incident.id}`,
          `${links.web}/incidents/${incident.id}/log_entries/${trigger.id}`,
        )
      : undefined,
    alert_counts: { all: 1, triggered: resolved ? 0 : 1, resolved: resolved ? 1 : 0 },
    is_mergeable: true,
    incident_type: { name: 'incident_default' },
    escalation_policy: policy ? escalationPolicyReference(links, policy) : undefined,
    teams: [],
    pending_actions: [],
    urgency: incident.urgency,
  };
}

export function noteJson(links: Links, state: PagerDutyState, note: NoteRecord): Json {
  return {
    id: note.id,
    user: userReference(links, state, note.userId),
    channel: { summary: 'The PagerDuty website or APIs' },
    content: note.content,
    created_at: wireTime(links, note.createdAt),
    updated_at: wireTime(links, note.createdAt),
  };
}

export function logEntryJson(
  links: Links,
  state: PagerDutyState,
  incident: IncidentRecord,
  entry: LogEntryRecord,
): Json {
  const service = state.services.find((s) => s.id === incident.serviceId);
  return {
    id: entry.id,
    type: entry.type,
    summary: entry.summary,
    self: `${links.api}/log_entries/${entry.id}?incident_id=${incident.id}`,
    html_url: `${links.web}/incidents/${incident.id}/log_entries/${entry.id}`,
    created_at: wireTime(links, entry.createdAt),
    agent: agentReference(links, state, entry.agent),
    channel: { type: entry.channelType, ...(entry.note !== undefined ? { summary: entry.note } : {}) },
    service: service ? serviceReference(links, service) : undefined,
    incident: incidentReference(links, incident),
    teams: [],
    contexts: [],
    ...(entry.assigneeIds
      ? { assignees: entry.assigneeIds.map((id) => userReference(links, state, id)) }
      : {}),
    ...(entry.note !== undefined ? { note: entry.note } : {}),
  };
}

export function overrideJson(
  links: Links,
  state: PagerDutyState,
  override: Pick<OverrideRecord, 'start' | 'end' | 'userId'> & { id?: string },
): Json {
  return {
    ...(override.id ? { id: override.id } : {}),
    start: wireTime(links, override.start),
    end: wireTime(links, override.end),
    user: userReference(links, state, override.userId),
  };
}

export function oncallJson(
  links: Links,
  state: PagerDutyState,
  entry: {
    userId: string;
    schedule: ScheduleRecord;
    policy: EscalationPolicyRecord;
    level: number;
    start: number;
    end: number;
  },
): Json {
  return {
    escalation_policy: escalationPolicyReference(links, entry.policy),
    escalation_level: entry.level,
    schedule: scheduleReference(links, entry.schedule),
    user: userReference(links, state, entry.userId),
    start: wireTime(links, entry.start),
    end: wireTime(links, entry.end),
  };
}
