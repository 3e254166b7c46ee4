import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { SANDBOX_BOT } from '../../src/sandbox/slack.js';
import { PINNED_NOW, rejection, requestsTo, startClockedSandbox } from '../support/sandbox.js';
import { rawSlack } from './slack-github-helpers.js';

const CHANNEL = SEED_IDS.slackChannel;
const { alice, bob, dana } = SEED_ADMINS;

let sandbox: Sandbox;
let clock: { now: Date };

beforeEach(async () => {
  ({ sandbox, clock } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

/** The `error` code of a Slack method error (HTTP 200, `ok: false`). */
async function slackError(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return (error as WebAPIPlatformError).data.error;
}

/** Posts with a form body like @slack/web-api, or JSON, without any client: raw wire checks. */
async function rawPost(method: string, body: string, contentType: string, authorization?: string) {
  const response = await fetch(`${sandbox.env().SLACK_API_URL}${method}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('Slack emulator: authentication', () => {
  it.each([
    ['no token at all', undefined, 'not_authed'],
    ['a wrong token', 'xoxb-not-the-sandbox-token', 'invalid_auth'],
  ])('answers %s with HTTP 200 and ok:false, as Slack does', async (_case, authorization, error) => {
    const answer = await rawPost(
      'auth.test',
      '',
      'application/x-www-form-urlencoded',
      authorization ? `Bearer ${authorization}` : undefined,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: false, error });
  });

  it('accepts the token in the form body, as older clients send it', async () => {
    const answer = await rawPost(
      'auth.test',
      `token=${sandbox.tokens.slack}`,
      'application/x-www-form-urlencoded',
    );
    expect(answer.body).toMatchObject({ ok: true, user_id: SANDBOX_BOT.userId });
  });

  it('auth.test names the bot and the workspace', async () => {
    const result = await rawSlack(sandbox).auth.test();
    expect(result).toMatchObject({
      ok: true,
      user_id: SANDBOX_BOT.userId,
      bot_id: SANDBOX_BOT.botId,
      team_id: 'T0NOVAVMS',
    });
  });

  it('answers an unknown method with unknown_method', async () => {
    expect(await slackError(rawSlack(sandbox).apiCall('chat.teleport', {}))).toBe('unknown_method');
  });
});

describe('Slack emulator: the seed channel', () => {
  it('holds the last hour of chatter from alice, bob and dana, with one thread', async () => {
    const messages = sandbox.emulators.slack.messages(CHANNEL);
    expect(new Set(messages.map((m) => m.user))).toEqual(new Set([alice.slack, bob.slack, dana.slack]));
    const hourAgo = PINNED_NOW.getTime() / 1000 - 3600;
    for (const message of messages) {
      expect(Number(message.ts)).toBeGreaterThan(hourAgo);
      expect(Number(message.ts)).toBeLessThanOrEqual(PINNED_NOW.getTime() / 1000);
    }
    const parents = messages.filter((m) => messages.some((r) => r.threadTs === m.ts));
    expect(parents).toHaveLength(1);
    expect(sandbox.emulators.slack.thread(CHANNEL, parents[0]!.ts)).toHaveLength(3);
  });

  it('is found by users.lookupByEmail for each admin, and nobody else is', async () => {
    const slack = rawSlack(sandbox);
    const found = await slack.users.lookupByEmail({ email: bob.email });
    expect(found.user).toMatchObject({ id: bob.slack, name: 'bob', profile: { email: bob.email } });
    expect(await slackError(slack.users.lookupByEmail({ email: 'mallory@novavms.example' }))).toBe(
      'users_not_found',
    );
  });
});

describe('Slack emulator: chat.postMessage', () => {
  it('stores the text exactly as sent and the formatting flags the client chose', async () => {
    const text = 'ping <!channel> <@U0BOB> <https://evil.example|click> & more';
    const result = await rawSlack(sandbox).chat.postMessage({
      channel: CHANNEL,
      text,
      link_names: false,
      unfurl_links: false,
      unfurl_media: false,
      parse: 'none',
      mrkdwn: true,
    });
    expect(result).toMatchObject({ ok: true, channel: CHANNEL, message: { text, user: SANDBOX_BOT.userId } });
    const stored = sandbox.emulators.slack.messages(CHANNEL).find((m) => m.ts === result.ts)!;
    expect(stored.text).toBe(text);
    expect(stored.flags).toEqual({
      linkNames: 'false',
      unfurlLinks: 'false',
      unfurlMedia: 'false',
      parse: 'none',
      mrkdwn: 'true',
    });
  });

  it('hands out ts in Slack format from the sandbox clock, strictly increasing even when the clock stands still', async () => {
    const slack = rawSlack(sandbox);
    const first = await slack.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await slack.chat.postMessage({ channel: CHANNEL, text: 'two' });
    expect(first.ts).toBe('1795705200.000000');
    expect(second.ts).toBe('1795705200.000001');
    clock.now = new Date(PINNED_NOW.getTime() + 2_500);
    expect((await slack.chat.postMessage({ channel: CHANNEL, text: 'three' })).ts).toBe('1795705202.500000');
  });

  it('accepts the channel by name and answers with its id', async () => {
    const result = await rawSlack(sandbox).chat.postMessage({
      channel: `#${SEED_IDS.slackChannelName}`,
      text: 'by name',
    });
    expect(result.channel).toBe(CHANNEL);
  });

  it.each([
    ['an unknown channel', { channel: 'C0NOSUCHCHAN', text: 'x' }, 'channel_not_found'],
    ['no text and no blocks', { channel: CHANNEL }, 'no_text'],
    [
      'metadata that is not JSON',
      { channel: CHANNEL, text: 'x', metadata: '{oops' },
      'invalid_metadata_format',
    ],
  ])('refuses %s', async (_case, args, error) => {
    expect(await slackError(rawSlack(sandbox).apiCall('chat.postMessage', args))).toBe(error);
    expect(sandbox.emulators.slack.messages(CHANNEL)).toHaveLength(6);
  });

  it('threads a reply under its parent, and a reply to a reply under the same parent', async () => {
    const slack = rawSlack(sandbox);
    const parent = await slack.chat.postMessage({ channel: CHANNEL, text: 'On-call: alice → bob' });
    const reply = await slack.chat.postMessage({ channel: CHANNEL, text: 'details', thread_ts: parent.ts });
    const nested = await slack.chat.postMessage({ channel: CHANNEL, text: 'more', thread_ts: reply.ts });
    expect(sandbox.emulators.slack.thread(CHANNEL, parent.ts!).map((m) => m.ts)).toEqual([
      parent.ts,
      reply.ts,
      nested.ts,
    ]);
  });

  it('accepts a JSON body as well as a form one', async () => {
    const answer = await rawPost(
      'chat.postMessage',
      JSON.stringify({
        channel: CHANNEL,
        text: 'json',
        metadata: { event_type: 'e', event_payload: { a: 1 } },
      }),
      'application/json; charset=utf-8',
      `Bearer ${sandbox.tokens.slack}`,
    );
    expect(answer.body).toMatchObject({ ok: true, message: { text: 'json', metadata: { event_type: 'e' } } });
  });
});

