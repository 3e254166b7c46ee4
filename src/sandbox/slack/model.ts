/**
 * The Slack emulator's stored world and the small value helpers around it
 * (message timestamps and pagination cursors in Slack's own formats).
 */

export interface SlackChannel {
  id: string;
  name: string;
  /**
   * Whether the sandbox's bot was invited. A bot outside a channel can neither read its history nor
   * (without `chat:write.public`) post in it: Slack answers `not_in_channel`. Absent in saved states
   * from before membership was modelled: taken as invited.
   */
  botIsMember?: boolean;
}

/**
 * The OAuth scopes a bot token may hold that the handover methods need, as Slack's method pages list them.
 * The seed installation holds them all; `setBotScopes` narrows them like a fresh install would.
 */
export const FULL_BOT_SCOPES = [
  'chat:write',
  'channels:read',
  'channels:history',
  'reactions:read',
  'reactions:write',
  'users:read',
  'users:read.email',
] as const;

export interface SlackUser {
  id: string;
  /** The handle (`name` on the wire). */
  name: string;
  realName: string;
  email: string;
  isBot: boolean;
}

/** The formatting flags chat.postMessage received, exactly as sent (absent → undefined). */
export interface SlackPostFlags {
  mrkdwn?: string;
  parse?: string;
  linkNames?: string;
  unfurlLinks?: string;
  unfurlMedia?: string;
}

export interface SlackStoredReaction {
  name: string;
  users: string[];
}

export interface SlackStoredMessage {
  channel: string;
  ts: string;
  /** The posting user (the bot's user id for posts made with the bot token). */
  user: string;
  botId: string | null;
  /** The raw text exactly as the client sent it: tests look for unescaped `<!channel>` here. */
  text: string;
  /** The thread parent's ts for replies; null for top-level messages. */
  threadTs: string | null;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
  reactions: SlackStoredReaction[];
  flags: SlackPostFlags;
  /** Set by chat.update. */
  editedTs: string | null;
  /** Legacy attachments and Block Kit blocks as posted (alert bots often put all their text there). */
  attachments?: unknown[];
  blocks?: unknown[];
}

export interface SlackState {
  teamId: string;
  teamName: string;
  channels: SlackChannel[];
  users: SlackUser[];
  /** Chronological (ascending ts). */
  messages: SlackStoredMessage[];
  /** The last ts handed out, in microseconds: keeps ts unique and increasing under a pinned clock. */
  lastTsMicros: number;
  /** The bot token's scopes (absent in older saved states: all of FULL_BOT_SCOPES). */
  botScopes?: string[];
}

/** The bot the sandbox's Slack token belongs to. */
export const SANDBOX_BOT = {
  userId: 'U0HANDOVER',
  botId: 'B0HANDOVER',
  name: 'handover',
} as const;

export function emptySlackState(): SlackState {
  return {
    teamId: 'T0NOVAVMS',
    teamName: 'NovaVMS',
    channels: [],
    users: [],
    messages: [],
    lastTsMicros: 0,
    botScopes: [...FULL_BOT_SCOPES],
  };
}

export function botScopes(state: SlackState): string[] {
  return state.botScopes ?? [...FULL_BOT_SCOPES];
}

export function botIsMember(channel: SlackChannel): boolean {
  return channel.botIsMember !== false;
}

/** `1764201600.000100`: seconds, a dot, six digits of microseconds (Slack's message id format). */
export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros % 1_000_000;
  return `${seconds}.${fraction.toString().padStart(6, '0')}`;
}

/** Parses a Slack ts (`"1764201600.000100"`, also `"1764201600"`) into microseconds; null if malformed. */
export function parseTs(ts: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(ts.trim());
  if (!match) return null;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0'));
}

/** The next ts for a new message: the clock's microsecond, or one past the last one handed out. */
export function nextTsMicros(state: SlackState, now: Date): number {
  const micros = Math.max(now.getTime() * 1000, state.lastTsMicros + 1);
  state.lastTsMicros = micros;
  return micros;
}

/** Slack's cursors are base64 of `next_ts:<ts>`; ours point at the first message of the next page. */
export function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`, 'utf8').toString('base64');
}

export function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('next_ts:')) return null;
  return parseTs(text.slice('next_ts:'.length));
}

/** Reaction names as Slack stores them: no colons, `thumbsup` folded into its canonical `+1`. */
export function canonicalReaction(name: string): string | null {
  const bare = name.trim().replace(/^:|:$/g, '');
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(bare)) return null;
  const [base, tone] = bare.split('::');
  const canonical = base === 'thumbsup' ? '+1' : base === 'thumbsdown' ? '-1' : base;
  return tone ? `${canonical}::${tone}` : (canonical ?? null);
}
