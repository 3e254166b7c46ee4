import { afterEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import { FULL_BOT_SCOPES } from '../../src/sandbox/slack.js';
import {
  arrangeSmallWorld,
  createWorld,
  effects,
  fastRetry,
  mutations,
  smallManifest,
  type World,
} from '../apply/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/**
 * The first real deployment: a Slack app installed but never invited (and short of a scope), a read-only
 * PagerDuty key, and GitHub slow to link the merge commit to its pull request. Apply, run on the push as
 * the Action runs it, must write nothing while any of that holds, name each problem with its fix, and
 * complete with no duplicate once they are fixed one by one.
 */
describe('first real deployment', () => {
  it('stops with nothing written until every permission is there, then hands over once', async () => {
    world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    const { sandbox } = world;
    const { slack, pagerduty, github } = sandbox.emulators;
    slack.freshInstall(['chat:write', 'channels:read']);
    pagerduty.setApiKey({ kind: 'read-only' });
    github.setLimits({ pullLinkPendingLookups: 100 });
    const mergeSha = github.pullRequest(world.pullNumber!).mergeCommitSha!;
    const onPush = (delays: number[]) =>
      world!.apply({
        pullRequest: undefined,
        env: { ...world!.env, GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_SHA: mergeSha },
        retry: { ...fastRetry(), sleep: async (ms) => void delays.push(ms) },
      });
    const text = (log: Array<{ text?: string; line?: string }>) => JSON.stringify(log);

    // 1. GitHub has not linked the merge commit yet: asked again with backoff, then red, not green.
    const slowLink: number[] = [];
    const first = await onPush(slowLink);
    expect(first.exitCode).toBe(1);
    expect(slowLink.length).toBeGreaterThanOrEqual(5);
    expect(text(first.log)).toMatch(/no merged pull request brought this commit/);
    expect(mutations(sandbox)).toEqual([]);

    // 2. Linked now (after two empty answers): the acknowledgement holds, the permissions do not.
    github.setLimits({ pullLinkPendingLookups: 2 });
    const second = await onPush([]);
    expect(second.exitCode).toBe(1);
    const log = text(second.log);
    expect(log).toMatch(/lacks the scope channels:history \(missing_scope\)/);
    expect(log).toMatch(/not a member of #novavms-platform-ops.*not_in_channel.*\/invite/);
    expect(log).toMatch(/PagerDuty API key \(PAGERDUTY_TOKEN\) is read-only/);
    expect(mutations(sandbox)).toEqual([]);

    // 3. The Slack app is invited and given its scopes: PagerDuty's key still stops everything.
    slack.setBotScopes(FULL_BOT_SCOPES);
    slack.setBotMembership(SEED_IDS.slackChannel, true);
    const third = await onPush([]);
    expect(third.exitCode).toBe(1);
    expect(text(third.log)).not.toMatch(/Slack app/);
    expect(text(third.log)).toMatch(/read-only/);
    expect(mutations(sandbox)).toEqual([]);

    // 4. A general key: the handover completes.
    pagerduty.setApiKey({ kind: 'general' });
    const fourth = await onPush([]);
    expect(fourth.exitCode).toBe(0);
    const done = effects(sandbox).length;
    expect(done).toBeGreaterThan(0);

    // 5. Run again: nothing is repeated.
    const fifth = await onPush([]);
    expect(fifth.exitCode).toBe(0);
    expect(effects(sandbox)).toHaveLength(done);
  });
});
