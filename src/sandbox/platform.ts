import { createHash, timingSafeEqual } from 'node:crypto';
import { auditRoutes } from './platform/audit.js';
import { notFound, platformError } from './platform/errors.js';
import { impersonationRoutes } from './platform/impersonation.js';
import type {
  AnnotationRecord,
  AuditRecord,
  CommentRecord,
  RolloutRecord,
  RolloutState,
  SessionRecord,
  TicketLinkRecord,
  TicketRecord,
} from './platform/model.js';
import { emptyPlatformState, type PlatformState, parsePlatformState } from './platform/model.js';
import { rolloutRoutes } from './platform/rollouts.js';
import { matchRoute, type Route } from './platform/routes.js';
import {
  forbidden,
  PLATFORM_SCOPES,
  type PlatformScope,
  SCOPES_HEADER,
  scopeFor,
} from './platform/scopes.js';
import { seedPlatformState } from './platform/seed.js';
import { byTicketId, ticketRoutes } from './platform/tickets.js';
import { SEED_ADMINS } from './roster.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

export { PLATFORM_SCOPES, type PlatformScope } from './platform/scopes.js';
export { PLATFORM_SEED } from './platform/seed.js';

const ROUTES: readonly Route[] = [...ticketRoutes, ...impersonationRoutes, ...rolloutRoutes, ...auditRoutes];
const MUTATING_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export interface NewTicket {
  id: string;
  title?: string;
  assignee?: string | null;
  pinned?: boolean;
  status?: TicketRecord['status'];
  waitingOn?: TicketRecord['waitingOn'];
  labels?: string[];
  links?: TicketLinkRecord[];
  updatedAt?: string;
}

export interface NewSession {
  /** Generated (`imp_…`) when absent. */
  id?: string;
  admin: string;
  ticketId?: string | null;
  status?: SessionRecord['status'];
  startedAt?: string;
  endedAt?: string | null;
}

export interface NewRollout {
  flag: string;
  state?: RolloutState;
  rampPercent?: number;
  errorRatePercent?: number;
  owner?: string | null;
  annotations?: AnnotationRecord[];
}

/**
 * The platform admin API (docs/design.md#the-platform-admin-api, schemas/platform-api.openapi.yaml) as the sandbox serves it below
 * `/platform/api/v1`. HTTP answers come from the route modules in ./platform/; the typed methods below are
 * the in-process controls tests and the demo use to arrange and inspect the world. They hand out copies,
 * so a test can never change the world behind the API's back.
 */
