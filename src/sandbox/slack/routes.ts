/**
 * The Slack Web API methods the product uses, as pure functions of the stored world and the
 * call's arguments. Each answers what Slack answers: `{ok: true, …}` or `{ok: false, error}`,
 * always with HTTP 200 (Slack reports method errors in the body).
 */

import { fail, type SlackFailure } from './errors.js';
import {
  botIsMember,
  botScopes,
  canonicalReaction,
  decodeCursor,
  encodeCursor,
  formatTs,
  nextTsMicros,
  parseTs,
  SANDBOX_BOT,
  type SlackChannel,
  type SlackState,
  type SlackStoredMessage,
} from './model.js';
import { messageToWire, type SlackArgs, userToWire } from './wire.js';

export type SlackBody = { ok: true; [key: string]: unknown } | SlackFailure;

export interface MethodContext {
  state: SlackState;
  args: SlackArgs;
  now: Date;
}

type Method = (ctx: MethodContext) => SlackBody;

/** Slack truncates longer texts rather than refusing them. */
const MAX_TEXT = 40_000;

/** A channel by id, or by name with or without `#` (chat.postMessage accepts both). */
export function findChannel(state: SlackState, idOrName: string | undefined): SlackChannel | undefined {
  if (!idOrName) return undefined;
  const name = idOrName.replace(/^#/, '');
  return state.channels.find((c) => c.id === idOrName || c.name === name);
}

function findMessage(state: SlackState, channel: string, ts: string): SlackStoredMessage | undefined {
  return state.messages.find((m) => m.channel === channel && m.ts === ts);
}

/** Parses `metadata` (a JSON string from form bodies, an object from JSON bodies). */
function readMetadata(args: SlackArgs): SlackStoredMessage['metadata'] | 'invalid' {
  const raw = args.raw('metadata');
  if (raw === undefined || raw === null || raw === '') return null;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'invalid';
    }
  }
  if (!value || typeof value !== 'object') return 'invalid';
  const { event_type: eventType, event_payload: eventPayload } = value as Record<string, unknown>;
  if (typeof eventType !== 'string' || !eventType) return 'invalid';
  if (eventPayload === undefined) return { event_type: eventType, event_payload: {} };
  if (!eventPayload || typeof eventPayload !== 'object' || Array.isArray(eventPayload)) return 'invalid';
  return { event_type: eventType, event_payload: eventPayload as Record<string, unknown> };
}

/** The thread a reply joins: a reply to a reply joins the parent's thread, an unknown ts none. */
function threadFor(state: SlackState, channel: string, threadTs: string | undefined): string | null {
  if (!threadTs) return null;
  const target = findMessage(state, channel, threadTs);
  if (!target) return null;
  return target.threadTs ?? target.ts;
}

/** Parses a JSON array argument (`attachments`, `blocks`): form bodies carry it as a string. */
function readJsonList(args: SlackArgs, name: string): unknown[] | undefined | 'invalid' {
  const raw = args.raw(name);
  if (raw === undefined || raw === null || raw === '') return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'invalid';
    }
  }
  return Array.isArray(value) ? value : 'invalid';
}

const postMessage: Method = ({ state, args, now }) => {
  const channel = findChannel(state, args.string('channel'));
  if (!channel) return fail('channel_not_found');
  // A bot outside the channel may post only with chat:write.public (Slack: not_in_channel).
  if (!botIsMember(channel) && !botScopes(state).includes('chat:write.public')) return fail('not_in_channel');
  const attachments = readJsonList(args, 'attachments');
  if (attachments === 'invalid') return fail('invalid_attachments');
  const blocks = readJsonList(args, 'blocks');
  if (blocks === 'invalid') return fail('invalid_blocks');
  const text = args.string('text');
  if (!text && !args.string('blocks') && !args.string('attachments')) return fail('no_text');
  const metadata = readMetadata(args);
  if (metadata === 'invalid') return fail('invalid_metadata_format');
  const message: SlackStoredMessage = {
    channel: channel.id,
    ts: formatTs(nextTsMicros(state, now)),
    user: SANDBOX_BOT.userId,
    botId: SANDBOX_BOT.botId,
    text: (text ?? '').slice(0, MAX_TEXT),
    threadTs: threadFor(state, channel.id, args.string('thread_ts')),
    metadata,
    reactions: [],
    flags: {
      mrkdwn: args.string('mrkdwn'),
      parse: args.string('parse'),
      linkNames: args.string('link_names'),
      unfurlLinks: args.string('unfurl_links'),
      unfurlMedia: args.string('unfurl_media'),
    },
    editedTs: null,
    ...(attachments ? { attachments } : {}),
    ...(blocks ? { blocks } : {}),
  };
  state.messages.push(message);
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    message: messageToWire(state, message, { includeMetadata: true }),
  };
};

