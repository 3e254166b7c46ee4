import { afterEach, describe, expect, it } from 'vitest';
import { planHandover } from '../../src/core/plan.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { FULL_BOT_SCOPES } from '../../src/sandbox/slack.js';
import {
  arrangeSmallWorld,
  createWorld,
  effects,
  fastRetry,
  mutations,
  NOW,
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
 * complete with no duplicate once they are fixed one by one. Plan, run on the pull request before the
 * merge, already names the Slack problems and a `From` user's role that may not act on incidents (the
 * kind of apply's key is invisible to plan's own read-only key, and the commit → pull request link only
 * exists after the merge).
 */
describe('first real deployment', () => {
  it('stops with nothing written until every permission is there, then hands over once', async () => {
    world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    const { sandbox } = world;
    const { slack, pagerduty, github } = sandbox.emulators;
    slack.freshInstall(['chat:write', 'channels:read']);
    pagerduty.setApiKey({ kind: 'read-only' });
    pagerduty.setUserRole(SEED_ADMINS.bob.pagerduty, 'observer');
    github.setLimits({ pullLinkPendingLookups: 100 });
    const mergeSha = github.pullRequest(world.pullNumber!).mergeCommitSha!;
    const onPush = (delays: number[]) =>
      world!.apply({
        pullRequest: undefined,
        env: { ...world!.env, GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_SHA: mergeSha },
        retry: { ...fastRetry(), sleep: async (ms) => void delays.push(ms) },
      });
    const text = (log: Array<{ text?: string; line?: string }>) => JSON.stringify(log);

    // 0. Plan on the pull request names what apply's preflight would stop on, with the rule ids.
    const planned = await planHandover({
      manifestPath: world.manifestPath,
      displayPath: world.manifestRepoPath,
      config: world.config,
      env: world.env,
      now: () => NOW,
      pullRequest: world.pullNumber,
      cwd: world.root,
    });
    if (planned.kind !== 'planned') throw new Error(`plan did not plan: ${JSON.stringify(planned)}`);
    expect(planned.succeeded).toBe(false);
    const rules = planned.plan.findings.filter((f) => f.section === 'permissions').map((f) => f.rule);
    expect(new Set(rules)).toEqual(
      new Set(['permission.slack-scope', 'permission.slack-membership', 'permission.pagerduty-role']),
    );
    const comment = github
      .comments(world.pullNumber!)
      .map((c) => c.body)
      .join('\n');
    expect(comment).toMatch(/permission\.slack-scope[\s\S]*channels:history/);
    expect(comment).toMatch(/permission\.slack-membership[\s\S]*not\\?_in\\?_channel/);
    expect(comment).toMatch(/permission\.pagerduty-role[\s\S]*observer"? role may not act on incidents/);
    expect(comment).toMatch(/3 missing permissions would stop apply before its first write/);
    // Plan's only write is its comment: it never sends PagerDuty a PUT.
    expect(mutations(sandbox).map((r) => r.service)).toEqual(['github']);
    const planWrites = mutations(sandbox).length;
    const applyWrites = () => mutations(sandbox).slice(planWrites);

    // 1. GitHub has not linked the merge commit yet: asked again with backoff, then red, not green.
    const slowLink: number[] = [];
    const first = await onPush(slowLink);
    expect(first.exitCode).toBe(1);
    expect(slowLink.length).toBeGreaterThanOrEqual(5);
    expect(text(first.log)).toMatch(/no merged pull request brought this commit/);
    expect(applyWrites()).toEqual([]);

    // 2. Linked now (after two empty answers): the acknowledgement holds, the permissions do not.
    github.setLimits({ pullLinkPendingLookups: 2 });
    const second = await onPush([]);
    expect(second.exitCode).toBe(1);
    const log = text(second.log);
    expect(log).toMatch(/lacks the scope channels:history \(missing_scope\)/);
    expect(log).toMatch(/not a member of #novavms-platform-ops.*not_in_channel.*\/invite/);
    expect(log).toMatch(/PagerDuty API key \(PAGERDUTY_TOKEN\) is read-only/);
    expect(applyWrites()).toEqual([]);

    // 3. The Slack app is invited and given its scopes: PagerDuty's key still stops everything.
    slack.setBotScopes(FULL_BOT_SCOPES);
    slack.setBotMembership(SEED_IDS.slackChannel, true);
    const third = await onPush([]);
    expect(third.exitCode).toBe(1);
    expect(text(third.log)).not.toMatch(/Slack app/);
    expect(text(third.log)).toMatch(/read-only/);
    expect(applyWrites()).toEqual([]);

    // 4. A general key: bob's observer role still stops it, named.
    pagerduty.setApiKey({ kind: 'general' });
    const roleOnly = await onPush([]);
    expect(roleOnly.exitCode).toBe(1);
    expect(text(roleOnly.log)).toMatch(/observer/);
    expect(applyWrites()).toEqual([]);

    // 5. Bob may act on incidents: the handover completes.
    pagerduty.setUserRole(SEED_ADMINS.bob.pagerduty, 'user');
    const fourth = await onPush([]);
    expect(fourth.exitCode).toBe(0);
    const done = effects(sandbox).length;
    expect(done).toBeGreaterThan(0);

    // 6. Run again: nothing is repeated.
    const fifth = await onPush([]);
    expect(fifth.exitCode).toBe(0);
    expect(effects(sandbox)).toHaveLength(done);
  });
});
