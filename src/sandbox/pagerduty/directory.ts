import type { SandboxRequest, SandboxResponse } from '../types.js';
import { notFound } from './errors.js';
import type { ScheduleRecord, ServiceRecord } from './model.js';
import { isPageRequest, pageFields, paginate, readPageRequest } from './pagination.js';
import type { HandlerContext } from './requests.js';
import { escalationPolicyReference, serviceReference, userReference } from './wire.js';

/**
 * The account's directory as `handover setup` and `handover doctor` read it: services and schedules,
 * listed (`?query=` matches the name, any case, as PagerDuty does) or fetched by id.
 */
function serviceJson(ctx: HandlerContext, service: ServiceRecord): Record<string, unknown> {
  const policy = ctx.state.escalationPolicies.find((p) => p.id === service.escalationPolicyId);
  return {
    ...serviceReference(ctx.links, service),
    type: 'service',
    name: service.name,
    status: 'active',
    ...(policy ? { escalation_policy: escalationPolicyReference(ctx.links, policy) } : {}),
  };
}

function scheduleJson(ctx: HandlerContext, schedule: ScheduleRecord): Record<string, unknown> {
  return {
    id: schedule.id,
    type: 'schedule',
    summary: schedule.name,
    name: schedule.name,
    time_zone: schedule.timeZone,
    self: `${ctx.links.api}/schedules/${schedule.id}`,
    html_url: `${ctx.links.web}/schedules/${schedule.id}`,
    // The rotation's members, as PagerDuty lists a schedule's `users`.
    users: [...new Set(schedule.rotation.userIds)].map((id) => userReference(ctx.links, ctx.state, id)),
  };
}

function matching<T extends { name: string }>(req: SandboxRequest, items: readonly T[]): T[] {
  const query = (req.query.get('query') ?? '').trim().toLowerCase();
  return items
    .filter((item) => !query || item.name.toLowerCase().includes(query))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function listServices(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const result = paginate(matching(req, ctx.state.services), page);
  return {
    status: 200,
    body: { services: result.items.map((s) => serviceJson(ctx, s)), ...pageFields(result) },
  };
}

export function getService(ctx: HandlerContext, id: string): SandboxResponse {
  const service = ctx.state.services.find((s) => s.id === id);
  return service ? { status: 200, body: { service: serviceJson(ctx, service) } } : notFound();
}

export function listSchedules(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const result = paginate(matching(req, ctx.state.schedules), page);
  return {
    status: 200,
    body: { schedules: result.items.map((s) => scheduleJson(ctx, s)), ...pageFields(result) },
  };
}
