/**
 * Two endpoints `handover prepare` needs beside the runbook's: GET /schedules/{id} (the schedule
 * with its rendered layers, above all `final_schedule`) and POST /incidents (paging someone through a
 * service, as the acknowledgement escalation does).
 */
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { invalidInput, notFound, pdError } from './errors.js';
import { createIncident, findSchedule } from './model.js';
import { type HandlerContext, isResponse, objectBody, requireActor, zonedLinks } from './requests.js';
import { finalSchedule, rotationShifts, type ScheduleRecord, type Shift } from './rotation.js';
import { DAY_MS, parseInstant } from './time.js';
import { escalationPolicyReference, incidentJson, type Links, userReference, wireTime } from './wire.js';

type Json = Record<string, unknown>;

/** Without since/until PagerDuty renders no entries; with one, the other defaults to two weeks away. */
const DEFAULT_SPAN_MS = 14 * DAY_MS;

function entries(ctx: HandlerContext, links: Links, shifts: Shift[]): Json[] {
  return shifts.map((shift) => ({
    start: wireTime(links, shift.start),
    end: wireTime(links, shift.end),
    user: userReference(links, ctx.state, shift.userId),
  }));
}

function coverage(shifts: Shift[], from: number, to: number): number {
  const covered = shifts.reduce((sum, s) => sum + (Math.min(s.end, to) - Math.max(s.start, from)), 0);
  return to > from ? Math.round((covered / (to - from)) * 1000) / 10 : 0;
}

/** Cuts shifts at the range unless `overflow=true` (PagerDuty's `overflow` parameter). */
function bounded(shifts: Shift[], from: number, to: number, overflow: boolean): Shift[] {
  return overflow
    ? shifts
    : shifts.map((s) => ({ ...s, start: Math.max(s.start, from), end: Math.min(s.end, to) }));
}

/** The shifts of [from, to) with their real bounds: computed wider, then kept where they overlap. */
function overlapping(
  compute: (from: number, to: number) => Shift[],
  from: number,
  to: number,
  margin: number,
) {
  return compute(from - margin, to + margin).filter((s) => s.start < to && s.end > from);
}

/**
 * GET /schedules/{id}?since&until[&overflow]: the schedule, its one layer, the overrides sub-schedule
 * and the final schedule (layer with overrides on top), each with `rendered_schedule_entries` over the
 * range. Without since and until the entries are absent, as on PagerDuty.
 */
export function getSchedule(ctx: HandlerContext, req: SandboxRequest, scheduleId: string): SandboxResponse {
  const schedule = findSchedule(ctx.state, scheduleId);
  if (!schedule) return notFound();
  // Rendered in the schedule's own zone unless `time_zone` names another (the parameter's description).
  const links = zonedLinks(ctx, req, schedule.timeZone);
  if (isResponse(links)) return links;
  const rawSince = req.query.get('since');
  const rawUntil = req.query.get('until');
  const since = rawSince ? parseInstant(rawSince) : undefined;
  const until = rawUntil ? parseInstant(rawUntil) : undefined;
  if ((rawSince && since === undefined) || (rawUntil && until === undefined))
    return pdError(400, "Invalid time values in 'since' and/or 'until' parameters", 2004);
  const from = since ?? (until !== undefined ? until - DEFAULT_SPAN_MS : undefined);
  const to = until ?? (since !== undefined ? since + DEFAULT_SPAN_MS : undefined);
  if (from !== undefined && to !== undefined && to < from) return invalidInput('Invalid Query Date Range');
  const rendered = from !== undefined && to !== undefined;
  const overflow = req.query.get('overflow') === 'true';
  const margin = Math.max(schedule.rotation.turnLengthSeconds * 1000, DAY_MS);

  const render = (compute: (a: number, b: number) => Shift[]): Json =>
    rendered
      ? (() => {
          const shifts = overlapping(compute, from, to, margin);
          return {
            rendered_schedule_entries: entries(ctx, links, bounded(shifts, from, to, overflow)),
            rendered_coverage_percentage: coverage(shifts, from, to),
          };
        })()
      : {};
  const overrides = (a: number, b: number): Shift[] =>
    schedule.overrides
      .map((o) => ({ userId: o.userId, start: Date.parse(o.start), end: Date.parse(o.end) }))
      .filter((s) => s.start < b && s.end > a)
      .sort((x, y) => x.start - y.start);

  return { status: 200, body: { schedule: scheduleJson(ctx, links, schedule, render, overrides) } };
}