describe('Slack emulator: reading the channel', () => {
  it('conversations.history lists top-level messages newest first, metadata only when asked', async () => {
    const slack = rawSlack(sandbox);
    const posted = await slack.chat.postMessage({
      channel: CHANNEL,
      text: 'summary',
      metadata: { event_type: 'handover_summary', event_payload: { handover: '2026-11-26-alice-to-bob' } },
    });
    const plain = await slack.conversations.history({ channel: CHANNEL });
    const withMetadata = await slack.conversations.history({ channel: CHANNEL, include_all_metadata: true });
    expect(plain.messages).toHaveLength(5);
    expect(plain.messages![0]).toMatchObject({ ts: posted.ts, text: 'summary' });
    expect(plain.messages![0]).not.toHaveProperty('metadata');
    expect(withMetadata.messages![0]).toMatchObject({
      metadata: { event_type: 'handover_summary', event_payload: { handover: '2026-11-26-alice-to-bob' } },
    });
    const timestamps = plain.messages!.map((m) => Number(m.ts));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => b - a));
    const parent = plain.messages!.find((m) => m.reply_count);
    expect(parent).toMatchObject({ reply_count: 2, reply_users_count: 2 });
    expect(parent!.thread_ts).toBe(parent!.ts);
  });

  it('pages with has_more and a cursor until every message is read once', async () => {
    for (let i = 0; i < 25; i += 1) sandbox.emulators.slack.postAs(bob.slack, CHANNEL, `message ${i}`);
    const slack = rawSlack(sandbox);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await slack.conversations.history({ channel: CHANNEL, limit: 10, cursor });
      pages += 1;
      seen.push(...page.messages!.map((m) => m.ts!));
      cursor = page.has_more ? page.response_metadata?.next_cursor : undefined;
    } while (cursor);
    // 25 new posts and the seed's 4 top-level messages, 10 a page.
    expect(pages).toBe(3);
    expect(seen).toHaveLength(29);
    expect(new Set(seen).size).toBe(29);
  });

  it('honours oldest as exclusive unless inclusive is set', async () => {
    const slack = rawSlack(sandbox);
    const all = (await slack.conversations.history({ channel: CHANNEL })).messages!;
    const oldest = all[2]!.ts!;
    expect((await slack.conversations.history({ channel: CHANNEL, oldest })).messages).toHaveLength(2);
    expect(
      (await slack.conversations.history({ channel: CHANNEL, oldest, inclusive: true })).messages,
    ).toHaveLength(3);
  });

  it.each([
    ['an unknown channel', { channel: 'C0NOSUCHCHAN' }, 'channel_not_found'],
    ['a cursor it never gave', { channel: CHANNEL, cursor: 'bm9wZQ==' }, 'invalid_cursor'],
    ['a malformed oldest', { channel: CHANNEL, oldest: 'yesterday' }, 'invalid_ts_oldest'],
  ])('conversations.history refuses %s', async (_case, args, error) => {
    expect(await slackError(rawSlack(sandbox).apiCall('conversations.history', args))).toBe(error);
  });

  it('conversations.replies answers the parent first, then the replies', async () => {
    const parent = sandbox.emulators.slack.messages(CHANNEL).find((m) => m.user === dana.slack)!;
    const result = await rawSlack(sandbox).conversations.replies({ channel: CHANNEL, ts: parent.ts });
    expect(result.messages!.map((m) => m.user)).toEqual([dana.slack, alice.slack, dana.slack]);
    expect(result.messages!.slice(1).every((m) => m.thread_ts === parent.ts)).toBe(true);
    expect(
      await slackError(rawSlack(sandbox).conversations.replies({ channel: CHANNEL, ts: '1.000001' })),
    ).toBe('thread_not_found');
  });
});

