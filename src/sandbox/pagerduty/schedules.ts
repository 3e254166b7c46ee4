import type { SandboxRequest, SandboxResponse } from '../types.js';
import { invalidInput, notFound, pdError } from './errors.js';
import type { EscalationPolicyRecord, ScheduleRecord } from './model.js';
import { createOverride, findSchedule, findUser } from './model.js';
import { isPageRequest, pageFields, paginate, readPageRequest } from './pagination.js';
import { type HandlerContext, isResponse, objectBody, queryList, zonedLinks } from './requests.js';
import { shiftsOverlapping } from './rotation.js';
import { DAY_MS, isoSeconds, parseInstant } from './time.js';
import { oncallJson, overrideJson } from './wire.js';

/** On-call shifts are computed at most this far ahead, as on PagerDuty. */
const ONCALL_HORIZON_MS = 90 * DAY_MS;

interface OverrideInput {
  start: string;
  end: string;
  userId: string;
}

/** One requested override, checked: its normalised times, or the errors PagerDuty would list for it. */
function readOverride(ctx: HandlerContext, raw: unknown): { input: OverrideInput } | { errors: string[] } {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const errors: string[] = [];
  const start = parseInstant(typeof item.start === 'string' ? item.start : undefined);
  const end = parseInstant(typeof item.end === 'string' ? item.end : undefined);
  if (start === undefined) errors.push('Start must be a valid date-time');
  if (end === undefined) errors.push('End must be a valid date-time');
  if (start !== undefined && end !== undefined && end <= start)
    errors.push('Override must end after its start');
  const user = item.user as { id?: unknown } | undefined;
  const userId = typeof user?.id === 'string' ? user.id : undefined;
  if (!userId || !findUser(ctx.state, userId)) errors.push('User must be a user of this account');
  if (errors.length > 0 || start === undefined || end === undefined || !userId) return { errors };
  return { input: { start: isoSeconds(start), end: isoSeconds(end), userId } };
}

/** The request's own item echoed back beside a failure, as PagerDuty does. */
function echoItem(ctx: HandlerContext, raw: unknown): Record<string, unknown> {
  const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const userId = (item.user as { id?: unknown } | undefined)?.id;
  return overrideJson(ctx.links, ctx.state, {
    start: String(item.start ?? ''),
    end: String(item.end ?? ''),
    userId: typeof userId === 'string' ? userId : '',
  });
}

/**
 * POST /schedules/{id}/overrides. `{overrides: [...]}` answers 201 with one result per item, and an
 * item can fail inside that 201 (`{status: 400, errors, override}`). The deprecated single
 * `{override: {...}}` form answers 201 `{override}` or a plain 400.
 */
export function createOverrides(
  ctx: HandlerContext,
  req: SandboxRequest,
  scheduleId: string,
): SandboxResponse {
  const schedule = findSchedule(ctx.state, scheduleId);
  if (!schedule) return notFound();
  const body = objectBody(req);
  if (body && body.overrides === undefined && body.override !== undefined) {
    const checked = readOverride(ctx, body.override);
    if ('errors' in checked) return invalidInput(...checked.errors);
    const record = createOverride(ctx, schedule, checked.input);
    return { status: 201, body: { override: overrideJson(ctx.links, ctx.state, record) } };
  }
  const items = body?.overrides;
  if (!Array.isArray(items) || items.length === 0) return invalidInput('Overrides must be a non-empty array');
  const results = (items as unknown[]).map((raw) => {
    const checked = readOverride(ctx, raw);
    if ('errors' in checked) return { status: 400, errors: checked.errors, override: echoItem(ctx, raw) };
    const record = createOverride(ctx, schedule, checked.input);
    return { status: 201, override: overrideJson(ctx.links, ctx.state, record) };
  });
  return { status: 201, body: results };
}

/**
 * GET /schedules/{id}/overrides?since&until: the overrides overlapping the range, cut at its bounds
 * unless `overflow=true`; `editable=true` lists only future ones, by id.
 */
