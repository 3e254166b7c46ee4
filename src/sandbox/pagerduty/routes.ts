import type { SandboxRequest, SandboxResponse } from '../types.js';
import { getService, listSchedules, listServices } from './directory.js';
import {
  createNote,
  getIncident,
  listAccountLogEntries,
  listIncidents,
  listLogEntries,
  listNotes,
  updateIncident,
  updateIncidents,
} from './incidents.js';
import type { HandlerContext } from './requests.js';
import { getSchedule, postIncident } from './schedule-view.js';
import { createOverrides, listOnCalls, listOverrides } from './schedules.js';
import { getUser, listUsers } from './users.js';

type Handler = (ctx: HandlerContext, req: SandboxRequest, params: string[]) => SandboxResponse;

export interface Route {
  method: string;
  pattern: RegExp;
  handle: Handler;
}

const ID = '([^/]+)';

function route(method: string, path: string, handle: Handler): Route {
  return { method, pattern: new RegExp(`^${path.replaceAll('{id}', ID)}/?$`), handle };
}

/** The endpoints the emulator serves, with PagerDuty's paths. */
export function pagerDutyRoutes(): Route[] {
  return [
    route('GET', '/incidents', (ctx, req) => listIncidents(ctx, req)),
    route('PUT', '/incidents', (ctx, req) => updateIncidents(ctx, req)),
    route('POST', '/incidents', (ctx, req) => postIncident(ctx, req)),
    route('GET', '/incidents/{id}', (ctx, _req, [id]) => getIncident(ctx, id!)),
    route('PUT', '/incidents/{id}', (ctx, req, [id]) => updateIncident(ctx, req, id!)),
    route('GET', '/incidents/{id}/notes', (ctx, _req, [id]) => listNotes(ctx, id!)),
    route('POST', '/incidents/{id}/notes', (ctx, req, [id]) => createNote(ctx, req, id!)),
    route('GET', '/incidents/{id}/log_entries', (ctx, req, [id]) => listLogEntries(ctx, req, id!)),
    route('GET', '/services', (ctx, req) => listServices(ctx, req)),
    route('GET', '/services/{id}', (ctx, _req, [id]) => getService(ctx, id!)),
    route('GET', '/schedules', (ctx, req) => listSchedules(ctx, req)),
    route('GET', '/schedules/{id}', (ctx, req, [id]) => getSchedule(ctx, req, id!)),
    route('GET', '/schedules/{id}/overrides', (ctx, req, [id]) => listOverrides(ctx, req, id!)),
    route('POST', '/schedules/{id}/overrides', (ctx, req, [id]) => createOverrides(ctx, req, id!)),
    route('GET', '/log_entries', (ctx, req) => listAccountLogEntries(ctx, req)),
    route('GET', '/oncalls', (ctx, req) => listOnCalls(ctx, req)),
    route('GET', '/users', (ctx, req) => listUsers(ctx, req)),
    route('GET', '/users/{id}', (ctx, _req, [id]) => getUser(ctx, id!)),
  ];
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    try {
      return { route: candidate, params: match.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      return undefined; // a malformed %-escape names nothing that exists
    }
  }
  return undefined;
}
