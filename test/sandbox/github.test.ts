import type { RequestError } from '@octokit/request-error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_GITHUB_BOT, SEED_MANIFEST_PATH } from '../../src/sandbox/github.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { rejection, requestsTo, startClockedSandbox } from '../support/sandbox.js';
import { rawGitHub } from './slack-github-helpers.js';

const owner = SEED_IDS.githubOwner;
const repo = SEED_IDS.githubRepo;
const { alice, bob, dana } = SEED_ADMINS;

let sandbox: Sandbox;
let clock: { now: Date };

beforeEach(async () => {
  ({ sandbox, clock } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

async function httpError(promise: Promise<unknown>): Promise<RequestError> {
  const error = (await rejection(promise)) as RequestError;
  expect(error.name).toBe('HttpError');
  return error;
}

/** The rel → URL map of a Link header. */
function links(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part);
    if (match) out[match[2]!] = match[1]!;
  }
  return out;
}

describe('GitHub emulator: authentication', () => {
  it.each([
    ['no token', null, 'Requires authentication'],
    ['a wrong token', 'ghp_not_the_sandbox_token', 'Bad credentials'],
  ])('answers %s with 401 and GitHub’s message', async (_case, token, message) => {
    const error = await httpError(rawGitHub(sandbox, token).repos.get({ owner, repo }));
    expect(error.status).toBe(401);
    expect(error.response?.data).toEqual({
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
  });

  it('accepts the token as `token X` (octokit) and as `Bearer X`', async () => {
    expect((await rawGitHub(sandbox).repos.get({ owner, repo })).status).toBe(200);
    const bearer = await fetch(`${sandbox.urls.github}/repos/${owner}/${repo}`, {
      headers: { authorization: `Bearer ${sandbox.tokens.github}` },
    });
    expect(bearer.status).toBe(200);
  });
});

describe('GitHub emulator: the seed repository', () => {
  it('is novavms/oncall on main, with alice’s open pull request #1 adding the manifest', async () => {
    const octokit = rawGitHub(sandbox);
    const { data: repository } = await octokit.repos.get({ owner, repo });
    expect(repository).toMatchObject({ full_name: 'novavms/oncall', default_branch: 'main' });
    const { data: pull } = await octokit.pulls.get({ owner, repo, pull_number: 1 });
    expect(pull).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      merged_at: null,
      user: { login: alice.github },
      base: { ref: 'main' },
    });
    expect(pull.head.sha).toMatch(/^[0-9a-f]{40}$/);
    const { data: files } = await octokit.pulls.listFiles({ owner, repo, pull_number: 1 });
    expect(files.map((f) => [f.filename, f.status])).toEqual([[SEED_MANIFEST_PATH, 'added']]);
    expect((await octokit.pulls.listReviews({ owner, repo, pull_number: 1 })).data).toEqual([]);
  });

  it('has the engineering issue novavms/platform#812 a ticket links to', async () => {
    const { data } = await rawGitHub(sandbox).issues.get({ owner, repo: 'platform', issue_number: 812 });
    expect(data).toMatchObject({
      number: 812,
      state: 'open',
      html_url: 'https://github.com/novavms/platform/issues/812',
    });
  });

  it('answers the issue side of a pull request with a pull_request link', async () => {
    const { data } = await rawGitHub(sandbox).issues.get({ owner, repo, issue_number: 1 });
    expect(data.pull_request?.url).toBe(`${sandbox.urls.github}/repos/novavms/oncall/pulls/1`);
  });

  it.each([
    [
      'a pull request that does not exist',
      () => rawGitHub(sandbox).pulls.get({ owner, repo, pull_number: 99 }),
    ],
    ['a repository that does not exist', () => rawGitHub(sandbox).repos.get({ owner, repo: 'nope' })],
    [
      'a path GitHub does not serve',
      () => rawGitHub(sandbox).request('GET /repos/{owner}/{repo}/teleport', { owner, repo }),
    ],
  ])('answers %s with 404 Not Found', async (_case, call) => {
    const error = await httpError(call());
    expect(error.status).toBe(404);
    expect(error.response?.data).toMatchObject({ message: 'Not Found', status: '404' });
  });
});

describe('GitHub emulator: the people’s side (in-process controls)', () => {
  it('a new push moves the head, reviews keep the commit they approved, dismissal shows', async () => {
    const github = sandbox.emulators.github;
    const { number, headSha } = github.createPullRequest({
      author: alice.github,
      title: 'Handover',
      files: [{ filename: 'handovers/2026/x.yaml', status: 'added' }],
    });
    const approval = github.addReview(number, { user: bob.github, state: 'APPROVED' });
    const pushed = github.pushCommit(number);
    github.addReview(number, { user: dana.github, state: 'CHANGES_REQUESTED' });
    github.dismissReview(number, approval);
    const { data } = await rawGitHub(sandbox).pulls.listReviews({ owner, repo, pull_number: number });
    expect(data.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      [bob.github, 'DISMISSED', headSha],
      [dana.github, 'CHANGES_REQUESTED', pushed],
    ]);
    expect((await rawGitHub(sandbox).pulls.get({ owner, repo, pull_number: number })).data.head.sha).toBe(
      pushed,
    );
  });

  it('a merge sets merged, merged_at and merge_commit_sha, and the merge commit finds its pull request', async () => {
    clock.now = new Date('2026-11-26T15:30:00Z');
    const mergeSha = sandbox.emulators.github.merge(1);
    const octokit = rawGitHub(sandbox);
    const { data: pull } = await octokit.pulls.get({ owner, repo, pull_number: 1 });
    expect(pull).toMatchObject({
      state: 'closed',
      merged: true,
      merged_at: '2026-11-26T15:30:00Z',
      merge_commit_sha: mergeSha,
    });
    const { data: pulls } = await octokit.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: mergeSha,
    });
    expect(pulls.map((p) => p.number)).toEqual([1]);
  });

  it('answers 422 for a commit it never saw', async () => {
    const error = await httpError(
      rawGitHub(sandbox).repos.listPullRequestsAssociatedWithCommit({
        owner,
        repo,
        commit_sha: 'f'.repeat(40),
      }),
    );
    expect(error.status).toBe(422);
  });
});

