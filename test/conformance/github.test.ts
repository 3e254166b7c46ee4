import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { githubProvider } from '../sandbox/slack-github-helpers.js';
import { requestsTo, startClockedSandbox } from '../support/sandbox.js';
import { type GitHubDescription, loadGitHubDescription, SPEC_PATH } from './github-openapi.js';

const description = loadGitHubDescription();
const title = description
  ? 'the GitHub emulator and provider conform to GitHub’s published REST description'
  : `GitHub REST conformance (skipped: ${SPEC_PATH} not found; run npm ci)`;

const owner = 'novavms';
const repo = 'oncall';

describe.skipIf(!description)(title, () => {
  const gh = description as GitHubDescription;
  let sandbox: Sandbox;
  const answers: { method: string; path: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    ({ sandbox } = await startClockedSandbox());
    const capturingFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      const url = new URL(String(input));
      const text = await response.clone().text();
      answers.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        path: url.pathname.slice(new URL(sandbox.urls.github).pathname.length),
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      });
      return response;
    };
    const octokit = (token = sandbox.tokens.github) =>
      new Octokit({
        auth: token,
        baseUrl: sandbox.urls.github,
        request: { fetch: capturingFetch },
        log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      });
    const emulator = sandbox.emulators.github;
    const { github } = githubProvider(sandbox);

    // The provider's traffic (for its requests), with a history that exercises every field.
    emulator.addReview(1, { user: SEED_ADMINS.bob.github, state: 'APPROVED' });
    emulator.addReview(1, { user: SEED_ADMINS.dana.github, state: 'PENDING' });
    await github.getPullRequest(1);
    await github.listPullFiles(1);
    await github.listReviews(1);
    await github.upsertMarkedComment(1, '<!-- m -->', '<!-- m -->\nfirst');
    await github.upsertMarkedComment(1, '<!-- m -->', '<!-- m -->\nsecond');
    await github.getIssue(owner, 'platform', 812);
    const mergeSha = emulator.merge(1);
    await github.pullRequestsForCommit(mergeSha);

    // The same calls and their errors through a capturing client, for the answers.
    const client = octokit();
    const { number } = emulator.createPullRequest({
      author: SEED_ADMINS.alice.github,
      title: 'rename',
      files: [{ filename: 'handovers/2026/b.yaml', status: 'renamed', previousFilename: 'handovers/b.yaml' }],
    });
    await client.repos.get({ owner, repo });
    await client.pulls.get({ owner, repo, pull_number: 1 });
    await client.pulls.get({ owner, repo, pull_number: number });
    await client.pulls.listFiles({ owner, repo, pull_number: number });
    await client.pulls.listReviews({ owner, repo, pull_number: 1 });
    await client.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: mergeSha });
    await client.issues.get({ owner, repo: 'platform', issue_number: 812 });
    await client.issues.get({ owner, repo, issue_number: 1 });
    const { data: comment } = await client.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: 'hi',
    });
    await client.issues.updateComment({ owner, repo, comment_id: comment.id, body: 'hi again' });
    await client.issues.listComments({ owner, repo, issue_number: number });
    const failing: Promise<unknown>[] = [
      client.pulls.get({ owner, repo, pull_number: 999 }),
      client.issues.createComment({ owner, repo, issue_number: number, body: 'x'.repeat(70_000) }),
      client.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: 'f'.repeat(40) }),
      octokit('ghp_wrong').repos.get({ owner, repo }),
    ];
    await Promise.allSettled(failing);
    sandbox.faults.set({ github: { rateLimitNext: 1, serverErrorNext: 1 } });
    await Promise.allSettled([client.repos.get({ owner, repo })]);
    await Promise.allSettled([client.repos.get({ owner, repo })]);
  });
  afterAll(() => sandbox.close());

  it.each([
    ['GET', '/repos/novavms/oncall'],
    ['GET', '/repos/novavms/oncall/pulls/1'],
    ['GET', '/repos/novavms/oncall/pulls/2/files'],
    ['GET', '/repos/novavms/oncall/pulls/1/reviews'],
    ['GET', '/repos/novavms/oncall/commits/{sha}/pulls'],
    ['GET', '/repos/novavms/platform/issues/812'],
    ['GET', '/repos/novavms/oncall/issues/1'],
    ['POST', '/repos/novavms/oncall/issues/2/comments'],
    ['PATCH', '/repos/novavms/oncall/issues/comments/{id}'],
    ['GET', '/repos/novavms/oncall/issues/2/comments'],
    ['GET', '/repos/novavms/oncall/pulls/999'],
  ])('%s %s answers match the description', (method, pattern) => {
    const matcher = new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const mine = answers.filter((a) => a.method === method && matcher.test(a.path));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.flatMap((a) => gh.checkAnswer(a.method, a.path, a.status, a.body))).toEqual([]);
  });

  it('errors, rate limits and outages have GitHub’s error shape', () => {
    const errors = answers.filter((a) => a.status >= 400);
    expect(errors.map((a) => a.status).sort()).toEqual([401, 404, 422, 422, 429, 502]);
    expect(errors.flatMap((a) => gh.checkAnswer(a.method, a.path, a.status, a.body))).toEqual([]);
  });

  it('the provider sends only declared operations, parameters and bodies', () => {
    const requests = requestsTo(sandbox, 'github').filter((r) =>
      r.headers['user-agent']?.startsWith('handover'),
    );
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['GET', 'POST', 'PATCH']));
    expect(requests.flatMap((r) => gh.checkRequest(r))).toEqual([]);
  });

  /**
   * The refusals of GitHub's rate limits. The description covers: the body of a 403 (declared `basic-error`
   * on writes such as POST …/comments; on reads it declares no 403, so the check falls back to
   * `basic-error`, GitHub's shape for every error) and the `x-ratelimit-*` headers' types (declared on
   * GET /rate_limit only; checked here on every answer, where GitHub sends them). It does not cover
   * `retry-after` at all (no operation declares it) nor which 403 means a rate limit: those are checked
   * against GitHub's documentation in test/refusals/github-emulator.test.ts, not here.
   */
  it('rate-limit refusals: a 403 of the declared error shape, and x-ratelimit-* of the declared types on every answer', async () => {
    const seen: { method: string; path: string; status: number; body: unknown; headers: Headers }[] = [];
    const { sandbox: limited } = await startClockedSandbox();
    try {
      const client = new Octokit({
        auth: limited.tokens.github,
        baseUrl: limited.urls.github,
        request: {
          fetch: async (input: string | URL | Request, init?: RequestInit) => {
            const response = await fetch(input, init);
            const text = await response.clone().text();
            seen.push({
              method: (init?.method ?? 'GET').toUpperCase(),
              path: new URL(String(input)).pathname.slice(new URL(limited.urls.github).pathname.length),
              status: response.status,
              body: text ? JSON.parse(text) : undefined,
              headers: response.headers,
            });
            return response;
          },
        },
        log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      });
      const emulator = limited.emulators.github;
      await client.pulls.get({ owner, repo, pull_number: 1 });
      emulator.setLimits({ remaining: 0, resetInSeconds: 1800 });
      await Promise.allSettled([client.pulls.get({ owner, repo, pull_number: 1 })]);
      emulator.setLimits({ remaining: 4000, secondaryLimitNext: 1, secondaryRetryAfterSeconds: 60 });
      await Promise.allSettled([client.issues.createComment({ owner, repo, issue_number: 1, body: 'x' })]);

      expect(seen.map((a) => a.status)).toEqual([200, 403, 403]);
      expect(seen.flatMap((a) => gh.checkAnswer(a.method, a.path, a.status, a.body))).toEqual([]);
      expect(seen.flatMap((a) => gh.checkRateLimitHeaders(`${a.method} ${a.path}`, a.headers))).toEqual([]);
      expect(seen[1]!.headers.get('x-ratelimit-remaining')).toBe('0');
      // Not in the description: the secondary limit's `retry-after` (whole seconds, GitHub's documentation).
      expect(seen[2]!.headers.get('retry-after')).toBe('60');
      expect(gh.checkRateLimitHeaders('wrong', new Headers({ 'x-ratelimit-limit': 'many' }))).not.toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('a check that would pass anything is not a check: a wrong answer is caught', () => {
    expect(gh.checkAnswer('GET', '/repos/o/r/pulls/1', 200, { number: '1' })).not.toEqual([]);
    expect(
      gh.checkAnswer('GET', '/repos/o/r/pulls/1/reviews', 200, [{ id: 1, state: 'APPROVED' }]),
    ).not.toEqual([]);
  });
});
