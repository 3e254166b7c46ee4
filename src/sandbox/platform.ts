import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  AuditEvent,
  ImpersonationSession,
  Rollout,
  RolloutAnnotation,
  Ticket,
  TicketComment,
  TicketLink,
} from '../providers/types.js';
import { notFound, platformError } from './platform/answers.js';
import { auditRoutes } from './platform/audit.js';
import { impersonationRoutes } from './platform/impersonation.js';
import { rolloutRoutes } from './platform/rollouts.js';
import { matchRoute, type Route } from './platform/router.js';
import { seedPlatformWorld } from './platform/seed.js';
import { byTicketId, ticketRoutes } from './platform/tickets.js';
import { emptyWorld, type PlatformWorld, parseWorld } from './platform/world.js';
import { SEED_ADMINS } from './roster.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

export { PLATFORM_SEED } from './platform/seed.js';

const ROUTES: readonly Route[] = [...ticketRoutes, ...impersonationRoutes, ...rolloutRoutes, ...auditRoutes];
const MUTATING_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export interface NewTicket {
  id: string;
  title?: string;
  assignee?: string | null;
  pinned?: boolean;
  status?: Ticket['status'];
  waitingOn?: Ticket['waitingOn'];
  labels?: string[];
  links?: TicketLink[];
  updatedAt?: string;
}

export interface NewSession {
  /** Generated (`imp_…`) when absent. */
  id?: string;
  admin: string;
  ticketId?: string | null;
  status?: ImpersonationSession['status'];
  startedAt?: string;
  endedAt?: string | null;
}

export interface NewRollout {
  flag: string;
  state?: Rollout['state'];
  rampPercent?: number;
  errorRatePercent?: number;
  owner?: string | null;
  annotations?: RolloutAnnotation[];
}

/**
 * The platform admin API (spec §5, schemas/platform-api.openapi.yaml) as the sandbox serves it below
 * `/platform/api/v1`. HTTP answers come from the route modules in ./platform/; the typed methods below are
 * the in-process controls tests and the demo use to arrange and inspect the world. They hand out copies,
 * so a test can never change the world behind the API's back.
 */
export class PlatformEmulator implements ServiceEmulator {
  readonly service = 'platform' as const;
  private world: PlatformWorld;

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly token: string,
  ) {
    // The roster's people exist even in an empty world, so tests that build their own can assign to them.
    this.world = emptyWorld(Object.values(SEED_ADMINS).map((admin) => admin.tracker));
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
    return match.route.handle({ req, params: match.params, world: this.world, ctx: this.ctx });
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
    this.world = seedPlatformWorld(this.ctx.now());
  }

  snapshot(): PlatformWorld {
    return structuredClone(this.world);
  }

  restore(state: unknown): void {
    this.world = parseWorld(state);
  }

  // ------------------------------------------------------------ in-process controls

  ticket(id: string): Ticket | undefined {
    return copy(this.world.tickets.find((t) => t.id === id));
  }

  tickets(): Ticket[] {
    return copy([...this.world.tickets].sort(byTicketId));
  }

  addTicket(input: NewTicket): Ticket {
    if (this.world.tickets.some((t) => t.id === input.id)) throw new Error(`ticket ${input.id} exists`);
    const ticket: Ticket = {
      title: `Ticket ${input.id}`,
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
    this.world.tickets.push(ticket);
    return copy(ticket);
  }

  setTicket(id: string, patch: Partial<Omit<Ticket, 'id'>>): Ticket {
    const ticket = this.world.tickets.find((t) => t.id === id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    Object.assign(ticket, copy(patch));
    if (ticket.assignee) this.addUser(ticket.assignee);
    return copy(ticket);
  }

  comments(ticketId: string): TicketComment[] {
    return this.world.comments
      .filter((c) => c.ticketId === ticketId)
      .map(({ ticketId: _ticket, ...comment }) => copy(comment));
  }

  addComment(ticketId: string, input: { author: string; body: string; createdAt?: string }): TicketComment {
    if (!this.world.tickets.some((t) => t.id === ticketId)) throw new Error(`no ticket ${ticketId}`);
    const comment: TicketComment = {
      id: this.ctx.nextId('cmt_'),
      author: input.author,
      body: input.body,
      createdAt: input.createdAt ?? this.ctx.now().toISOString(),
    };
    this.world.comments.push({ ticketId, ...comment });
    return copy(comment);
  }

  session(id: string): ImpersonationSession | undefined {
    return copy(this.world.sessions.find((s) => s.id === id));
  }

  sessions(): ImpersonationSession[] {
    return copy(this.world.sessions);
  }

  addSession(input: NewSession): ImpersonationSession {
    const id = input.id ?? this.ctx.nextId('imp_');
    if (this.world.sessions.some((s) => s.id === id)) throw new Error(`session ${id} exists`);
    const status = input.status ?? 'open';
    const now = this.ctx.now().toISOString();
    const session: ImpersonationSession = {
      id,
      admin: input.admin,
      ticketId: input.ticketId ?? null,
      status,
      startedAt: input.startedAt ?? now,
      endedAt: input.endedAt ?? (status === 'ended' ? now : null),
    };
    this.addUser(session.admin);
    this.world.sessions.push(session);
    return copy(session);
  }

  rollout(flag: string): Rollout | undefined {
    return copy(this.world.rollouts.find((r) => r.flag === flag));
  }

  rollouts(): Rollout[] {
    return copy(this.world.rollouts);
  }

  addRollout(input: NewRollout): Rollout {
    if (this.world.rollouts.some((r) => r.flag === input.flag))
      throw new Error(`rollout ${input.flag} exists`);
    const rollout: Rollout = {
      state: 'ramping',
      rampPercent: 0,
      errorRatePercent: 0,
      owner: null,
      annotations: [],
      ...copy(input),
    };
    if (rollout.owner) this.addUser(rollout.owner);
    this.world.rollouts.push(rollout);
    return copy(rollout);
  }

  setRollout(flag: string, patch: Partial<Omit<Rollout, 'flag'>>): Rollout {
    const rollout = this.world.rollouts.find((r) => r.flag === flag);
    if (!rollout) throw new Error(`no rollout ${flag}`);
    Object.assign(rollout, copy(patch));
    if (rollout.owner) this.addUser(rollout.owner);
    return copy(rollout);
  }

  auditLog(): AuditEvent[] {
    return copy(this.world.audit);
  }

  addAuditEvent(input: Omit<AuditEvent, 'id' | 'at'> & { at?: string }): AuditEvent {
    const event: AuditEvent = {
      id: this.ctx.nextId('aud_'),
      action: input.action,
      actor: input.actor,
      target: input.target,
      at: input.at ?? this.ctx.now().toISOString(),
    };
    this.world.audit.push(event);
    return copy(event);
  }

  /** Makes a handle known to the platform, so it may be an assignee, owner or author. */
  addUser(handle: string): void {
    if (!this.world.users.includes(handle)) this.world.users.push(handle);
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
