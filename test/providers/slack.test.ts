import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { slackProvider } from '../sandbox/slack-github-helpers.js';
import { rejection, requestsTo, startClockedSandbox } from '../support/sandbox.js';

const CHANNEL = SEED_IDS.slackChannel;
const { bob, dana } = SEED_ADMINS;
const SUMMARY_METADATA = {
  eventType: 'handover_summary',
  eventPayload: { handover: '2026-11-26-alice-to-bob', step: 'summary' },
};

let sandbox: Sandbox;

beforeEach(async () => {
  ({ sandbox } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const posts = () => requestsTo(sandbox, 'slack').filter((r) => r.path === '/chat.postMessage');
const stored = (text: string) => sandbox.emulators.slack.messages(CHANNEL).filter((m) => m.text === text);

describe('Slack provider: posting', () => {
  it('posts the text verbatim with link_names, unfurls and parsing off and mrkdwn on', async () => {
    const { slack } = slackProvider(sandbox);
    // Escaping is the caller's job: the provider must not touch the text, nor let Slack act on it.
    const text = 'On-call: <!channel> @here &lt;b&gt;';
    const { channel, ts } = await slack.postMessage({ channel: CHANNEL, text });
    expect(channel).toBe(CHANNEL);
    expect(stored(text).map((m) => m.ts)).toEqual([ts]);
    expect(posts()[0]!.body).toMatchObject({
      channel: CHANNEL,
      text,
      link_names: 'false',
      unfurl_links: 'false',
      unfurl_media: 'false',
      parse: 'none',
      mrkdwn: 'true',
    });
    expect(posts()[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('replies in a thread and sends metadata that history reads back', async () => {
    const { slack } = slackProvider(sandbox);
    const parent = await slack.postMessage({ channel: CHANNEL, text: 'summary', metadata: SUMMARY_METADATA });
    const reply = await slack.postMessage({ channel: CHANNEL, text: 'details', threadTs: parent.ts });
    const history = await slack.history(CHANNEL, '0');
    expect(history[0]).toMatchObject({ ts: parent.ts, metadata: SUMMARY_METADATA, threadTs: parent.ts });
    const thread = await slack.replies(CHANNEL, parent.ts);
    expect(thread.map((m) => [m.ts, m.text])).toEqual([
      [parent.ts, 'summary'],
      [reply.ts, 'details'],
    ]);
    expect(thread[1]!.threadTs).toBe(parent.ts);
  });
});

describe('Slack provider: reading', () => {
  it('follows history cursors across pages, newest first, everything once', async () => {
    for (let i = 0; i < 130; i += 1) sandbox.emulators.slack.postAs(bob.slack, CHANNEL, `line ${i}`);
    const { slack } = slackProvider(sandbox);
    const history = await slack.history(CHANNEL, '0');
    expect(history).toHaveLength(134);
    expect(history[0]!.text).toBe('line 129');
    expect(new Set(history.map((m) => m.ts)).size).toBe(134);
    const pages = requestsTo(sandbox, 'slack').filter((r) => r.path === '/conversations.history');
    expect(pages).toHaveLength(2);
    expect(pages[1]!.body).toMatchObject({ include_all_metadata: 'true', cursor: expect.any(String) });
  });

  it('reads history after `oldest` only, excluding the message at `oldest`', async () => {
    const { slack } = slackProvider(sandbox);
    const first = sandbox.emulators.slack.postAs(dana.slack, CHANNEL, 'first');
    sandbox.emulators.slack.postAs(dana.slack, CHANNEL, 'second');
    expect((await slack.history(CHANNEL, first)).map((m) => m.text)).toEqual(['second']);
  });

  it('reads reactions with every user, a thumbs-up as +1', async () => {
    const { slack } = slackProvider(sandbox);
    const { ts } = await slack.postMessage({ channel: CHANNEL, text: 'ack please' });
    sandbox.emulators.slack.addReaction(CHANNEL, ts, 'thumbsup', bob.slack);
    sandbox.emulators.slack.addReaction(CHANNEL, ts, '+1::skin-tone-3', dana.slack);
    expect(await slack.reactions(CHANNEL, ts)).toEqual([
      { name: '+1', count: 1, users: [bob.slack] },
      { name: '+1::skin-tone-3', count: 1, users: [dana.slack] },
    ]);
    expect(requestsTo(sandbox, 'slack').at(-1)!.body).toMatchObject({ full: 'true', timestamp: ts });
  });
});

describe('Slack provider: retries', () => {
  it('waits out a 429 for as long as Slack asks, then posts exactly once', async () => {
    sandbox.faults.set({ slack: { rateLimitNext: 1 } });
    const { slack, sleeps } = slackProvider(sandbox);
    await slack.postMessage({ channel: CHANNEL, text: 'after the limit' });
    expect(sleeps).toEqual([1000]);
    expect(stored('after the limit')).toHaveLength(1);
    expect(posts().map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries reads through server errors', async () => {
    sandbox.faults.set({ slack: { serverErrorNext: 2 } });
    const { slack, sleeps } = slackProvider(sandbox);
    expect(await slack.history(CHANNEL, '0')).toHaveLength(4);
    expect(sleeps).toHaveLength(2);
  });

  it('gives up after the policy’s attempts with a server error naming the call', async () => {
    sandbox.faults.set({ slack: { serverErrorNext: 10 } });
    const { slack, sleeps } = slackProvider(sandbox);
    const error = await providerError(slack.replies(CHANNEL, '1795704000.000000'));
    expect(error).toMatchObject({
      service: 'slack',
      call: 'conversations.replies',
      kind: 'server',
      detail: 'internal_error',
    });
    expect(sleeps).toHaveLength(3);
  });

  it('after a 500 on a post that did happen, finds it by its metadata instead of posting twice', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'after' } });
    const { slack } = slackProvider(sandbox);
    const { ts } = await slack.postMessage({ channel: CHANNEL, text: 'once', metadata: SUMMARY_METADATA });
    expect(stored('once').map((m) => m.ts)).toEqual([ts]);
    expect(posts()).toHaveLength(1);
  });

  it('after an internal_error on a post that did not happen, posts it once', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'before' } });
    const { slack } = slackProvider(sandbox);
    await slack.postMessage({ channel: CHANNEL, text: 'once', metadata: SUMMARY_METADATA });
    expect(stored('once')).toHaveLength(1);
    expect(posts().map((r) => r.status)).toEqual([200, 200]);
  });

  it('without metadata, does not repeat a post whose fate is unknown', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'after' } });
    const { slack, sleeps } = slackProvider(sandbox);
    const error = await providerError(slack.postMessage({ channel: CHANNEL, text: 'maybe' }));
    expect(error).toMatchObject({ call: 'chat.postMessage', kind: 'server' });
    expect(stored('maybe')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['an unknown channel', 'conversations.history', 'not-found', 'channel_not_found'],
    ['a malformed oldest', 'conversations.history', 'invalid', 'invalid_ts_oldest'],
    ['a thread that does not exist', 'conversations.replies', 'not-found', 'thread_not_found'],
  ] as const)('does not retry %s', async (which, call, kind, detail) => {
    const { slack, sleeps } = slackProvider(sandbox);
    const attempt =
      call === 'conversations.replies'
        ? slack.replies(CHANNEL, '1700000000.000001')
        : which === 'an unknown channel'
          ? slack.history('C0NOSUCHCHAN', '0')
          : slack.history(CHANNEL, 'yesterday');
    const error = await providerError(attempt);
    expect(error).toMatchObject({ service: 'slack', kind, detail, call });
    expect(sleeps).toEqual([]);
    expect(requestsTo(sandbox, 'slack')).toHaveLength(1);
  });

  it('reports a connection refused as a network error at once, without retrying', async () => {
    const closed = await startClockedSandbox();
    const url = closed.sandbox.env().SLACK_API_URL!;
    await closed.sandbox.close();
    const { slack, sleeps } = slackProvider(sandbox, { baseUrl: url });
    const error = await providerError(slack.reactions(CHANNEL, '1795705200.000000'));
    expect(error.kind).toBe('network');
    expect(error.detail).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(0);
  });

  it('gives up on a slow answer at the deadline', async () => {
    sandbox.faults.set({ slack: { latencyMs: 300 } });
    const { slack } = slackProvider(sandbox, { retry: { timeoutMs: 50, maxAttempts: 1 } });
    expect((await providerError(slack.history(CHANNEL, '0'))).kind).toBe('timeout');
  });
});

describe('Slack provider: credentials', () => {
  it.each([
    ['a wrong token', 'xoxb-wrong-token-1234567890', 'invalid_auth'],
    ['no token', '', 'not_authed'],
  ])(
    'fails with an auth error for %s, never retried, never echoing the token',
    async (_case, token, detail) => {
      const { slack, sleeps } = slackProvider(sandbox, { token });
      const error = await providerError(slack.postMessage({ channel: CHANNEL, text: 'x' }));
      expect(error).toMatchObject({ kind: 'auth', detail });
      expect(sleeps).toEqual([]);
      for (const secret of [token, sandbox.tokens.slack].filter(Boolean)) {
        expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(secret);
      }
    },
  );

  it('keeps the real token out of every failure message', async () => {
    sandbox.faults.set({ slack: { serverErrorNext: 10 } });
    const { slack } = slackProvider(sandbox);
    const error = await providerError(slack.history(CHANNEL, '0'));
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(sandbox.tokens.slack);
  });
});
