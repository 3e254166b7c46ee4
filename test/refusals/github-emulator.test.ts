import type { RequestError } from '@octokit/request-error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { rawGitHub } from '../sandbox/slack-github-helpers.js';
import { rejection, startClockedSandbox } from '../support/sandbox.js';

const owner = SEED_IDS.githubOwner;
const repo = SEED_IDS.githubRepo;

/** GitHub's quotas, lag and visibility as @octokit/rest sees them over HTTP. */
describe('GitHub emulator: rate limits, commit → pull request lag, pending reviews', () => {
  let sandbox: Sandbox;
  let clock: { now: Date };

  beforeEach(async () => {
    ({ sandbox, clock } = await startClockedSandbox({ seed: 'empty' }));
  });
  afterEach(async () => {
    await sandbox.close();
  });

  const openPull = () =>
    sandbox.emulators.github.createPullRequest({
      title: 'Handover',
      author: SEED_ADMINS.alice.github,
      files: [{ filename: 'handovers/2026/x.yaml', status: 'added' }],
    });

  it('sends x-ratelimit-* headers on every answer', async () => {
    const { number } = openPull();
    const answer = await rawGitHub(sandbox).pulls.get({ owner, repo, pull_number: number });
    expect(answer.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(answer.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect(Number(answer.headers['x-ratelimit-reset'])).toBeGreaterThan(clock.now.getTime() / 1000);
    expect(answer.headers['x-ratelimit-resource']).toBe('core');
  });

  it('answers a spent primary quota with a 403 rate limit, x-ratelimit-remaining 0 and the reset', async () => {
    const { number } = openPull();
    sandbox.emulators.github.setLimits({ remaining: 0, resetInSeconds: 1800 });
    const error = (await rejection(
      rawGitHub(sandbox).pulls.get({ owner, repo, pull_number: number }),
    )) as RequestError;
    expect(error.status).toBe(403);
    expect(error.response?.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(error.response?.headers['x-ratelimit-reset'])).toBe(clock.now.getTime() / 1000 + 1800);
    expect((error.response?.data as { message?: string } | undefined)?.message).toMatch(
      /API rate limit exceeded/,
    );
    // After the reset the quota is back.
    clock.now = new Date(clock.now.getTime() + 1800_000);
    await expect(rawGitHub(sandbox).pulls.get({ owner, repo, pull_number: number })).resolves.toMatchObject({
      status: 200,
    });
  });

  it('answers a secondary limit with 403 and retry-after', async () => {
    sandbox.emulators.github.setLimits({ secondaryLimitNext: 1, secondaryRetryAfterSeconds: 42 });
    const { number } = openPull();
    const error = (await rejection(
      rawGitHub(sandbox).pulls.get({ owner, repo, pull_number: number }),
    )) as RequestError;
    expect(error.status).toBe(403);
    expect(error.response?.headers['retry-after']).toBe('42');
    expect((error.response?.data as { message?: string } | undefined)?.message).toMatch(
      /secondary rate limit/,
    );
  });

  it('answers an empty commit → pull request list for a fresh merge commit until GitHub links it', async () => {
    const { number } = openPull();
    const sha = sandbox.emulators.github.merge(number);
    sandbox.emulators.github.setLimits({ pullLinkPendingLookups: 2 });
    const lookup = () =>
      rawGitHub(sandbox).repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
    expect((await lookup()).data).toEqual([]);
    expect((await lookup()).data).toEqual([]);
    expect((await lookup()).data.map((p) => p.number)).toEqual([number]);
  });

  it('shows a pending review to its author only', async () => {
    const { number } = openPull();
    sandbox.emulators.github.addReview(number, { user: SEED_ADMINS.bob.github, state: 'PENDING' });
    sandbox.emulators.github.addReview(number, { user: SEED_ADMINS.bob.github, state: 'COMMENTED' });
    const reviews = await rawGitHub(sandbox).pulls.listReviews({ owner, repo, pull_number: number });
    expect(reviews.data.map((r) => r.state)).toEqual(['COMMENTED']);
    expect(sandbox.emulators.github.reviews(number).map((r) => r.state)).toEqual(['PENDING', 'COMMENTED']);
  });
});
