import type { SandboxRequest, SandboxResponse } from '../types.js';
import { incidentAlreadyResolved, invalidInput, notFound, pdError, requestTooLarge } from './errors.js';
import type { IncidentRecord, IncidentStatus, PagerDutyState } from './model.js';
import {
  acknowledge,
  addNote,
  assign,
  findIncident,
  findUser,
  reopen,
  resolve,
  unacknowledge,
} from './model.js';
import { isPageRequest, pageFields, paginate, readPageRequest } from './pagination.js';
import {
  type HandlerContext,
  isResponse,
  objectBody,
  queryList,
  requireActor,
  zonedLinks,
} from './requests.js';
import { DAY_MS, parseInstant } from './time.js';
import { incidentJson, logEntryJson, noteJson } from './wire.js';

const STATUSES: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];
/** PagerDuty's bulk update takes at most this many incidents. */
const BULK_UPDATE_MAX = 250;
const DEFAULT_RANGE_MS = 30 * DAY_MS;
const MAX_RANGE_MS = 183 * DAY_MS;

function ok(body: unknown, status = 200): SandboxResponse {
  return { status, body };
}

/**
 * GET /incidents. Without `date_range=all`, only incidents created in [since, until] are listed,
 * and that range defaults to the last month: an older open incident is invisible unless the
 * client asks for every date, exactly as on PagerDuty.
 */
export function listIncidents(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const statuses = queryList(req.query, 'statuses');
  if (statuses.some((s) => !STATUSES.includes(s as IncidentStatus))) {
    return invalidInput('Status must be a list of triggered, acknowledged, or resolved.');
  }
  const serviceIds = queryList(req.query, 'service_ids');
  const userIds = queryList(req.query, 'user_ids');
  const range = readDateRange(ctx, req.query);
  if (isResponse(range)) return range;
  // The one list whose description says rendering defaults to UTC (not the account's zone) without `time_zone`.
  const links = zonedLinks(ctx, req, 'UTC');
  if (isResponse(links)) return links;

  const order = readIncidentOrder(req.query);
  if (isResponse(order)) return order;

  const matching = ctx.state.incidents
    .filter((incident) => {
      if (serviceIds.length > 0 && !serviceIds.includes(incident.serviceId)) return false;
      if (statuses.length > 0 && !statuses.includes(incident.status)) return false;
      // "Currently assigned": resolved incidents are assigned to nobody.
      if (userIds.length > 0 && !incident.assignments.some((a) => userIds.includes(a.userId))) return false;
      if (range) {
        const created = Date.parse(incident.createdAt);
        if (created < range.since || created > range.until) return false;
      }
      return true;
    })
    .sort(order);
  const result = paginate(matching, page);
  return ok({
    incidents: result.items.map((incident) => incidentJson(links, ctx.state, incident)),
    ...pageFields(result),
  });
}

/** The created-at range to filter on, null for `date_range=all`, or PagerDuty's refusal. */
function readDateRange(
  ctx: HandlerContext,
  query: URLSearchParams,
): { since: number; until: number } | null | SandboxResponse {
  const dateRange = query.get('date_range');
  if (dateRange === 'all') return null;
  if (dateRange !== null) return invalidInput('Date range must be "all"');
  const rawSince = query.get('since');
  const rawUntil = query.get('until');
  const until = rawUntil ? parseInstant(rawUntil) : ctx.now().getTime();
  const since = rawSince
    ? parseInstant(rawSince)
    : until === undefined
      ? undefined
      : until - DEFAULT_RANGE_MS;
  if (since === undefined || until === undefined) {
    return pdError(400, "Invalid time values in 'since' and/or 'until' parameters", 2004);
  }
  if (until < since || until - since > MAX_RANGE_MS) return pdError(400, 'Invalid Query Date Range', 2005);
  return { since, until };
}

/**
 * GET /incidents/{id}: "Accepts either an incident id, or an incident number" (the published description),
 * and answers with the incident's real id either way. Only this endpoint: writes and sub-resources take ids.
 */
export function getIncident(ctx: HandlerContext, id: string): SandboxResponse {
  const incident =
    findIncident(ctx.state, id) ??
    (/^[1-9]\d{0,15}$/.test(id) ? ctx.state.incidents.find((i) => i.number === Number(id)) : undefined);
  return incident ? ok({ incident: incidentJson(ctx.links, ctx.state, incident) }) : notFound();
}

/** A validated update, ready to apply. */
interface IncidentUpdate {
  status?: IncidentStatus;
  assigneeIds?: string[];
  title?: string;
}

