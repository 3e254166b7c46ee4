import { type Logger, LogLevel, WebClient } from '@slack/web-api';
import { type Attempt, ConcurrencyLimit, withRetry } from './retry.js';
import { translateSlackError } from './slack/errors.js';
import { sameMetadata, toSlackMessage, toSlackMessages } from './slack/messages.js';
import type { ProviderSettings } from './types.js';
import { ProviderError, type SlackMessage, type SlackProvider } from './types.js';

/** The library logs request bodies at debug level and warnings to the console: we want neither. */
export const SILENT_LOGGER: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** A page size Slack serves to every app (non-Marketplace apps get at most 15 whatever we ask). */
const PAGE_SIZE = 100;

type Result = Record<string, unknown>;

/** Which failures of one call may be retried as they are. */
type RetryRule = (error: ProviderError) => boolean;
const RETRY_ALL: RetryRule = () => true;
/** Slack answers 429 before doing anything, so a rate-limited write can be sent again safely. */
const RETRY_RATE_LIMIT_ONLY: RetryRule = (error) => error.kind === 'rate-limited';

/**
 * The Slack side of handover on @slack/web-api. The library's own retries and rate-limit
 * queueing are off so that `withRetry` (one policy for every provider, on an injectable clock)
 * decides; the library still does the HTTP, the form encoding and the error classes.
 */
export function createSlackProvider(settings: ProviderSettings): SlackProvider {
  const client = new WebClient(settings.token, {
    slackApiUrl: settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: settings.retry.timeoutMs,
    logger: SILENT_LOGGER,
    maxRequestConcurrency: Math.max(1, settings.concurrency),
  });
  const limit = new ConcurrencyLimit(Math.max(1, settings.concurrency));

  /** One Web API call: its own attempt of the retry loop. Errors not allowed to retry end the loop. */
  const attempt = async (
    method: string,
    object: string | undefined,
    args: Result,
    mayRetry: RetryRule,
  ): Promise<Attempt<Result>> => {
    try {
      const value = (await limit.run(() => client.apiCall(method, args))) as unknown as Result;
      return { ok: true, value };
    } catch (thrown) {
      const { error, retryAfterMs } = translateSlackError(thrown, method, object, settings.token);
      if (!mayRetry(error)) throw error;
      return { ok: false, error, retryAfterMs };
    }
  };

  const call = (method: string, object: string | undefined, args: Result): Promise<Result> =>
    withRetry(settings.retry, () => attempt(method, object, args, RETRY_ALL));

  /** Every page of a cursor-paginated method, each page retried on its own. */
  const allPages = async (method: string, object: string, args: Result): Promise<SlackMessage[]> => {
    const messages: SlackMessage[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(method, object, { ...args, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      messages.push(...toSlackMessages(page.messages));
      const next = (page.response_metadata as { next_cursor?: unknown } | undefined)?.next_cursor;
      cursor = page.has_more === true && typeof next === 'string' && next ? next : undefined;
    } while (cursor);
    return messages;
  };

  /**
   * After a failed post whose fate is unknown (5xx, timeout, dropped connection): was it posted?
   * Only a post carrying metadata can be recognised; without it, null means "cannot tell".
   */
  const findPost = async (message: Parameters<SlackProvider['postMessage']>[0]) => {
    if (!message.metadata) return null;
    const recent = message.threadTs
      ? await call('conversations.replies', message.channel, {
          channel: message.channel,
          ts: message.threadTs,
          include_all_metadata: true,
        })
      : await call('conversations.history', message.channel, {
          channel: message.channel,
          include_all_metadata: true,
          limit: 15,
        });
    const metadata = message.metadata;
    const found = toSlackMessages(recent.messages).find((m) => sameMetadata(m.metadata, metadata));
    return found ? { channel: message.channel, ts: found.ts } : null;
  };

  return {
    async postMessage(message) {
      const args: Result = {
        channel: message.channel,
        text: message.text,
        // Text is data: no @-name linking, no unfurled previews, no server-side parsing. The
        // caller has already escaped &, < and > so mrkdwn cannot carry mentions or links.
        link_names: false,
        unfurl_links: false,
        unfurl_media: false,
        parse: 'none',
        mrkdwn: true,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        ...(message.metadata
          ? {
              metadata: {
                event_type: message.metadata.eventType,
                event_payload: message.metadata.eventPayload,
              },
            }
          : {}),
      };
      // chat.postMessage has no idempotency key. A 429 is safe to repeat; after any other failure
      // the message may exist, so it is looked up by its metadata before a second try.
      const posted = await withRetry(settings.retry, async () => {
        try {
          return await attempt('chat.postMessage', message.channel, args, RETRY_RATE_LIMIT_ONLY);
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          if (error.kind !== 'server' && error.kind !== 'timeout' && error.kind !== 'network') throw error;
          const found = await findPost(message).catch(() => {
            throw error;
          });
          if (found) return { ok: true, value: { channel: found.channel, ts: found.ts } as Result };
          if (!message.metadata) throw error;
          return { ok: false, error };
        }
      });
      return { channel: String(posted.channel ?? message.channel), ts: String(posted.ts ?? '') };
    },

    async access(channel) {
      // Side by side: neither answer depends on the other.
      const membership = (async () => {
        try {
          const info = await call('conversations.info', channel, { channel });
          const isMember = (info.channel as { is_member?: unknown } | undefined)?.is_member;
          return typeof isMember === 'boolean' ? isMember : null;
        } catch (error) {
          if (error instanceof ProviderError && error.kind === 'auth') return null;
          throw error;
        }
      })();
      membership.catch(() => {}); // awaited below, after auth.test (whose failure comes first)
      const auth = await call('auth.test', undefined, {});
      const metadata = auth.response_metadata as { scopes?: unknown } | undefined;
      const scopes = Array.isArray(metadata?.scopes)
        ? metadata.scopes.filter((s): s is string => typeof s === 'string')
        : [];
      return { scopes, isMember: await membership };
    },

    history(channel, oldest) {
      return allPages('conversations.history', channel, { channel, oldest, include_all_metadata: true });
    },

    replies(channel, ts) {
      return allPages('conversations.replies', `${channel} ${ts}`, {
        channel,
        ts,
        include_all_metadata: true,
      });
    },

    async reactions(channel, ts) {
      const result = await call('reactions.get', `${channel} ${ts}`, { channel, timestamp: ts, full: true });
      return toSlackMessage(result.message).reactions;
    },
  };
}
