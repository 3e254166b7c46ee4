import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import { FULL_BOT_SCOPES } from '../../src/sandbox/slack.js';
import { rawSlack, slackProvider } from '../sandbox/slack-github-helpers.js';
import { rejection, startClockedSandbox } from '../support/sandbox.js';

/** Slack's refusals as @slack/web-api (a client nobody here wrote) sees them over HTTP. */
describe('Slack emulator: scopes, membership and rate tiers', () => {
  let sandbox: Sandbox;
  let clock: { now: Date };
  const CHANNEL = SEED_IDS.slackChannel;

  beforeEach(async () => {
    ({ sandbox, clock } = await startClockedSandbox());
  });
  afterEach(async () => {
    await sandbox.close();
  });

  const platformError = async (promise: Promise<unknown>) => {
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    return (error as WebAPIPlatformError).data as unknown as Record<string, unknown>;
  };

  it('answers not_in_channel to a post or a history read in a channel the bot was not invited to', async () => {
    sandbox.emulators.slack.setBotMembership(CHANNEL, false);
    const slack = rawSlack(sandbox);
    expect(await platformError(slack.chat.postMessage({ channel: CHANNEL, text: 'hello' }))).toMatchObject({
      ok: false,
      error: 'not_in_channel',
    });
    expect(await platformError(slack.conversations.history({ channel: CHANNEL }))).toMatchObject({
      error: 'not_in_channel',
    });
    expect(sandbox.emulators.slack.messages(CHANNEL).filter((m) => m.text === 'hello')).toEqual([]);
    // conversations.info says so without trying.
    const info = await slack.conversations.info({ channel: CHANNEL });
    expect(info.channel?.is_member).toBe(false);
  });

  it('lets a bot outside the channel post when it holds chat:write.public', async () => {
    sandbox.emulators.slack.setBotMembership(CHANNEL, false);
    sandbox.emulators.slack.setBotScopes([...FULL_BOT_SCOPES, 'chat:write.public']);
    const posted = await rawSlack(sandbox).chat.postMessage({ channel: CHANNEL, text: 'public' });
    expect(posted.ok).toBe(true);
  });

  it('answers missing_scope with needed and provided, and names the scopes on every answer', async () => {
    sandbox.emulators.slack.setBotScopes(['chat:write', 'channels:read']);
    const slack = rawSlack(sandbox);
    expect(await platformError(slack.conversations.history({ channel: CHANNEL }))).toMatchObject({
      ok: false,
      error: 'missing_scope',
      needed: 'channels:history',
      provided: 'chat:write,channels:read',
    });
    const auth = await slack.auth.test();
    // @slack/web-api reads the x-oauth-scopes header into response_metadata.scopes.
    expect(auth.response_metadata?.scopes).toEqual(['chat:write', 'channels:read']);
  });

  it('answers channel_not_found for a channel the workspace does not have', async () => {
    expect(
      await platformError(rawSlack(sandbox).chat.postMessage({ channel: 'C0NOWHERE', text: 'x' })),
    ).toMatchObject({ error: 'channel_not_found' });
  });

  it('a fresh install is in no channel and holds chat:write only', async () => {
    sandbox.emulators.slack.freshInstall();
    const slack = rawSlack(sandbox);
    expect(await platformError(slack.conversations.info({ channel: CHANNEL }))).toMatchObject({
      error: 'missing_scope',
      needed: 'channels:read',
      provided: 'chat:write',
    });
    expect(await platformError(slack.chat.postMessage({ channel: CHANNEL, text: 'x' }))).toMatchObject({
      error: 'not_in_channel',
    });
  });

  it('keeps attachments and blocks of a post and returns them in history', async () => {
    const slack = rawSlack(sandbox);
    const attachments = [{ fallback: 'CPU high on db-7', text: 'CPU at 97% on db-7', color: 'danger' }];
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Disk full on *db-9*' } }];
    await slack.chat.postMessage({ channel: CHANNEL, text: '', attachments });
    await slack.chat.postMessage({ channel: CHANNEL, text: 'fallback', blocks });
    const history = await slack.conversations.history({ channel: CHANNEL, limit: 2 });
    expect(history.messages?.[0]).toMatchObject({ text: 'fallback', blocks });
    expect(history.messages?.[1]).toMatchObject({ text: '', attachments });
  });

  describe('the non-Marketplace tier (a fault mode)', () => {
    it('serves at most 15 messages a page and one history call a minute', async () => {
      for (let i = 0; i < 20; i += 1) sandbox.emulators.slack.postAs('U0ALICE01', CHANNEL, `m${i}`);
      sandbox.emulators.slack.setLimits({ nonMarketplaceTier: true });
      const slack = rawSlack(sandbox);
      const first = await slack.conversations.history({ channel: CHANNEL, limit: 100 });
      expect(first.messages).toHaveLength(15);
      expect(first.has_more).toBe(true);
      const limited = await rejection(slack.conversations.history({ channel: CHANNEL }));
      expect(limited).toBeInstanceOf(WebAPIRateLimitedError);
      expect((limited as WebAPIRateLimitedError).retryAfter).toBe(60);
      clock.now = new Date(clock.now.getTime() + 60_000);
      const next = await slack.conversations.history({
        channel: CHANNEL,
        cursor: first.response_metadata?.next_cursor,
      });
      expect(next.messages?.length).toBeGreaterThan(0);
    });

    it('is off by default', async () => {
      const slack = rawSlack(sandbox);
      await slack.conversations.history({ channel: CHANNEL });
      await expect(slack.conversations.history({ channel: CHANNEL })).resolves.toMatchObject({ ok: true });
    });
  });
});

describe('Slack provider: alert-bot posts whose text is only in attachments or blocks', () => {
  it('reads their text from the attachments and blocks, as the digest shows it', async () => {
    const { sandbox } = await startClockedSandbox();
    try {
      const channel = SEED_IDS.slackChannel;
      sandbox.emulators.slack.postAs('U0ALERTBOT', channel, '', {
        botId: 'B0ALERTS',
        attachments: [{ title: 'db-7 CPU', text: 'CPU at 97% for 10 minutes', fallback: 'CPU high' }],
      });
      sandbox.emulators.slack.postAs('U0ALERTBOT', channel, '', {
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Disk full on *db-9*' } }],
      });
      const { slack } = slackProvider(sandbox);
      const texts = (await slack.history(channel, '0')).map((m) => m.text);
      expect(texts).toContain('db-7 CPU\nCPU at 97% for 10 minutes');
      expect(texts).toContain('Disk full on *db-9*');
    } finally {
      await sandbox.close();
    }
  });
});