export function listOverrides(ctx: HandlerContext, req: SandboxRequest, scheduleId: string): SandboxResponse {
  const schedule = findSchedule(ctx.state, scheduleId);
  if (!schedule) return notFound();
  const rawSince = req.query.get('since');
  const rawUntil = req.query.get('until');
  if (!rawSince || !rawUntil) return invalidInput('Since and until are required');
  const since = parseInstant(rawSince);
  const until = parseInstant(rawUntil);
  if (since === undefined || until === undefined) {
    return pdError(400, "Invalid time values in 'since' and/or 'until' parameters", 2004);
  }
  if (until < since) return pdError(400, 'Invalid Query Date Range', 2005);
  const overflow = req.query.get('overflow') === 'true';
  const now = ctx.now().getTime();
  const overlapping = schedule.overrides
    .filter((o) => Date.parse(o.start) < until && Date.parse(o.end) > since)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  if (req.query.get('editable') === 'true') {
    return {
      status: 200,
      body: { overrides: overlapping.filter((o) => Date.parse(o.start) > now).map((o) => ({ id: o.id })) },
    };
  }
  const overrides = overlapping.map((o) =>
    overrideJson(ctx.links, ctx.state, {
      id: o.id,
      userId: o.userId,
      start: overflow ? o.start : isoSeconds(Math.max(Date.parse(o.start), since)),
      end: overflow ? o.end : isoSeconds(Math.min(Date.parse(o.end), until)),
    }),
  );
  return { status: 200, body: { overrides } };
}

interface OnCallEntry {
  userId: string;
  schedule: ScheduleRecord;
  policy: EscalationPolicyRecord;
  level: number;
  start: number;
  end: number;
}

/**
 * GET /oncalls: one entry per shift, per escalation-policy level that pages the schedule, so a
 * schedule on two levels lists each shift twice. `since`/`until` default to now.
 */
export function listOnCalls(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const links = zonedLinks(ctx, req);
  if (isResponse(links)) return links;
  const now = ctx.now().getTime();
  const rawSince = req.query.get('since');
  const rawUntil = req.query.get('until');
  const since = rawSince ? parseInstant(rawSince) : now;
  const until = rawUntil ? parseInstant(rawUntil) : rawSince ? since : now;
  if (since === undefined || until === undefined) {
    return pdError(400, "Invalid time values in 'since' and/or 'until' parameters", 2004);
  }
  if (until < since) return invalidInput('The until time cannot be before the since time');
  const horizon = Math.min(until, now + ONCALL_HORIZON_MS);

  const scheduleFilter = queryList(req.query, 'schedule_ids');
  const userFilter = queryList(req.query, 'user_ids');
  const policyFilter = queryList(req.query, 'escalation_policy_ids');
  const entries: OnCallEntry[] = [];
  for (const policy of ctx.state.escalationPolicies) {
    if (policyFilter.length > 0 && !policyFilter.includes(policy.id)) continue;
    policy.levels.forEach((level, index) => {
      for (const scheduleId of level.scheduleIds) {
        if (scheduleFilter.length > 0 && !scheduleFilter.includes(scheduleId)) continue;
        const schedule = findSchedule(ctx.state, scheduleId);
        if (!schedule || horizon < since) continue;
        for (const shift of shiftsOverlapping(schedule, since, horizon)) {
          if (userFilter.length > 0 && !userFilter.includes(shift.userId)) continue;
          entries.push({ ...shift, schedule, policy, level: index + 1 });
        }
      }
    });
  }
  const listed = req.query.get('earliest') === 'true' ? earliestPerLevelAndUser(entries) : entries;
  listed.sort((a, b) => a.level - b.level || a.start - b.start || a.userId.localeCompare(b.userId));
  const result = paginate(listed, page);
  return {
    status: 200,
    body: {
      oncalls: result.items.map((entry) => oncallJson(links, ctx.state, entry)),
      ...pageFields(result),
    },
  };
}

/** `earliest=true`: only the first on-call of each escalation policy, level and user. */
function earliestPerLevelAndUser(entries: OnCallEntry[]): OnCallEntry[] {
  const earliest = new Map<string, OnCallEntry>();
  for (const entry of entries) {
    const key = `${entry.policy.id}\u0000${entry.level}\u0000${entry.userId}`;
    const known = earliest.get(key);
    if (!known || entry.start < known.start) earliest.set(key, entry);
  }
  return [...earliest.values()];
}
