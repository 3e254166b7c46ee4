import type { SandboxRequest, SandboxResponse } from '../types.js';
import {
  accessDenied,
  fromHeaderMalformed,
  fromHeaderMissing,
  invalidInput,
  requesterNotFound,
} from './errors.js';
import {
  type ApiKeyKind,
  findUser,
  findUserByEmail,
  type ModelContext,
  type PagerDutyState,
  READ_ONLY_ROLES,
  type UserRecord,
} from './model.js';
import { isTimeZone } from './time.js';
import type { Links } from './wire.js';

/** What every handler needs: the world, its clock and ids, and the URLs to write into answers. */
export interface HandlerContext extends ModelContext {
  links: Links;
  key: ApiKeyKind;
}

export function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Array filters arrive as repeated `name[]=value` (OpenAPI `explode: true`), e.g. `statuses[]`. */
export function queryList(query: URLSearchParams, name: string): string[] {
  return query.getAll(`${name}[]`).filter((value) => value !== '');
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/**
 * The user a write acts as, from the `From` header, or PagerDuty's refusal: missing, not an email,
 * or not a user of the account.
 */
export function requireActor(
  req: SandboxRequest,
  state: PagerDutyState,
  key: ApiKeyKind = { kind: 'general' },
): UserRecord | SandboxResponse {
  const actor = actorFor(req, state, key);
  if (isResponse(actor)) return actor;
  if (READ_ONLY_ROLES.has(actor.role))
    return accessDenied(`${actor.email} has the ${actor.role} role, which may not change incidents`);
  return actor;
}

/**
 * Who a write acts as. With a user-level token PagerDuty attributes the action to the token's owner and
 * ignores `From`; with an account key it is the `From` user.
 */
function actorFor(req: SandboxRequest, state: PagerDutyState, key: ApiKeyKind): UserRecord | SandboxResponse {
  if (key.kind === 'user') return findUser(state, key.userId) ?? requesterNotFound();
  const from = header(req, 'from')?.trim();
  if (!from) return fromHeaderMissing();
  if (!EMAIL.test(from)) return fromHeaderMalformed();
  return findUserByEmail(state, from) ?? requesterNotFound();
}

/**
 * The links to render an answer with, in the zone the request's `time_zone` names (on the endpoints whose
 * description lists that parameter) or else in `fallback` (the account's zone unless the endpoint says
 * otherwise); an unknown zone is PagerDuty's 400.
 */
export function zonedLinks(
  ctx: HandlerContext,
  req: SandboxRequest,
  fallback?: string,
): Links | SandboxResponse {
  const asked = req.query.get('time_zone');
  if (asked === null) return fallback === undefined ? ctx.links : { ...ctx.links, timeZone: fallback };
  if (!isTimeZone(asked)) return invalidInput('Time zone is not a valid time zone');
  return { ...ctx.links, timeZone: asked };
}

export function isResponse(value: unknown): value is SandboxResponse {
  return typeof value === 'object' && value !== null && 'status' in value && typeof value.status === 'number';
}

/** A JSON object body, or undefined when the body is missing, not JSON, or not an object. */
export function objectBody(req: SandboxRequest): Record<string, unknown> | undefined {
  const body = req.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}