export class PlatformEmulator implements ServiceEmulator {
  readonly service = 'platform' as const;
  private state: PlatformState;
  private scopes: PlatformScope[] = [...PLATFORM_SCOPES];

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly token: string,
  ) {
    // The roster's people exist even in an empty world, so tests that build their own can assign to them.
    this.state = emptyPlatformState(Object.values(SEED_ADMINS).map((admin) => admin.tracker));
  }

  authenticate(req: SandboxRequest): SandboxResponse | null {
    const header = req.headers.authorization;
    const presented = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
    if (presented === undefined) {
      return platformError(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"', {
        'www-authenticate': 'Bearer realm="platform-admin"',
      });
    }
    if (!sameSecret(presented, this.token)) {
      return platformError(401, 'unauthorized', 'the bearer token is not valid', {
        'www-authenticate': 'Bearer realm="platform-admin", error="invalid_token"',
      });
    }
    return null;
  }

  handle(req: SandboxRequest): SandboxResponse {
    const match = matchRoute(ROUTES, req.method, req.path);
    if (match.kind === 'wrong-method') {
      return platformError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}`, {
        allow: match.allowed.join(', '),
      });
    }
    if (match.kind === 'none') return notFound(`no such path: ${req.path}`);
    const scope = scopeFor(match.route);
    const answer = this.scopes.includes(scope)
      ? match.route.handle({ req, params: match.params, state: this.state, ctx: this.ctx })
      : forbidden(scope, this.scopes);
    return { ...answer, headers: { ...answer.headers, [SCOPES_HEADER]: this.scopes.join(' ') } };
  }

  /**
   * The token's scopes (./platform/scopes.ts): every scope by default; fewer make the requests outside them
   * answer 403 `forbidden`. Every authenticated answer names them in `X-Token-Scopes`.
   */
  setTokenScopes(scopes: readonly PlatformScope[]): void {
    const unknown = scopes.filter((scope) => !(PLATFORM_SCOPES as readonly string[]).includes(scope));
    if (unknown.length > 0) throw new Error(`no such scope: ${unknown.join(', ')}`);
    this.scopes = [...scopes];
  }

  tokenScopes(): PlatformScope[] {
    return [...this.scopes];
  }

  isMutation(req: SandboxRequest): boolean {
    return MUTATING_METHODS.has(req.method);
  }

  rateLimited(retryAfterSeconds: number): SandboxResponse {
    return platformError(429, 'rate_limited', `too many requests: retry after ${retryAfterSeconds} s`, {
      'retry-after': String(retryAfterSeconds),
    });
  }

  serverError(): SandboxResponse {
    return platformError(
      500,
      'internal',
      'the platform admin API failed; the request may not have taken effect',
    );
  }

  seed(): void {
    this.state = seedPlatformState(this.ctx.now());
  }

  snapshot(): PlatformState {
    return structuredClone(this.state);
  }

  restore(state: unknown): void {
    this.state = parsePlatformState(state);
  }

  // ------------------------------------------------------------ in-process controls

  ticket(id: string): TicketRecord | undefined {
    return copy(this.state.tickets.find((t) => t.id === id));
  }

  tickets(): TicketRecord[] {
    return copy([...this.state.tickets].sort(byTicketId));
  }

  addTicket(input: NewTicket): TicketRecord {
    if (this.state.tickets.some((t) => t.id === input.id)) throw new Error(`ticket ${input.id} exists`);
    const ticket: TicketRecord = {
      title: `TicketRecord ${input.id}`,
      assignee: null,
      pinned: false,
      status: 'open',
      waitingOn: null,
      labels: [],
      links: [],
      updatedAt: this.ctx.now().toISOString(),
      ...copy(input),
    };
    if (ticket.assignee) this.addUser(ticket.assignee);
    this.state.tickets.push(ticket);
    return copy(ticket);
  }

  setTicket(id: string, patch: Partial<Omit<TicketRecord, 'id'>>): TicketRecord {
    const ticket = this.state.tickets.find((t) => t.id === id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    Object.assign(ticket, copy(patch));
    if (ticket.assignee) this.addUser(ticket.assignee);
    return copy(ticket);
  }

  comments(ticketId: string): Omit<CommentRecord, 'ticketId'>[] {
    return this.state.comments
      .filter((c) => c.ticketId === ticketId)
      .map(({ ticketId: _ticket, ...comment }) => copy(comment));
  }

  addComment(
    ticketId: string,
    input: { author: string; body: string; createdAt?: string },
  ): Omit<CommentRecord, 'ticketId'> {
    if (!this.state.tickets.some((t) => t.id === ticketId)) throw new Error(`no ticket ${ticketId}`);
    const comment: Omit<CommentRecord, 'ticketId'> = {
      id: this.ctx.nextId('cmt_'),
      author: input.author,
      body: input.body,
      createdAt: input.createdAt ?? this.ctx.now().toISOString(),
    };
    this.state.comments.push({ ticketId, ...comment });
    return copy(comment);
  }

  session(id: string): SessionRecord | undefined {
    return copy(this.state.sessions.find((s) => s.id === id));
  }

  sessions(): SessionRecord[] {
    return copy(this.state.sessions);
  }

  addSession(input: NewSession): SessionRecord {
    const id = input.id ?? this.ctx.nextId('imp_');
    if (this.state.sessions.some((s) => s.id === id)) throw new Error(`session ${id} exists`);
    const status = input.status ?? 'open';
    const now = this.ctx.now().toISOString();
    const session: SessionRecord = {
      id,
      admin: input.admin,
      ticketId: input.ticketId ?? null,
      status,
      startedAt: input.startedAt ?? now,
      endedAt: input.endedAt ?? (status === 'ended' ? now : null),
    };
    this.addUser(session.admin);
    this.state.sessions.push(session);
    return copy(session);
  }

  rollout(flag: string): RolloutRecord | undefined {
    return copy(this.state.rollouts.find((r) => r.flag === flag));
  }

  rollouts(): RolloutRecord[] {
    return copy(this.state.rollouts);
  }

  addRollout(input: NewRollout): RolloutRecord {
    if (this.state.rollouts.some((r) => r.flag === input.flag))
      throw new Error(`rollout ${input.flag} exists`);
    const rollout: RolloutRecord = {
      state: 'ramping',
      rampPercent: 0,
      errorRatePercent: 0,
      owner: null,
      annotations: [],
      ...copy(input),
    };
    if (rollout.owner) this.addUser(rollout.owner);
    this.state.rollouts.push(rollout);
    return copy(rollout);
  }

  setRollout(flag: string, patch: Partial<Omit<RolloutRecord, 'flag'>>): RolloutRecord {
    const rollout = this.state.rollouts.find((r) => r.flag === flag);
    if (!rollout) throw new Error(`no rollout ${flag}`);
    Object.assign(rollout, copy(patch));
    if (rollout.owner) this.addUser(rollout.owner);
    return copy(rollout);
  }

  auditLog(): AuditRecord[] {
    return copy(this.state.audit);
  }

  addAuditEvent(input: Omit<AuditRecord, 'id' | 'at'> & { at?: string }): AuditRecord {
    const event: AuditRecord = {
      id: this.ctx.nextId('aud_'),
      action: input.action,
      actor: input.actor,
      target: input.target,
      at: input.at ?? this.ctx.now().toISOString(),
    };
    this.state.audit.push(event);
    return copy(event);
  }

  /** Makes a handle known to the platform, so it may be an assignee, owner or author. */
  addUser(handle: string): void {
    if (!this.state.users.includes(handle)) this.state.users.push(handle);
  }
}

function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** Constant-time comparison whatever the lengths: compare digests, never the raw strings. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