function readUpdate(
  state: PagerDutyState,
  incident: IncidentRecord,
  payload: unknown,
): IncidentUpdate | SandboxResponse {
  if (typeof payload !== 'object' || payload === null) return invalidInput('Incident is required');
  const fields = payload as Record<string, unknown>;
  if (fields.type !== 'incident' && fields.type !== 'incident_reference') {
    return invalidInput('Type must be incident or incident_reference');
  }
  const update: IncidentUpdate = {};
  if (fields.status !== undefined) {
    if (!STATUSES.includes(fields.status as IncidentStatus)) {
      return invalidInput('Status must be one of triggered, acknowledged, or resolved');
    }
    update.status = fields.status as IncidentStatus;
  }
  if (fields.assignments !== undefined) {
    if (!Array.isArray(fields.assignments) || fields.assignments.length === 0) {
      return invalidInput('Assignments must be a non-empty array');
    }
    const ids: string[] = [];
    for (const assignment of fields.assignments as unknown[]) {
      const assignee = (assignment as { assignee?: { id?: unknown; type?: unknown } } | null)?.assignee;
      if (typeof assignee?.id !== 'string' || assignee.type !== 'user_reference') {
        return invalidInput('Each assignment needs an assignee of type user_reference');
      }
      if (!findUser(state, assignee.id)) return pdError(400, 'Assigned To User Not Found', 1007);
      ids.push(assignee.id);
    }
    update.assigneeIds = [...new Set(ids)];
  }
  if (fields.title !== undefined) {
    if (typeof fields.title !== 'string' || fields.title.trim() === '')
      return invalidInput('Title cannot be empty');
    update.title = fields.title;
  }
  // Only reopening (status: triggered) may touch a resolved incident.
  if (
    incident.status === 'resolved' &&
    update.status !== 'triggered' &&
    (update.status || update.assigneeIds)
  ) {
    return incidentAlreadyResolved();
  }
  return update;
}

function applyUpdate(
  ctx: HandlerContext,
  incident: IncidentRecord,
  update: IncidentUpdate,
  actorId: string,
): void {
  if (update.title !== undefined) incident.title = update.title;
  if (update.status === 'triggered' && incident.status === 'resolved') {
    reopen(ctx, incident, actorId, update.assigneeIds);
    return;
  }
  if (update.assigneeIds) assign(ctx, incident, update.assigneeIds, actorId);
  if (update.status === 'acknowledged') acknowledge(ctx, incident, actorId);
  if (update.status === 'resolved') resolve(ctx, incident, actorId);
  if (update.status === 'triggered' && incident.status === 'acknowledged' && !update.assigneeIds) {
    unacknowledge(ctx, incident, actorId);
  }
}

/** PUT /incidents/{id}: needs `From`; the change is attributed to that user. */
export function updateIncident(ctx: HandlerContext, req: SandboxRequest, id: string): SandboxResponse {
  const actor = requireActor(req, ctx.state, ctx.key);
  if (isResponse(actor)) return actor;
  const incident = findIncident(ctx.state, id);
  if (!incident) return notFound();
  const update = readUpdate(ctx.state, incident, objectBody(req)?.incident);
  if (isResponse(update)) return update;
  applyUpdate(ctx, incident, update, actor.id);
  return ok({ incident: incidentJson(ctx.links, ctx.state, incident) });
}

/**
 * PUT /incidents: every item is checked before any is changed. PagerDuty documents a 200 only for "All
 * of the updates succeeded", and otherwise an ArgumentError: so one refused item refuses the request,
 * and the error lists every refused item by its id (`Incident Q1: Incident Already Resolved`), which
 * lets a client send the rest again without them.
 */
export function updateIncidents(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const actor = requireActor(req, ctx.state, ctx.key);
  if (isResponse(actor)) return actor;
  const items = objectBody(req)?.incidents;
  if (!Array.isArray(items) || items.length === 0) return invalidInput('Incidents must be a non-empty array');
  if (items.length > BULK_UPDATE_MAX) {
    return requestTooLarge(`Cannot update more than ${BULK_UPDATE_MAX} incidents at once`);
  }
  const planned: { incident: IncidentRecord; update: IncidentUpdate }[] = [];
  const refused: string[] = [];
  let refusal: SandboxResponse | undefined;
  for (const item of items as unknown[]) {
    const id = (item as { id?: unknown } | null)?.id;
    const incident = typeof id === 'string' ? findIncident(ctx.state, id) : undefined;
    if (!incident) {
      refused.push(`Incident ${String(id)}: Not Found`);
      refusal ??= invalidInput();
      continue;
    }
    const update = readUpdate(ctx.state, incident, item);
    if (isResponse(update)) {
      const error = (update.body as { error?: { message?: string; errors?: string[] } }).error;
      refused.push(`Incident ${incident.id}: ${error?.errors?.[0] ?? error?.message ?? 'refused'}`);
      refusal ??= update;
      continue;
    }
    planned.push({ incident, update });
  }
  if (refusal) {
    const error = (refusal.body as { error: { message: string; code: number } }).error;
    return pdError(refusal.status, error.message, error.code, refused);
  }
  for (const { incident, update } of planned) applyUpdate(ctx, incident, update, actor.id);
  return ok({
    incidents: planned.map(({ incident }) => incidentJson(ctx.links, ctx.state, incident)),
    limit: planned.length,
    offset: 0,
    more: false,
    total: null,
  });
}

