import { timingSafeEqual } from 'node:crypto';
import { fail, ok200, rateLimited } from './slack/errors.js';
import { type SlackLimitSettings, SlackLimits } from './slack/limits.js';
import {
  botScopes,
  emptySlackState,
  formatTs,
  nextTsMicros,
  type SlackState,
  type SlackStoredMessage,
} from './slack/model.js';
import { addReactionTo, findChannel, METHOD_SCOPES, SLACK_METHODS, SLACK_MUTATIONS } from './slack/routes.js';
import { seedSlackState } from './slack/seed.js';
import { SlackArgs } from './slack/wire.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

export type { SlackLimitSettings } from './slack/limits.js';
export type { SlackPostFlags, SlackStoredMessage, SlackStoredReaction } from './slack/model.js';
export { FULL_BOT_SCOPES, SANDBOX_BOT } from './slack/model.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Slack Web API subset handover uses, served below `/slack/api`: every method is
 * `POST /<method>` (form-encoded as @slack/web-api sends it, JSON also accepted).
 */
export class SlackEmulator implements ServiceEmulator {
  readonly service = 'slack' as const;
  private state: SlackState = emptySlackState();
  private readonly limits = new SlackLimits();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly token: string,
  ) {}

  authenticate(req: SandboxRequest): SandboxResponse | null {
    const header = String(req.headers.authorization ?? '');
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    // Older clients put the token in the form body or the query string; Slack still accepts that.
    const given = bearer ?? new SlackArgs(req).string('token');
    if (!given) return ok200({ ok: false, error: 'not_authed' });
    if (!sameSecret(given, this.token)) return ok200({ ok: false, error: 'invalid_auth' });
    return null;
  }

  handle(req: SandboxRequest): SandboxResponse {
    const name = req.path.replace(/^\//, '');
    const method = SLACK_METHODS[name];
    const scopes = botScopes(this.state);
    // Slack names the token's scopes on every answer, and the ones the method accepts.
    const headers: Record<string, string> = {
      'x-oauth-scopes': scopes.join(','),
      'x-accepted-oauth-scopes': METHOD_SCOPES[name] ?? '',
    };
    if (!method) return { ...ok200({ ok: false, error: 'unknown_method', req_method: name }), headers };
    const needed = METHOD_SCOPES[name];
    if (needed && !scopes.includes(needed)) {
      return { ...ok200(fail('missing_scope', { needed, provided: scopes.join(',') })), headers };
    }
    const args = new SlackArgs(req);
    const limited = this.limits.check(name, args, this.ctx.now());
    if (limited) return limited;
    return { ...ok200(method({ state: this.state, args, now: this.ctx.now() })), headers };
  }

  isMutation(req: SandboxRequest): boolean {
    return SLACK_MUTATIONS.has(req.path.replace(/^\//, ''));
  }

  rateLimited(retryAfterSeconds: number): SandboxResponse {
    return rateLimited(retryAfterSeconds);
  }

  serverError(): SandboxResponse {
    // Slack reports its own trouble as a method error: HTTP 200, `ok: false`, `internal_error`
    // (docs: "internal_error — The server could not complete your operation(s) without encountering an
    // error"). `edgeFailure` in the limits switches to the rarer 5xx from Slack's edge.
    return this.limits.edgeFailures
      ? { status: 500, body: { ok: false, error: 'fatal_error' } }
      : ok200(fail('internal_error'));
  }

  seed(): void {
    this.state = seedSlackState(this.ctx.now());
  }

  snapshot(): unknown {
    return structuredClone(this.state);
  }

  restore(state: unknown): void {
    const candidate = state as Partial<SlackState> | undefined;
    this.state =
      candidate && Array.isArray(candidate.messages) && Array.isArray(candidate.channels)
        ? { ...emptySlackState(), ...structuredClone(candidate) }
        : emptySlackState();
  }

  // ------------------------------------------------------------ in-process controls (tests, demo)

  /** Every message of the channel (top-level and replies), oldest first, as stored. */
  messages(channel: string): SlackStoredMessage[] {
    const id = this.channelId(channel);
    return structuredClone(this.state.messages.filter((m) => m.channel === id));
  }

  /** A thread: the parent first, then its replies, oldest first. */
  thread(channel: string, ts: string): SlackStoredMessage[] {
    const id = this.channelId(channel);
    return structuredClone(
      this.state.messages.filter((m) => m.channel === id && (m.ts === ts || m.threadTs === ts)),
    );
  }

  /** Adds a reaction as `user` (e.g. the incoming admin's `+1`); idempotent for the same user. */
  addReaction(channel: string, ts: string, name: string, user: string): void {
    const outcome = addReactionTo(this.state, this.channelId(channel), ts, name, user);
    if (outcome === 'message_not_found' || outcome === 'invalid_name') {
      throw new Error(`sandbox slack: cannot add :${name}: to ${channel} ${ts}: ${outcome}`);
    }
  }

  /** Posts as a person (not the bot), e.g. chatter the emergency digest should pick up. Returns the ts. */
  postAs(
    user: string,
    channel: string,
    text: string,
    options: { threadTs?: string; attachments?: unknown[]; blocks?: unknown[]; botId?: string } = {},
  ): string {
    const message: SlackStoredMessage = {
      channel: this.channelId(channel),
      ts: formatTs(nextTsMicros(this.state, this.ctx.now())),
      user,
      botId: options.botId ?? null,
      text,
      threadTs: options.threadTs ?? null,
      metadata: null,
      reactions: [],
      flags: {},
      editedTs: null,
      ...(options.attachments ? { attachments: structuredClone(options.attachments) } : {}),
      ...(options.blocks ? { blocks: structuredClone(options.blocks) } : {}),
    };
    this.state.messages.push(message);
    return message.ts;
  }

  /** Adds a channel (tests of unknown/extra channels); the bot is invited unless `botIsMember: false`. */
  addChannel(id: string, name: string, options: { botIsMember?: boolean } = {}): void {
    if (!this.state.channels.some((c) => c.id === id))
      this.state.channels.push({ id, name, botIsMember: options.botIsMember ?? true });
  }

  /** Invites the bot to a channel, or removes it (a fresh install is in no channel). */
  setBotMembership(channel: string, member: boolean): void {
    const found = findChannel(this.state, channel);
    if (!found) throw new Error(`sandbox slack: no channel ${channel}`);
    found.botIsMember = member;
  }

  /** The bot token's scopes, as the app's OAuth page grants them. */
  setBotScopes(scopes: readonly string[]): void {
    this.state.botScopes = [...scopes];
  }

  botScopes(): string[] {
    return botScopes(this.state);
  }

  /**
   * An app as it is right after installation: not invited anywhere, holding only `scopes`
   * (default: chat:write alone, the scope Slack's quick-start asks for).
   */
  freshInstall(scopes: readonly string[] = ['chat:write']): void {
    this.setBotScopes(scopes);
    for (const channel of this.state.channels) channel.botIsMember = false;
  }

  /**
   * Rate tiers of apps outside the Slack Marketplace (Slack changelog, May 2025): conversations.history
   * and conversations.replies at one call a minute per method, at most 15 messages a page. Off by
   * default (Marketplace apps and apps created before the change keep tier 3); `edgeFailures` makes
   * injected server errors 5xx from Slack's edge instead of HTTP 200 `internal_error`.
   */
  setLimits(limits: Partial<SlackLimitSettings>): void {
    this.limits.configure(limits);
  }

  private channelId(channel: string): string {
    const found = findChannel(this.state, channel);
    if (!found) throw new Error(`sandbox slack: no channel ${channel}`);
    return found.id;
  }
}