const update: Method = ({ state, args, now }) => {
  const channel = findChannel(state, args.string('channel'));
  if (!channel) return fail('channel_not_found');
  const message = findMessage(state, channel.id, args.string('ts') ?? '');
  if (!message) return fail('message_not_found');
  if (message.user !== SANDBOX_BOT.userId) return fail('cant_update_message');
  const text = args.string('text');
  if (!text && !args.string('blocks')) return fail('no_text');
  const metadata = readMetadata(args);
  if (metadata === 'invalid') return fail('invalid_metadata_format');
  message.text = (text ?? '').slice(0, MAX_TEXT);
  if (metadata) message.metadata = metadata;
  message.editedTs = formatTs(nextTsMicros(state, now));
  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    text: message.text,
    message: messageToWire(state, message, { includeMetadata: true }),
  };
};

/** Bounds from oldest/latest/inclusive, in microseconds; a string when an argument is malformed. */
function timeRange(
  args: SlackArgs,
): { from: number; to: number } | 'invalid_ts_oldest' | 'invalid_ts_latest' {
  const inclusive = args.flag('inclusive');
  const oldestArg = args.string('oldest');
  const latestArg = args.string('latest');
  const oldest = oldestArg === undefined ? 0 : parseTs(oldestArg);
  if (oldest === null) return 'invalid_ts_oldest';
  const latest = latestArg === undefined ? Number.POSITIVE_INFINITY : parseTs(latestArg);
  if (latest === null) return 'invalid_ts_latest';
  return {
    from: oldestArg !== undefined && !inclusive ? oldest + 1 : oldest,
    to: latestArg !== undefined && !inclusive ? latest - 1 : latest,
  };
}

/**
 * One page of `ordered` starting at the cursor's message. Newest-first lists continue downwards
 * (`descending`), thread lists upwards.
 */
function page(
  args: SlackArgs,
  ordered: SlackStoredMessage[],
  descending: boolean,
  defaultLimit: number,
): { items: SlackStoredMessage[]; nextCursor: string | null } | 'invalid_cursor' {
  const limit = args.integer('limit', defaultLimit, 1, 999);
  const cursorArg = args.string('cursor');
  let start = 0;
  if (cursorArg) {
    const from = decodeCursor(cursorArg);
    if (from === null) return 'invalid_cursor';
    start = ordered.findIndex((m) => {
      const ts = parseTs(m.ts)!;
      return descending ? ts <= from : ts >= from;
    });
    if (start < 0) start = ordered.length;
  }
  const items = ordered.slice(start, start + limit);
  const next = ordered[start + limit];
  return { items, nextCursor: next ? encodeCursor(next.ts) : null };
}

const history: Method = ({ state, args }) => {
  const channel = findChannel(state, args.string('channel'));
  if (!channel || channel.id !== args.string('channel')) return fail('channel_not_found');
  if (!botIsMember(channel)) return fail('not_in_channel');
  const range = timeRange(args);
  if (typeof range === 'string') return fail(range);
  // History lists top-level messages only; replies are read with conversations.replies.
  const inRange = state.messages
    .filter((m) => m.channel === channel.id && m.threadTs === null)
    .filter((m) => {
      const ts = parseTs(m.ts)!;
      return ts >= range.from && ts <= range.to;
    })
    .reverse();
  const result = page(args, inRange, true, 100);
  if (result === 'invalid_cursor') return fail(result);
  const includeMetadata = args.flag('include_all_metadata');
  return {
    ok: true,
    messages: result.items.map((m) => messageToWire(state, m, { includeMetadata })),
    has_more: result.nextCursor !== null,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(result.nextCursor ? { response_metadata: { next_cursor: result.nextCursor } } : {}),
  };
};

const replies: Method = ({ state, args }) => {
  const channel = findChannel(state, args.string('channel'));
  if (!channel || channel.id !== args.string('channel')) return fail('channel_not_found');
  if (!botIsMember(channel)) return fail('not_in_channel');
  const target = findMessage(state, channel.id, args.string('ts') ?? '');
  if (!target) return fail('thread_not_found');
  const range = timeRange(args);
  if (typeof range === 'string') return fail(range);
  // The ts of a reply answers that reply alone, as Slack does; a parent answers the whole thread.
  const thread = target.threadTs
    ? [target]
    : state.messages.filter((m) => m.channel === channel.id && (m === target || m.threadTs === target.ts));
  const inRange = thread.filter((m) => {
    const ts = parseTs(m.ts)!;
    return m === target || (ts >= range.from && ts <= range.to);
  });
  const result = page(args, inRange, false, 1000);
  if (result === 'invalid_cursor') return fail(result);
  const includeMetadata = args.flag('include_all_metadata');
  return {
    ok: true,
    messages: result.items.map((m) => messageToWire(state, m, { includeMetadata })),
    has_more: result.nextCursor !== null,
    ...(result.nextCursor ? { response_metadata: { next_cursor: result.nextCursor } } : {}),
  };
};