describe('Slack emulator: reactions', () => {
  it('reports a thumbs-up as +1 with its users, whichever alias added it', async () => {
    const slack = rawSlack(sandbox);
    const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'please ack' });
    sandbox.emulators.slack.addReaction(CHANNEL, posted.ts!, '+1', bob.slack);
    await slack.reactions.add({ channel: CHANNEL, timestamp: posted.ts!, name: 'thumbsup' });
    const result = await slack.reactions.get({ channel: CHANNEL, timestamp: posted.ts!, full: true });
    expect(result).toMatchObject({ ok: true, type: 'message', channel: CHANNEL });
    expect(result.message!.reactions).toEqual([
      { name: '+1', users: [bob.slack, SANDBOX_BOT.userId], count: 2 },
    ]);
  });

  it.each([
    ['the same reaction twice', 'already_reacted'],
    ['a message that does not exist', 'message_not_found'],
  ])('reactions.add refuses %s', async (which, error) => {
    const slack = rawSlack(sandbox);
    const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'x' });
    const timestamp = which.startsWith('a message') ? '1700000000.000001' : posted.ts!;
    if (error === 'already_reacted') await slack.reactions.add({ channel: CHANNEL, timestamp, name: 'eyes' });
    expect(await slackError(slack.reactions.add({ channel: CHANNEL, timestamp, name: 'eyes' }))).toBe(error);
  });
});