function scheduleJson(
  ctx: HandlerContext,
  links: Links,
  schedule: ScheduleRecord,
  render: (compute: (a: number, b: number) => Shift[]) => Json,
  overrides: (a: number, b: number) => Shift[],
): Json {
  const { rotation } = schedule;
  const policies = ctx.state.escalationPolicies.filter((p) =>
    p.levels.some((level) => level.scheduleIds.includes(schedule.id)),
  );
  return {
    id: schedule.id,
    type: 'schedule',
    summary: schedule.name,
    self: `${ctx.links.api}/schedules/${schedule.id}`,
    html_url: `${ctx.links.web}/schedules/${schedule.id}`,
    name: schedule.name,
    time_zone: schedule.timeZone,
    description: '',
    escalation_policies: policies.map((p) => escalationPolicyReference(ctx.links, p)),
    users: [...new Set(rotation.userIds)].map((id) => userReference(ctx.links, ctx.state, id)),
    teams: [],
    schedule_layers: [
      {
        id: `${schedule.id}L1`,
        name: 'Layer 1',
        start: wireTime(links, rotation.start),
        rotation_virtual_start: wireTime(links, rotation.start),
        rotation_turn_length_seconds: rotation.turnLengthSeconds,
        users: rotation.userIds.map((id) => ({ user: userReference(ctx.links, ctx.state, id) })),
        restrictions: [],
        ...render((a, b) => rotationShifts(rotation, a, b)),
      },
    ],
    overrides_subschedule: { name: 'Overrides', ...render(overrides) },
    final_schedule: { name: 'Final Schedule', ...render((a, b) => finalSchedule(schedule, a, b)) },
  };
}

/**
 * POST /incidents with `From`: opens an incident on a service, assigned to the listed users (or the
 * service's first responder). An `incident_key` an open incident of that service already carries is
 * refused, as PagerDuty refuses a duplicate: a caller can make its page idempotent with one.
 */
export function postIncident(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const actor = requireActor(req, ctx.state);
  if (isResponse(actor)) return actor;
  const incident = objectBody(req)?.incident as Json | undefined;
  if (!incident || typeof incident !== 'object') return invalidInput('Incident is required');
  const errors: string[] = [];
  if (incident.type !== 'incident') errors.push('Type must be incident');
  const title = typeof incident.title === 'string' ? incident.title.trim() : '';
  if (!title) errors.push('Title cannot be empty');
  const serviceId = (incident.service as { id?: unknown } | undefined)?.id;
  const service = ctx.state.services.find((s) => s.id === serviceId);
  if (!service) errors.push('Service not found');
  const assignments = Array.isArray(incident.assignments) ? (incident.assignments as Json[]) : [];
  const assigneeIds = assignments.map((a) => String((a.assignee as { id?: unknown } | undefined)?.id ?? ''));
  if (assigneeIds.some((id) => !ctx.state.users.some((u) => u.id === id)))
    errors.push('Assignee must be a user of this account');
  const urgency = incident.urgency;
  if (urgency !== undefined && urgency !== 'high' && urgency !== 'low') errors.push('Urgency is invalid');
  if (errors.length > 0 || !service) return invalidInput(...errors);
  const key = typeof incident.incident_key === 'string' ? incident.incident_key : undefined;
  if (
    key &&
    ctx.state.incidents.some(
      (i) => i.serviceId === service.id && i.incidentKey === key && i.status !== 'resolved',
    )
  )
    return invalidInput(`Open incident with key '${key}' already exists on this service`);
  const record = createIncident(ctx, {
    title,
    serviceId: service.id,
    ...(assigneeIds.length > 0 ? { assigneeIds } : {}),
    ...(urgency === 'high' || urgency === 'low' ? { urgency } : {}),
  });
  if (key) record.incidentKey = key;
  return { status: 201, body: { incident: incidentJson(ctx.links, ctx.state, record) } };
}