const reactionsGet: Method = ({ state, args }) => {
  const timestamp = args.string('timestamp');
  const channelArg = args.string('channel');
  if (!timestamp || !channelArg) return fail('no_item_specified');
  const channel = findChannel(state, channelArg);
  if (!channel) return fail('channel_not_found');
  if (parseTs(timestamp) === null) return fail('bad_timestamp');
  const message = findMessage(state, channel.id, timestamp);
  if (!message) return fail('message_not_found');
  const wire = messageToWire(state, message, { includeMetadata: false });
  // Without full=true Slack may cut the user lists short; the count stays complete.
  if (!args.flag('full') && Array.isArray(wire.reactions)) {
    for (const reaction of wire.reactions as Array<{ users: string[] }>) {
      reaction.users = reaction.users.slice(0, 50);
    }
  }
  return { ok: true, type: 'message', channel: channel.id, message: wire };
};

/** Adds `name` from `user` (the API adds as the token's user; the sandbox controls add as anyone). */
export function addReactionTo(
  state: SlackState,
  channelId: string,
  ts: string,
  rawName: string,
  user: string,
): 'ok' | 'message_not_found' | 'invalid_name' | 'already_reacted' {
  const message = findMessage(state, channelId, ts);
  if (!message) return 'message_not_found';
  const name = canonicalReaction(rawName);
  if (!name) return 'invalid_name';
  let reaction = message.reactions.find((r) => r.name === name);
  if (!reaction) {
    reaction = { name, users: [] };
    message.reactions.push(reaction);
  }
  if (reaction.users.includes(user)) return 'already_reacted';
  reaction.users.push(user);
  return 'ok';
}

const reactionsAdd: Method = ({ state, args }) => {
  const timestamp = args.string('timestamp');
  const channelArg = args.string('channel');
  if (!timestamp || !channelArg) return fail('no_item_specified');
  const channel = findChannel(state, channelArg);
  if (!channel) return fail('channel_not_found');
  const outcome = addReactionTo(state, channel.id, timestamp, args.string('name') ?? '', SANDBOX_BOT.userId);
  return outcome === 'ok' ? { ok: true } : fail(outcome);
};

const authTest: Method = ({ state }) => ({
  ok: true,
  url: 'https://novavms.slack.com/',
  team: state.teamName,
  user: SANDBOX_BOT.name,
  team_id: state.teamId,
  user_id: SANDBOX_BOT.userId,
  bot_id: SANDBOX_BOT.botId,
  is_enterprise_install: false,
});

/** conversations.info: the channel object, with `is_member` telling whether the bot was invited. */
const conversationInfo: Method = ({ state, args }) => {
  const channel = findChannel(state, args.string('channel'));
  if (!channel || channel.id !== args.string('channel')) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id: channel.id,
      name: channel.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: false,
      is_archived: false,
      is_general: channel.name === 'general',
      is_member: botIsMember(channel),
      name_normalized: channel.name,
      created: 1_700_000_000,
      creator: 'U0ALICE01',
    },
  };
};

/** conversations.list: the public channels, each with `is_member` (one page: the sandbox has few). */
const conversationsList: Method = ({ state }) => ({
  ok: true,
  channels: state.channels.map((channel) => ({
    id: channel.id,
    name: channel.name,
    is_channel: true,
    is_private: false,
    is_archived: false,
    is_member: botIsMember(channel),
    name_normalized: channel.name,
  })),
  response_metadata: { next_cursor: '' },
});

const lookupByEmail: Method = ({ state, args }) => {
  const email = (args.string('email') ?? '').toLowerCase();
  const user = state.users.find((u) => u.email.toLowerCase() === email);
  return user ? { ok: true, user: userToWire(state, user) } : fail('users_not_found');
};

export const SLACK_METHODS: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'conversations.history': history,
  'conversations.replies': replies,
  'reactions.get': reactionsGet,
  'reactions.add': reactionsAdd,
  'auth.test': authTest,
  'conversations.info': conversationInfo,
  'conversations.list': conversationsList,
  'users.lookupByEmail': lookupByEmail,
};

/**
 * The scope each method needs (Slack's method reference, "Required scopes"; for bot tokens on public
 * channels). A token without it gets `missing_scope` with `needed` and `provided`.
 */
export const METHOD_SCOPES: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
  'conversations.info': 'channels:read',
  'conversations.list': 'channels:read',
  'reactions.get': 'reactions:read',
  'reactions.add': 'reactions:write',
  'auth.test': null,
  'users.lookupByEmail': 'users:read.email',
};

/** The methods that change the workspace ("fail the Nth mutation" counts these). */
export const SLACK_MUTATIONS = new Set(['chat.postMessage', 'chat.update', 'reactions.add']);
