import {
  accessDenied,
  authenticationFailed,
  internalError,
  notFound,
  rateLimitExceeded,
} from './pagerduty/errors.js';
import {
  type ApiKeyKind,
  addNote,
  createIncident,
  emptyState,
  findIncident,
  findSchedule,
  findUser,
  type IncidentRecord,
  isPagerDutyState,
  type LogEntryRecord,
  type NewIncident,
  type NoteRecord,
  type OverrideRecord,
  type PagerDutyState,
  type RotationRecord,
  resolve,
  type UserRecord,
} from './pagerduty/model.js';
import { type HandlerContext, header } from './pagerduty/requests.js';
import { onCallAt } from './pagerduty/rotation.js';
import { matchRoute, pagerDutyRoutes, type Route } from './pagerduty/routes.js';
import { seedState } from './pagerduty/seed.js';
import { DEFAULT_ACCOUNT_TIME_ZONE, isoSeconds, isTimeZone } from './pagerduty/time.js';
import { WEB_APP_URL } from './pagerduty/wire.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

export type {
  ApiKeyKind,
  IncidentRecord,
  LogEntryRecord,
  NewIncident,
  NoteRecord,
  OverrideRecord,
  PagerDutyState,
  RotationRecord,
  UserRecord,
} from './pagerduty/model.js';
export { BILLING_SCHEDULE_ID, BILLING_USER_ID, SEED_INCIDENTS } from './pagerduty/seed.js';

/**
 * The PagerDuty REST API v2, for the subset handover uses: incidents (list, get, update, bulk
 * update), notes, log entries, schedule overrides, on-calls and users — with PagerDuty's paths,
 * status codes, error bodies, classic pagination, `From` header rules and rate-limit answer.
 *
 * Besides HTTP, tests and the demo build worlds through the control methods below; they change
 * state exactly as the API would (log entries included) and return copies, never live records.
 */
