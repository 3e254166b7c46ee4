import type { RolloutState, SessionRecord, TicketLinkRecord } from './model.js';
import type { Check } from './wire.js';

/** The identifier patterns of schemas/platform-api.openapi.yaml; the conformance test keeps them in step. */
export const PATTERNS = {
  handle: /^[a-z][a-z0-9._-]{0,63}$/,
  ticketId: /^[A-Z][A-Z0-9]{0,15}-[0-9]{1,10}$/,
  sessionId: /^imp_[A-Za-z0-9]{1,40}$/,
  flag: /^[a-z0-9][a-z0-9._-]{0,99}$/,
  label: /^[a-z0-9][a-z0-9_:.-]{0,63}$/,
  auditAction: /^[a-z]+(\.[a-z_]+)+$/,
} as const;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const ROLLOUT_STATES: readonly RolloutState[] = ['ramping', 'paused', 'complete', 'rolled_back'];
const MAX_LABELS = 50;
const MAX_NEXT_STEP = 2000;
const MAX_URL = 2000;

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });
const pass = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** Unknown or repeated query parameters are refused: a misspelt filter must not widen a list. */
function checkQueryNames(query: URLSearchParams, allowed: readonly string[]): Check<void> {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!allowed.includes(name)) {
      return fail(`unknown query parameter '${name}' (allowed: ${allowed.join(', ')})`);
    }
    if (seen.has(name)) return fail(`query parameter '${name}' is given more than once`);
    seen.add(name);
  }
  return pass(undefined);
}

/** A JSON object body with exactly the allowed fields. */
function checkObject(
  body: unknown,
  required: readonly string[],
  optional: readonly string[] = [],
): Check<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('the request body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!required.includes(key) && !optional.includes(key)) {
      return fail(`unknown field '${key}' (allowed: ${[...required, ...optional].join(', ')})`);
    }
  }
  for (const key of required) {
    if (!(key in record)) return fail(`missing field '${key}'`);
  }
  return pass(record);
}

function isHandle(value: unknown): value is string {
  return typeof value === 'string' && PATTERNS.handle.test(value);
}

function isPercent(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100;
}

const HANDLE_HINT = 'a tracker handle such as "alice" (lowercase letters, digits, . _ -)';

export function isTimestamp(value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

export function parseTicketQuery(query: URLSearchParams): Check<{ assignee?: string; pinned?: boolean }> {
  const names = checkQueryNames(query, ['assignee', 'pinned', 'limit', 'cursor']);
  if (!names.ok) return names;
  const assignee = query.get('assignee');
  if (assignee !== null && !isHandle(assignee)) return fail(`'assignee' must be ${HANDLE_HINT}`);
  const pinned = query.get('pinned');
  if (pinned !== null && pinned !== 'true' && pinned !== 'false') {
    return fail("'pinned' must be 'true' or 'false'");
  }
  return pass({
    ...(assignee !== null ? { assignee } : {}),
    ...(pinned !== null ? { pinned: pinned === 'true' } : {}),
  });
}

export function parsePageQuery(query: URLSearchParams): Check<void> {
  return checkQueryNames(query, ['limit', 'cursor']);
}

export function parseTicketPatch(body: unknown): Check<{ assignee?: string; labels?: string[] }> {
  const object = checkObject(body, [], ['assignee', 'labels']);
  if (!object.ok) return object;
  const { assignee, labels } = object.value;
  if (assignee === undefined && labels === undefined) {
    return fail("send at least one of 'assignee' and 'labels'");
  }
  if (assignee !== undefined && !isHandle(assignee)) return fail(`'assignee' must be ${HANDLE_HINT}`);
  if (labels !== undefined) {
    if (!Array.isArray(labels)) return fail("'labels' must be a list of labels (it replaces the label set)");
    if (labels.length > MAX_LABELS) return fail(`'labels' may hold at most ${MAX_LABELS} labels`);
    for (const [index, label] of labels.entries()) {
      if (typeof label !== 'string' || !PATTERNS.label.test(label)) {
        return fail(`'labels[${index}]' must be a label such as "waiting_on_customer"`);
      }
    }
    if (new Set(labels).size !== labels.length) return fail("'labels' lists a label twice");
  }
  return pass({
    ...(assignee !== undefined ? { assignee: assignee as string } : {}),
    ...(labels !== undefined ? { labels: labels as string[] } : {}),
  });
}

export function parseTicketLink(body: unknown): Check<TicketLinkRecord> {
  const object = checkObject(body, ['url', 'kind']);
  if (!object.ok) return object;
  const { url, kind } = object.value;
  if (kind !== 'engineering_issue') return fail('\'kind\' must be "engineering_issue"');
  if (typeof url !== 'string' || url.length > MAX_URL || !isHttpUrl(url)) {
    return fail("'url' must be an absolute http(s) URL, e.g. https://github.com/owner/repo/issues/812");
  }
  return pass({ url, kind });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && /^https?:\/\//.test(text);
  } catch {
    return false;
  }
}