describe('Slack emulator: faults', () => {
  it('answers a rate limit with 429, Retry-After and error ratelimited', async () => {
    sandbox.faults.set({ slack: { rateLimitNext: 1 } });
    const answer = await rawPost(
      'auth.test',
      '',
      'application/x-www-form-urlencoded',
      `Bearer ${sandbox.tokens.slack}`,
    );
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('is seen by @slack/web-api as a rate limit, and a server error as internal_error with HTTP 200', async () => {
    sandbox.faults.set({ slack: { rateLimitNext: 1, serverErrorNext: 1 } });
    const slack = rawSlack(sandbox);
    const limited = await rejection(slack.auth.test());
    expect(limited).toBeInstanceOf(WebAPIRateLimitedError);
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(1);
    const failed = await rejection(slack.auth.test());
    expect(failed).toBeInstanceOf(WebAPIPlatformError);
    expect((failed as WebAPIPlatformError).data.error).toBe('internal_error');
    expect(requestsTo(sandbox, 'slack').at(-1)?.status).toBe(200);
  });

  it("with edge failures switched on, a server error is an HTTP 500 from Slack's edge", async () => {
    sandbox.emulators.slack.setLimits({ edgeFailures: true });
    sandbox.faults.set({ slack: { serverErrorNext: 1 } });
    const failed = await rejection(rawSlack(sandbox).auth.test());
    expect(failed).toBeInstanceOf(WebAPIHTTPError);
    expect((failed as WebAPIHTTPError).statusCode).toBe(500);
  });

  it('counts posts and reactions as mutations, reads not', async () => {
    const slack = rawSlack(sandbox);
    const posted = await slack.chat.postMessage({ channel: CHANNEL, text: 'x' });
    await slack.reactions.add({ channel: CHANNEL, timestamp: posted.ts!, name: 'eyes' });
    await slack.conversations.history({ channel: CHANNEL });
    expect(requestsTo(sandbox, 'slack').map((r) => [r.path, r.mutation])).toEqual([
      ['/chat.postMessage', true],
      ['/reactions.add', true],
      ['/conversations.history', false],
    ]);
  });

  it('a post failed "after" exists although the client saw a 500', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'after' } });
    await rejection(rawSlack(sandbox).chat.postMessage({ channel: CHANNEL, text: 'ghost' }));
    expect(sandbox.emulators.slack.messages(CHANNEL).filter((m) => m.text === 'ghost')).toHaveLength(1);
  });
});

describe('Slack emulator: state', () => {
  it('survives a snapshot and restore unchanged', async () => {
    const posted = await rawSlack(sandbox).chat.postMessage({ channel: CHANNEL, text: 'kept' });
    const snapshot = sandbox.emulators.slack.snapshot();
    sandbox.emulators.slack.restore(JSON.parse(JSON.stringify(snapshot)));
    expect(sandbox.emulators.slack.snapshot()).toEqual(snapshot);
    const next = await rawSlack(sandbox).chat.postMessage({ channel: CHANNEL, text: 'after' });
    expect(Number(next.ts)).toBeGreaterThan(Number(posted.ts));
  });

  it('an empty sandbox has no messages and refuses the channel', async () => {
    const empty = await startClockedSandbox({ seed: 'empty' });
    try {
      const error = await slackError(
        rawSlack(empty.sandbox).chat.postMessage({ channel: CHANNEL, text: 'x' }),
      );
      expect(error).toBe('channel_not_found');
    } finally {
      await empty.sandbox.close();
    }
  });
});