export class PagerDutyEmulator implements ServiceEmulator {
  readonly service = 'pagerduty' as const;
  private state: PagerDutyState = emptyState();
  private readonly routes: Route[] = pagerDutyRoutes();
  private key: ApiKeyKind = { kind: 'general' };

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly token: string,
  ) {}

  // ------------------------------------------------------------------ ServiceEmulator

  authenticate(req: SandboxRequest): SandboxResponse | null {
    const authorization = header(req, 'authorization') ?? '';
    const accepted = [`Token token=${this.token}`, `Bearer ${this.token}`];
    return accepted.includes(authorization.trim()) ? null : authenticationFailed();
  }

  handle(req: SandboxRequest): SandboxResponse {
    const match = matchRoute(this.routes, req.method, req.path);
    if (!match) return notFound();
    if (this.key.kind === 'read-only' && req.method !== 'GET')
      return accessDenied('This API key is read-only: it may not create or change anything');
    return match.route.handle(this.handlerContext(req.baseUrl), req, match.params);
  }

  isMutation(req: SandboxRequest): boolean {
    // An empty bulk update changes nothing (clients send one to learn whether they may write).
    if (req.method === 'PUT' && req.path === '/incidents') {
      const items = (req.body as { incidents?: unknown } | null | undefined)?.incidents;
      if (Array.isArray(items) && items.length === 0) return false;
    }
    return req.method === 'POST' || req.method === 'PUT' || req.method === 'DELETE';
  }

  rateLimited(retryAfterSeconds: number): SandboxResponse {
    return rateLimitExceeded(retryAfterSeconds);
  }

  serverError(): SandboxResponse {
    return internalError();
  }

  seed(): void {
    this.state = seedState({ now: () => this.ctx.now(), nextId: (prefix) => this.ctx.nextId(prefix) });
  }

  snapshot(): PagerDutyState {
    return structuredClone(this.state);
  }

  /** Loads saved state; anything that is not this emulator's state (or nothing) starts an empty world. */
  restore(state: unknown): void {
    this.state = isPagerDutyState(state) ? structuredClone(state) : emptyState();
  }

  // ------------------------------------------------------------------ control methods

  /**
   * What kind of key the sandbox's token is: a general account key (the default), a read-only account key
   * (every write answers 403), or a user-level token of `userId` (writes act as that user).
   */
  setApiKey(key: ApiKeyKind): void {
    if (key.kind === 'user' && !findUser(this.state, key.userId)) throw new Error(`no user ${key.userId}`);
    this.key = key;
  }

  /**
   * The account's time zone: every time an answer carries is rendered in it (`2026-03-08T01:30:00-05:00`),
   * except where a request's `time_zone` asks for another or the endpoint defaults to UTC (GET /incidents).
   * Default: America/New_York, so offsets change with daylight-saving time.
   */
  setAccountTimeZone(zone: string): void {
    if (!isTimeZone(zone)) throw new Error(`not a time zone: ${zone}`);
    this.state.timeZone = zone;
  }

  timeZone(): string {
    return this.state.timeZone ?? DEFAULT_ACCOUNT_TIME_ZONE;
  }

  /** Changes a user's role (e.g. to observer, who may not act on incidents). */
  setUserRole(userId: string, role: UserRecord['role']): void {
    const user = findUser(this.state, userId);
    if (!user) throw new Error(`no user ${userId}`);
    user.role = role;
  }

  /** Triggers an incident as an alert would (then acknowledges or resolves it if asked); returns its id. */
  addIncident(input: NewIncident): string {
    if (input.id && findIncident(this.state, input.id))
      throw new Error(`incident ${input.id} already exists`);
    if (input.number !== undefined && this.state.incidents.some((i) => i.number === input.number))
      throw new Error(`incident number ${input.number} is taken`);
    return createIncident(this.worldContext(), input).id;
  }

  /** Resolves an incident, as the given user or (without one) automatically. */
  resolveIncident(id: string, byUserId?: string): void {
    resolve(this.worldContext(), this.requireIncident(id), byUserId ?? null);
  }

  incident(id: string): IncidentRecord | undefined {
    const incident = findIncident(this.state, id);
    return incident ? structuredClone(incident) : undefined;
  }

  incidents(): IncidentRecord[] {
    return structuredClone(this.state.incidents);
  }

  /** Adds a note as the given user (as POST /incidents/{id}/notes would); returns its id. */
  addNote(incidentId: string, userId: string, content: string): string {
    return addNote(this.worldContext(), this.requireIncident(incidentId), userId, content).id;
  }

  /** Oldest first. */
  notes(incidentId: string): NoteRecord[] {
    return structuredClone(this.requireIncident(incidentId).notes);
  }

  /** Oldest first. */
  logEntries(incidentId: string): LogEntryRecord[] {
    return structuredClone(this.requireIncident(incidentId).logEntries);
  }

  /** In creation order (the last one wins where two overlap). */
  overrides(scheduleId: string): OverrideRecord[] {
    return structuredClone(this.requireSchedule(scheduleId).overrides);
  }

  /** Replaces the schedule's rotation layer: `start` is a hand-off instant; turns default to a week. */
  setRotation(
    scheduleId: string,
    rotation: { userIds: string[]; start: Date | string; turnLengthSeconds?: number },
  ): void {
    const next: RotationRecord = {
      userIds: [...rotation.userIds],
      start: isoSeconds(new Date(rotation.start)),
      turnLengthSeconds: rotation.turnLengthSeconds ?? 7 * 24 * 60 * 60,
    };
    this.requireSchedule(scheduleId).rotation = next;
  }

  /** Which schedules each level of an escalation policy pages (level 1 first). */
  setEscalationLevels(policyId: string, levels: string[][]): void {
    const policy = this.state.escalationPolicies.find((p) => p.id === policyId);
    if (!policy) throw new Error(`no escalation policy ${policyId}`);
    policy.levels = levels.map((scheduleIds) => ({ scheduleIds: [...scheduleIds] }));
  }

  /** Who the final schedule (rotation plus overrides) has on call at that instant. */
  onCallAt(scheduleId: string, at: Date | string): string | null {
    return onCallAt(this.requireSchedule(scheduleId), new Date(at).getTime());
  }

  /** Adds a user to the account; returns its id. */
  addUser(user: { name: string; email: string; id?: string; role?: UserRecord['role'] }): string {
    const id = user.id ?? this.ctx.nextId('PU');
    this.state.users.push({
      id,
      name: user.name,
      email: user.email,
      timeZone: 'UTC',
      role: user.role ?? 'user',
    });
    return id;
  }

  users(): UserRecord[] {
    return structuredClone(this.state.users);
  }

  // ------------------------------------------------------------------ internals

  private worldContext() {
    return {
      state: this.state,
      now: () => this.ctx.now(),
      nextId: (prefix: string) => this.ctx.nextId(prefix),
    };
  }

  private handlerContext(baseUrl: string): HandlerContext {
    return {
      ...this.worldContext(),
      links: { api: baseUrl, web: WEB_APP_URL, timeZone: this.timeZone() },
      key: this.key,
    };
  }

  private requireIncident(id: string): IncidentRecord {
    const incident = findIncident(this.state, id);
    if (!incident) throw new Error(`no incident ${id}`);
    return incident;
  }

  private requireSchedule(id: string) {
    const schedule = findSchedule(this.state, id);
    if (!schedule) throw new Error(`no schedule ${id}`);
    return schedule;
  }
}