export function parseSessionQuery(
  query: URLSearchParams,
): Check<{ admin: string; status?: SessionRecord['status'] }> {
  const names = checkQueryNames(query, ['admin', 'status', 'limit', 'cursor']);
  if (!names.ok) return names;
  const admin = query.get('admin');
  if (admin === null) return fail("'admin' is required: sessions are listed per human");
  if (!isHandle(admin)) return fail(`'admin' must be ${HANDLE_HINT}`);
  const status = query.get('status');
  if (status !== null && status !== 'open' && status !== 'ended') {
    return fail("'status' must be 'open' or 'ended'");
  }
  return pass({ admin, ...(status !== null ? { status } : {}) });
}

/** Ending a session takes no body; an empty object is tolerated, anything else is a client mistake. */
export function parseEndSessionBody(body: unknown, rawBody: string): Check<void> {
  if (rawBody.trim() === '') return pass(undefined);
  const object = checkObject(body, []);
  return object.ok ? pass(undefined) : fail('ending a session takes no request body');
}

export function parseRolloutQuery(query: URLSearchParams): Check<RolloutState[] | undefined> {
  const names = checkQueryNames(query, ['state', 'limit', 'cursor']);
  if (!names.ok) return names;
  const state = query.get('state');
  if (state === null) return pass(undefined);
  const states = state.split(',');
  for (const s of states) {
    if (!ROLLOUT_STATES.includes(s as RolloutState)) {
      return fail(`'state' must list states from ${ROLLOUT_STATES.join(', ')}, comma-separated (got '${s}')`);
    }
  }
  return pass(states as RolloutState[]);
}

export interface AnnotationInput {
  rampPercent: number;
  lastErrorRatePercent: number;
  nextStep: string;
  author: string;
}

export function parseAnnotation(body: unknown): Check<AnnotationInput> {
  const object = checkObject(body, ['rampPercent', 'lastErrorRatePercent', 'nextStep', 'author']);
  if (!object.ok) return object;
  const { rampPercent, lastErrorRatePercent, nextStep, author } = object.value;
  if (!isPercent(rampPercent)) return fail("'rampPercent' must be a number from 0 to 100");
  if (!isPercent(lastErrorRatePercent)) return fail("'lastErrorRatePercent' must be a number from 0 to 100");
  if (typeof nextStep !== 'string' || nextStep.trim() === '' || nextStep.length > MAX_NEXT_STEP) {
    return fail(`'nextStep' must be text of 1 to ${MAX_NEXT_STEP} characters`);
  }
  if (!isHandle(author)) return fail(`'author' must be ${HANDLE_HINT}`);
  return pass({ rampPercent, lastErrorRatePercent, nextStep, author });
}

export function parseOwner(body: unknown): Check<string> {
  const object = checkObject(body, ['owner']);
  if (!object.ok) return object;
  const { owner } = object.value;
  return isHandle(owner) ? pass(owner) : fail(`'owner' must be ${HANDLE_HINT}`);
}

export function parseAuditQuery(
  query: URLSearchParams,
): Check<{ action?: string; actor?: string; since?: number }> {
  const names = checkQueryNames(query, ['action', 'actor', 'since', 'limit', 'cursor']);
  if (!names.ok) return names;
  const action = query.get('action');
  if (action !== null && !PATTERNS.auditAction.test(action)) {
    return fail("'action' must be an audit action such as 'platform.impersonation_ended'");
  }
  const actor = query.get('actor');
  if (actor !== null && !isHandle(actor)) return fail(`'actor' must be ${HANDLE_HINT}`);
  const since = query.get('since');
  if (since !== null && !isTimestamp(since)) {
    return fail("'since' must be an RFC 3339 instant such as 2026-11-26T16:00:00Z");
  }
  return pass({
    ...(action !== null ? { action } : {}),
    ...(actor !== null ? { actor } : {}),
    ...(since !== null ? { since: Date.parse(since) } : {}),
  });
}
