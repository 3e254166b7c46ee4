import type {
  AuditEvent,
  ImpersonationSession,
  Rollout,
  RolloutAnnotation,
  Ticket,
  TicketComment,
  TicketLink,
} from '../types.js';

/**
 * Turns the platform API's JSON into the domain types, checking each field on the way: an answer that
 * breaks the contract (schemas/platform-api.openapi.yaml) must fail loudly at the boundary, not as an
 * `undefined` three steps later.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ContractViolation(`${where} is not an object`);
  }
  return value as Json;
}

function string(o: Json, key: string, where: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new ContractViolation(`${where}.${key} is not a string`);
  return value;
}

function nullableString(o: Json, key: string, where: string): string | null {
  return o[key] === null ? null : string(o, key, where);
}

function number(o: Json, key: string, where: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ContractViolation(`${where}.${key} is not a number`);
  }
  return value;
}

function boolean(o: Json, key: string, where: string): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') throw new ContractViolation(`${where}.${key} is not true or false`);
  return value;
}

function oneOf<T extends string | null>(o: Json, key: string, allowed: readonly T[], where: string): T {
  const value = o[key] as T;
  if (!allowed.includes(value)) {
    throw new ContractViolation(
      `${where}.${key} is ${JSON.stringify(o[key])}, not one of ${allowed.join(', ')}`,
    );
  }
  return value;
}

function list<T>(o: Json, key: string, where: string, item: (value: unknown, where: string) => T): T[] {
  const value = o[key];
  if (!Array.isArray(value)) throw new ContractViolation(`${where}.${key} is not a list`);
  return value.map((entry, index) => item(entry, `${where}.${key}[${index}]`));
}

export function decodeTicketLink(value: unknown, where = 'link'): TicketLink {
  const o = object(value, where);
  return { url: string(o, 'url', where), kind: oneOf(o, 'kind', ['engineering_issue'] as const, where) };
}

export function decodeTicket(value: unknown, where = 'ticket'): Ticket {
  const o = object(value, where);
  return {
    id: string(o, 'id', where),
    title: string(o, 'title', where),
    assignee: nullableString(o, 'assignee', where),
    pinned: boolean(o, 'pinned', where),
    status: oneOf(o, 'status', ['open', 'pending', 'closed'] as const, where),
    waitingOn: oneOf(o, 'waitingOn', ['customer', 'engineering', null] as const, where),
    labels: list(o, 'labels', where, (v, w) => {
      if (typeof v !== 'string') throw new ContractViolation(`${w} is not a string`);
      return v;
    }),
    links: list(o, 'links', where, decodeTicketLink),
    updatedAt: string(o, 'updatedAt', where),
  };
}

export function decodeTicketComment(value: unknown, where = 'comment'): TicketComment {
  const o = object(value, where);
  return {
    id: string(o, 'id', where),
    author: string(o, 'author', where),
    body: string(o, 'body', where),
    createdAt: string(o, 'createdAt', where),
  };
}

export function decodeSession(value: unknown, where = 'session'): ImpersonationSession {
  const o = object(value, where);
  return {
    id: string(o, 'id', where),
    admin: string(o, 'admin', where),
    ticketId: nullableString(o, 'ticketId', where),
    status: oneOf(o, 'status', ['open', 'ended'] as const, where),
    startedAt: string(o, 'startedAt', where),
    endedAt: nullableString(o, 'endedAt', where),
  };
}

export function decodeAnnotation(value: unknown, where = 'annotation'): RolloutAnnotation {
  const o = object(value, where);
  return {
    id: string(o, 'id', where),
    rampPercent: number(o, 'rampPercent', where),
    lastErrorRatePercent: number(o, 'lastErrorRatePercent', where),
    nextStep: string(o, 'nextStep', where),
    author: string(o, 'author', where),
    createdAt: string(o, 'createdAt', where),
  };
}

export function decodeRollout(value: unknown, where = 'rollout'): Rollout {
  const o = object(value, where);
  return {
    flag: string(o, 'flag', where),
    state: oneOf(o, 'state', ['ramping', 'paused', 'complete', 'rolled_back'] as const, where),
    rampPercent: number(o, 'rampPercent', where),
    errorRatePercent: number(o, 'errorRatePercent', where),
    owner: nullableString(o, 'owner', where),
    annotations: list(o, 'annotations', where, decodeAnnotation),
  };
}

export function decodeAuditEvent(value: unknown, where = 'event'): AuditEvent {
  const o = object(value, where);
  return {
    id: string(o, 'id', where),
    action: string(o, 'action', where),
    actor: string(o, 'actor', where),
    target: string(o, 'target', where),
    at: string(o, 'at', where),
  };
}

/** One page of a list: `{items, nextCursor}`. */
export function decodePage<T>(
  value: unknown,
  item: (value: unknown, where: string) => T,
): { items: T[]; nextCursor: string | null } {
  const o = object(value, 'page');
  return { items: list(o, 'items', 'page', item), nextCursor: nullableString(o, 'nextCursor', 'page') };
}

/** The `{error: {code, message}}` body of a refusal, when the answer has one. */
export function decodeErrorBody(text: string): { code: string; message: string } | null {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
  } catch {
    return null;
  }
}
