import type { SandboxRequest } from '../types.js';
import type { SlackState, SlackStoredMessage, SlackUser } from './model.js';

/**
 * A method's arguments as Slack reads them: query string and body together (the body wins),
 * from a form-encoded body (what @slack/web-api sends) or a JSON one.
 */
export class SlackArgs {
  private readonly values: Record<string, unknown>;

  constructor(req: SandboxRequest) {
    const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
    this.values = { ...Object.fromEntries(req.query), ...(body as Record<string, unknown>) };
  }

  /** The value as Slack's form decoder would see it: a string, or undefined when absent or empty. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === null) return undefined;
    const text =
      typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return text === '' ? undefined : text;
  }

  /** `true`, `1` (and JSON true) are true; everything else is false. */
  flag(name: string): boolean {
    const value = this.string(name);
    return value === 'true' || value === '1';
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = Number.parseInt(this.string(name) ?? '', 10);
    if (!Number.isFinite(value)) return fallback;
    return Math.min(max, Math.max(min, value));
  }

  /** Serves at most `cap` whatever was asked (absent counts as asking for more). */
  capInteger(name: string, cap: number): void {
    const value = Number.parseInt(this.string(name) ?? '', 10);
    this.values[name] = String(Number.isFinite(value) && value > 0 ? Math.min(value, cap) : cap);
  }

  /** The raw value (objects stay objects when the body was JSON). */
  raw(name: string): unknown {
    return this.values[name];
  }
}

export interface WireOptions {
  includeMetadata: boolean;
}

/** The JSON Slack returns for one message, including the thread summary on a parent. */
export function messageToWire(
  state: SlackState,
  message: SlackStoredMessage,
  options: WireOptions,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    type: 'message',
    user: message.user,
    text: message.text,
    ts: message.ts,
    team: state.teamId,
  };
  if (message.botId) wire.bot_id = message.botId;
  if (message.attachments) wire.attachments = structuredClone(message.attachments);
  if (message.blocks) wire.blocks = structuredClone(message.blocks);
  if (message.threadTs) {
    wire.thread_ts = message.threadTs;
    const parent = state.messages.find((m) => m.channel === message.channel && m.ts === message.threadTs);
    if (parent) wire.parent_user_id = parent.user;
  }
  const replies = state.messages.filter(
    (m) => m.channel === message.channel && m.threadTs === message.ts && m.ts !== message.ts,
  );
  if (replies.length > 0 && !message.threadTs) {
    const replyUsers = [...new Set(replies.map((r) => r.user))];
    wire.thread_ts = message.ts;
    wire.reply_count = replies.length;
    wire.reply_users = replyUsers;
    wire.reply_users_count = replyUsers.length;
    wire.latest_reply = replies[replies.length - 1]!.ts;
  }
  const reactions = message.reactions.filter((r) => r.users.length > 0);
  if (reactions.length > 0) {
    wire.reactions = reactions.map((r) => ({ name: r.name, users: [...r.users], count: r.users.length }));
  }
  if (message.editedTs) wire.edited = { user: message.user, ts: message.editedTs };
  if (options.includeMetadata && message.metadata) wire.metadata = structuredClone(message.metadata);
  return wire;
}

/** users.lookupByEmail's user object. */
export function userToWire(state: SlackState, user: SlackUser): Record<string, unknown> {
  return {
    id: user.id,
    team_id: state.teamId,
    name: user.name,
    deleted: false,
    color: '9f69e7',
    real_name: user.realName,
    tz: 'Europe/Paris',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    profile: {
      avatar_hash: 'g0000000000a',
      status_text: '',
      status_emoji: '',
      real_name: user.realName,
      display_name: user.name,
      real_name_normalized: user.realName,
      display_name_normalized: user.name,
      email: user.email,
      title: user.isBot ? '' : 'Platform administrator',
      phone: '',
      skype: '',
      fields: null,
      team: state.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: 1_700_000_000,
    has_2fa: true,
  };
}
