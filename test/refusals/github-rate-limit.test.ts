import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { githubProvider } from '../sandbox/slack-github-helpers.js';
import { rejection, startClockedSandbox } from '../support/sandbox.js';

/** Our GitHub provider against GitHub's primary rate limit: a 403 with x-ratelimit-remaining 0. */
describe('GitHub provider: a 403 rate limit', () => {
  let sandbox: Sandbox;
  let clock: { now: Date };
  let number: number;

  beforeEach(async () => {
    ({ sandbox, clock } = await startClockedSandbox({ seed: 'empty' }));
    number = sandbox.emulators.github.createPullRequest({
      title: 'Handover',
      author: SEED_ADMINS.alice.github,
      files: [{ filename: 'handovers/2026/x.yaml', status: 'added' }],
    }).number;
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('waits for the reset when it fits what the run may wait, then succeeds', async () => {
    sandbox.emulators.github.setLimits({ remaining: 0, resetInSeconds: 300 });
    const { github, sleeps } = githubProvider(sandbox, {
      clock,
      retry: { maxRateLimitWaitMs: 10 * 60_000 },
    });
    const pull = await github.getPullRequest(number);
    expect(pull.number).toBe(number);
    expect(sleeps).toEqual([300_000]);
  });

  it('fails at once, saying when to re-run, when the reset is beyond what the run may wait', async () => {
    sandbox.emulators.github.setLimits({ remaining: 0, resetInSeconds: 45 * 60 });
    const { github, sleeps } = githubProvider(sandbox, {
      clock,
      retry: { maxRateLimitWaitMs: 10 * 60_000 },
    });
    const error = await rejection(github.getPullRequest(number));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate-limited', status: 403 });
    expect((error as ProviderError).detail).toMatch(
      /API rate limit exceeded.*resets in 45 minutes, longer than this run may wait \(10 minutes\).*re-run after the reset/,
    );
    expect(sleeps).toEqual([]);
    expect(sandbox.requests.filter((r) => r.service === 'github')).toHaveLength(1);
  });
});