describe('GitHub emulator: pagination', () => {
  it('pages reviews with per_page and absolute Link headers pointing back at the sandbox', async () => {
    for (let i = 0; i < 130; i += 1) {
      sandbox.emulators.github.addReview(1, { user: i % 2 ? bob.github : dana.github, state: 'COMMENTED' });
    }
    const octokit = rawGitHub(sandbox);
    const first = await octokit.pulls.listReviews({ owner, repo, pull_number: 1, per_page: 100 });
    expect(first.data).toHaveLength(100);
    const firstLinks = links(first.headers.link);
    expect(firstLinks.next).toBe(
      `${sandbox.urls.github}/repos/novavms/oncall/pulls/1/reviews?per_page=100&page=2`,
    );
    expect(firstLinks.last).toBe(firstLinks.next);
    const second = await octokit.pulls.listReviews({ owner, repo, pull_number: 1, per_page: 100, page: 2 });
    expect(second.data).toHaveLength(30);
    expect(Object.keys(links(second.headers.link)).sort()).toEqual(['first', 'prev']);
    const all = await octokit.paginate(octokit.pulls.listReviews, {
      owner,
      repo,
      pull_number: 1,
      per_page: 100,
    });
    expect(new Set(all.map((r) => r.id)).size).toBe(130);
  });

  it('serves at most 100 a page and 30 by default', async () => {
    for (let i = 0; i < 120; i += 1) sandbox.emulators.github.addComment(1, bob.github, `comment ${i}`);
    const octokit = rawGitHub(sandbox);
    expect((await octokit.issues.listComments({ owner, repo, issue_number: 1 })).data).toHaveLength(30);
    expect(
      (await octokit.issues.listComments({ owner, repo, issue_number: 1, per_page: 500 })).data,
    ).toHaveLength(100);
  });
});