/** POST /incidents/{id}/notes: needs `From`; answers 200 (not 201) with the note. */
export function createNote(ctx: HandlerContext, req: SandboxRequest, id: string): SandboxResponse {
  const actor = requireActor(req, ctx.state, ctx.key);
  if (isResponse(actor)) return actor;
  const incident = findIncident(ctx.state, id);
  if (!incident) return notFound();
  const content = (objectBody(req)?.note as { content?: unknown } | undefined)?.content;
  if (typeof content !== 'string' || content.trim() === '') return invalidInput("Content can't be blank");
  const note = addNote(ctx, incident, actor.id, content);
  return ok({ note: noteJson(ctx.links, ctx.state, note) });
}

/** GET /incidents/{id}/notes: newest first, not paginated. */
export function listNotes(ctx: HandlerContext, id: string): SandboxResponse {
  const incident = findIncident(ctx.state, id);
  if (!incident) return notFound();
  const notes = [...incident.notes].reverse().map((note) => noteJson(ctx.links, ctx.state, note));
  return ok({ notes });
}

/** GET /incidents/{id}/log_entries: newest first; `is_overview=true` leaves out notifications. */
export function listLogEntries(ctx: HandlerContext, req: SandboxRequest, id: string): SandboxResponse {
  const incident = findIncident(ctx.state, id);
  if (!incident) return notFound();
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const links = zonedLinks(ctx, req);
  if (isResponse(links)) return links;
  const overview = req.query.get('is_overview') === 'true';
  const entries = [...incident.logEntries]
    .reverse()
    .filter((entry) => !overview || entry.type !== 'notify_log_entry');
  const result = paginate(entries, page);
  return ok({
    log_entries: result.items.map((entry) => logEntryJson(links, ctx.state, incident, entry)),
    ...pageFields(result),
  });
}

/**
 * GET /log_entries: the account's log, newest first, created in [since, until] (PagerDuty's default
 * range is the last month, as for incidents); `is_overview=true` leaves out notifications.
 */
export function listAccountLogEntries(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const range = readDateRange(ctx, req.query);
  if (isResponse(range)) return range;
  const links = zonedLinks(ctx, req);
  if (isResponse(links)) return links;
  const overview = req.query.get('is_overview') === 'true';
  // Each entry's time parsed once, not in every comparison: a page of a long log is read often.
  const entries = ctx.state.incidents
    .flatMap((incident) =>
      incident.logEntries.map((entry) => ({ incident, entry, created: Date.parse(entry.createdAt) })),
    )
    .filter(({ entry }) => !overview || entry.type !== 'notify_log_entry')
    .filter(({ created }) => !range || (created >= range.since && created <= range.until))
    .sort((a, b) => b.created - a.created || b.entry.id.localeCompare(a.entry.id));
  const result = paginate(entries, page);
  return ok({
    log_entries: result.items.map(({ incident, entry }) => logEntryJson(links, ctx.state, incident, entry)),
    ...pageFields(result),
  });
}

/** What each sort_by field orders on; PagerDuty sorts on at most two of them. */
const SORT_FIELDS: Record<string, (incident: IncidentRecord) => number> = {
  created_at: (incident) => Date.parse(incident.createdAt),
  incident_number: (incident) => incident.number,
  resolved_at: (incident) =>
    incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.POSITIVE_INFINITY,
};

/**
 * GET /incidents `sort_by`: up to two `field[:asc|:desc]` separated by commas, ascending unless said
 * (PagerDuty's description). Without it, oldest first; ties go by incident number either way.
 */
function readIncidentOrder(
  query: URLSearchParams,
): ((a: IncidentRecord, b: IncidentRecord) => number) | SandboxResponse {
  const raw = query
    .getAll('sort_by')
    .flatMap((value) => value.split(','))
    .filter((v) => v !== '');
  const keys = raw.length > 0 ? raw : ['created_at'];
  if (keys.length > 2) return invalidInput('Sort by supports at most two fields.');
  const comparators: Array<(a: IncidentRecord, b: IncidentRecord) => number> = [];
  for (const key of keys) {
    const [field = '', direction = 'asc', ...rest] = key.split(':');
    const value = Object.hasOwn(SORT_FIELDS, field) ? SORT_FIELDS[field] : undefined;
    if (!value || rest.length > 0 || (direction !== 'asc' && direction !== 'desc'))
      return invalidInput(`Sort by ${key} is not supported.`);
    const sign = direction === 'desc' ? -1 : 1;
    comparators.push((a, b) => sign * (value(a) - value(b)));
  }
  comparators.push((a, b) => a.number - b.number);
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  };
}
