import { timingSafeEqual } from 'node:crypto';
import { ok200, rateLimited } from './slack/errors.js';
import {
  emptySlackState,
  formatTs,
  nextTsMicros,
  type SlackState,
  type SlackStoredMessage,
} from './slack/model.js';
import { addReactionTo, findChannel, SLACK_METHODS, SLACK_MUTATIONS } from './slack/routes.js';
import { seedSlackState } from './slack/seed.js';
import { SlackArgs } from './slack/wire.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

export type { SlackPostFlags, SlackStoredMessage, SlackStoredReaction } from './slack/model.js';
export { SANDBOX_BOT } from './slack/model.js';

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
    if (!method) return ok200({ ok: false, error: 'unknown_method', req_method: name });
    return ok200(method({ state: this.state, args: new SlackArgs(req), now: this.ctx.now() }));
  }

  isMutation(req: SandboxRequest): boolean {
    return SLACK_MUTATIONS.has(req.path.replace(/^\//, ''));
  }

  rateLimited(retryAfterSeconds: number): SandboxResponse {
    return rateLimited(retryAfterSeconds);
  }

  serverError(): SandboxResponse {
    // Slack's edge answers an internal failure with a 5xx; the body, when JSON, names `fatal_error`.
    return { status: 500, body: { ok: false, error: 'fatal_error' } };
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
  postAs(user: string, channel: string, text: string, options: { threadTs?: string } = {}): string {
    const message: SlackStoredMessage = {
      channel: this.channelId(channel),
      ts: formatTs(nextTsMicros(this.state, this.ctx.now())),
      user,
      botId: null,
      text,
      threadTs: options.threadTs ?? null,
      metadata: null,
      reactions: [],
      flags: {},
      editedTs: null,
    };
    this.state.messages.push(message);
    return message.ts;
  }

  /** Adds a channel (tests of unknown/extra channels). */
  addChannel(id: string, name: string): void {
    if (!this.state.channels.some((c) => c.id === id)) this.state.channels.push({ id, name });
  }

  private channelId(channel: string): string {
    const found = findChannel(this.state, channel);
    if (!found) throw new Error(`sandbox slack: no channel ${channel}`);
    return found.id;
  }
}