describe('GitHub emulator: issue comments', () => {
  it('creates as the token’s bot with 201 and a Location, and updates in place', async () => {
    const octokit = rawGitHub(sandbox);
    const created = await octokit.issues.createComment({ owner, repo, issue_number: 1, body: 'first' });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(created.data.url);
    expect(created.data.user?.login).toBe(SANDBOX_GITHUB_BOT.login);
    clock.now = new Date('2026-11-26T15:10:00Z');
    const updated = await octokit.issues.updateComment({
      owner,
      repo,
      comment_id: created.data.id,
      body: 'second',
    });
    expect(updated.data).toMatchObject({
      id: created.data.id,
      body: 'second',
      updated_at: '2026-11-26T15:10:00Z',
    });
    expect(sandbox.emulators.github.comments(1).map((c) => c.body)).toEqual(['second']);
  });

  it.each([
    ['no body', {}, 422],
    ['a body over 65536 characters', { body: 'x'.repeat(65_537) }, 422],
  ])('refuses a comment with %s', async (_case, payload, status) => {
    const error = await httpError(
      rawGitHub(sandbox).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: 1,
        ...payload,
      } as never),
    );
    expect(error.status).toBe(status);
    expect(sandbox.emulators.github.comments(1)).toEqual([]);
  });

  it('answers 404 when updating a comment that does not exist', async () => {
    const error = await httpError(
      rawGitHub(sandbox).issues.updateComment({ owner, repo, comment_id: 42, body: 'x' }),
    );
    expect(error.status).toBe(404);
  });
});

describe('GitHub emulator: faults', () => {
  it('answers a rate limit with 429, retry-after, x-ratelimit headers and GitHub’s message', async () => {
    sandbox.faults.set({ github: { rateLimitNext: 1 } });
    const error = await httpError(rawGitHub(sandbox).repos.get({ owner, repo }));
    expect(error.status).toBe(429);
    const headers = error.response!.headers;
    expect(headers['retry-after']).toBe('1');
    expect(headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(headers['x-ratelimit-reset'])).toBe(Math.ceil(clock.now.getTime() / 1000) + 1);
    expect((error.response!.data as { message: string }).message).toMatch(/secondary rate limit/);
  });

  it('answers an internal error with 502 Server Error', async () => {
    sandbox.faults.set({ github: { serverErrorNext: 1 } });
    const error = await httpError(rawGitHub(sandbox).repos.get({ owner, repo }));
    expect(error.status).toBe(502);
    expect(error.response?.data).toEqual({ message: 'Server Error' });
  });

  it('counts comment writes as mutations, reads not', async () => {
    const octokit = rawGitHub(sandbox);
    const { data } = await octokit.issues.createComment({ owner, repo, issue_number: 1, body: 'x' });
    await octokit.issues.updateComment({ owner, repo, comment_id: data.id, body: 'y' });
    await octokit.issues.listComments({ owner, repo, issue_number: 1 });
    expect(requestsTo(sandbox, 'github').map((r) => [r.method, r.mutation])).toEqual([
      ['POST', true],
      ['PATCH', true],
      ['GET', false],
    ]);
  });
});

describe('GitHub emulator: state', () => {
  it('survives a snapshot and restore, URLs following the new address', async () => {
    const { number } = sandbox.emulators.github.createPullRequest({
      author: bob.github,
      title: 't',
      files: [],
    });
    const snapshot = JSON.parse(JSON.stringify(sandbox.emulators.github.snapshot()));
    const other = await startClockedSandbox({ seed: 'empty' });
    try {
      other.sandbox.emulators.github.restore(snapshot);
      const { data } = await rawGitHub(other.sandbox).pulls.get({ owner, repo, pull_number: number });
      expect(data.url).toBe(`${other.sandbox.urls.github}/repos/novavms/oncall/pulls/${number}`);
    } finally {
      await other.sandbox.close();
    }
  });
});
