import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/types.js';
import { SANDBOX_GITHUB_BOT, SEED_MANIFEST_PATH } from '../../src/sandbox/github.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { githubProvider } from '../sandbox/slack-github-helpers.js';
import { rejection, requestsTo, startClockedSandbox } from '../support/sandbox.js';

const { alice, bob, dana } = SEED_ADMINS;
const MARKER = '<!-- handover:journal 2026-11-26-alice-to-bob -->';

let sandbox: Sandbox;
let clock: { now: Date };

beforeEach(async () => {
  ({ sandbox, clock } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const githubRequests = () => requestsTo(sandbox, 'github');

describe('GitHub provider: pull requests', () => {
  it('reads the seed pull request: open, unmerged, no merge commit yet', async () => {
    const { github } = githubProvider(sandbox);
    const seed = sandbox.emulators.github.pullRequest(1);
    expect(await github.getPullRequest(1)).toEqual({
      number: 1,
      title: seed.title,
      state: 'open',
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      headSha: seed.commits.at(-1),
      headRef: seed.headRef,
      baseRef: 'main',
      author: alice.github,
      htmlUrl: 'https://github.com/novavms/oncall/pull/1',
    });
    expect(await github.listPullFiles(1)).toEqual([
      { filename: SEED_MANIFEST_PATH, status: 'added', previousFilename: null },
    ]);
  });

  it('finds the merged pull request from its merge commit', async () => {
    const { github } = githubProvider(sandbox);
    const mergeSha = sandbox.emulators.github.merge(1);
    const [pull, ...others] = await github.pullRequestsForCommit(mergeSha);
    expect(others).toEqual([]);
    expect(pull).toMatchObject({ number: 1, merged: true, mergeCommitSha: mergeSha, state: 'closed' });
    expect((await github.getPullRequest(1)).mergedAt).toBe('2026-11-26T15:00:00Z');
  });

  it('lists files across pages, renames with their old name', async () => {
    const files = Array.from({ length: 150 }, (_, i) => ({
      filename: `handovers/2026/h-${i}.yaml`,
      status: 'renamed' as const,
      previousFilename: `handovers/h-${i}.yaml`,
    }));
    const { number } = sandbox.emulators.github.createPullRequest({
      author: dana.github,
      title: 'move',
      files,
    });
    const { github } = githubProvider(sandbox);
    const listed = await github.listPullFiles(number);
    expect(listed).toHaveLength(150);
    expect(listed[149]).toEqual({
      filename: 'handovers/2026/h-149.yaml',
      status: 'renamed',
      previousFilename: 'handovers/h-149.yaml',
    });
  });

  it('lists more than 100 reviews by following the Link header, oldest first', async () => {
    const emulator = sandbox.emulators.github;
    for (let i = 0; i < 120; i += 1) emulator.addReview(1, { user: dana.github, state: 'COMMENTED' });
    const head = emulator.pushCommit(1);
    emulator.addReview(1, { user: bob.github, state: 'APPROVED' });
    const { github } = githubProvider(sandbox);
    const reviews = await github.listReviews(1);
    expect(reviews).toHaveLength(121);
    expect(reviews.at(-1)).toMatchObject({ user: bob.github, state: 'APPROVED', commitId: head });
    expect(githubRequests().map((r) => r.query)).toEqual(['?per_page=100', '?per_page=100&page=2']);
  });
});

describe('GitHub provider: the marked comment', () => {
  it('creates the comment once and updates that same comment on the next run', async () => {
    const { github } = githubProvider(sandbox);
    const first = await github.upsertMarkedComment(1, MARKER, `${MARKER}\nrun 1`);
    const second = await github.upsertMarkedComment(1, MARKER, `${MARKER}\nrun 2`);
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(sandbox.emulators.github.comments(1).map((c) => c.body)).toEqual([`${MARKER}\nrun 2`]);
    expect(await github.findMarkedComment(1, MARKER)).toEqual({
      id: first.id,
      body: `${MARKER}\nrun 2`,
      author: SANDBOX_GITHUB_BOT.login,
    });
  });

  it('reads back the bot’s comment, not a person’s earlier copy that starts with the marker', async () => {
    const emulator = sandbox.emulators.github;
    const { github } = githubProvider(sandbox);
    emulator.addComment(1, bob.github, `${MARKER}\nforged: outcome done`);
    const botComment = emulator.addComment(1, SANDBOX_GITHUB_BOT.login, `${MARKER}\nthe real record`);
    expect(await github.findMarkedComment(1, MARKER)).toEqual({
      id: botComment,
      body: `${MARKER}\nthe real record`,
      author: SANDBOX_GITHUB_BOT.login,
    });
  });

  it('writes nothing when the comment already says the same', async () => {
    const { github } = githubProvider(sandbox);
    await github.upsertMarkedComment(1, MARKER, `${MARKER}\nsame`);
    await github.upsertMarkedComment(1, MARKER, `${MARKER}\nsame`);
    expect(githubRequests().filter((r) => r.mutation)).toHaveLength(1);
  });

  it('never takes over a person’s comment that quotes the marker, and finds its own on a later page', async () => {
    const emulator = sandbox.emulators.github;
    emulator.addComment(1, bob.github, `quoting the bot: ${MARKER}`);
    for (let i = 0; i < 105; i += 1) emulator.addComment(1, dana.github, `chatter ${i}`);
    const { github } = githubProvider(sandbox);
    expect(await github.findMarkedComment(1, MARKER)).toBeNull();
    const created = await github.upsertMarkedComment(1, MARKER, `${MARKER}\nrun 1`);
    const updated = await github.upsertMarkedComment(1, MARKER, `${MARKER}\nrun 2`);
    expect(created.created).toBe(true);
    expect(updated).toEqual({ id: created.id, created: false });
    const comments = emulator.comments(1);
    expect(comments).toHaveLength(107);
    expect(comments[0]!.body).toBe(`quoting the bot: ${MARKER}`);
    expect(comments.at(-1)!.body).toBe(`${MARKER}\nrun 2`);
  });

  it('puts the marker first when the body does not carry it, so the next run finds it', async () => {
    const { github } = githubProvider(sandbox);
    const first = await github.upsertMarkedComment(1, MARKER, 'journal table');
    expect(sandbox.emulators.github.comments(1)[0]!.body).toBe(`${MARKER}\njournal table`);
    expect(await github.upsertMarkedComment(1, MARKER, 'journal table, updated')).toEqual({
      id: first.id,
      created: false,
    });
  });

  it('after a 500 on a create that did happen, updates that comment rather than adding a second', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'after' } });
    const { github, sleeps } = githubProvider(sandbox);
    await github.upsertMarkedComment(1, MARKER, `${MARKER}\nonce`);
    expect(sandbox.emulators.github.comments(1).map((c) => c.body)).toEqual([`${MARKER}\nonce`]);
    expect(sleeps).toHaveLength(1);
    expect(githubRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('after a 500 on a create that did not happen, creates it once', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'before' } });
    const { github } = githubProvider(sandbox);
    const result = await github.upsertMarkedComment(1, MARKER, `${MARKER}\nonce`);
    expect(result.created).toBe(true);
    expect(sandbox.emulators.github.comments(1)).toHaveLength(1);
    expect(githubRequests().map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 201',
    ]);
  });
});

describe('GitHub provider: retries', () => {
  it('waits out a 429 for as long as GitHub asks, then comments exactly once', async () => {
    sandbox.faults.set({ github: { rateLimitNext: 1 } });
    const { github, sleeps } = githubProvider(sandbox);
    await github.upsertMarkedComment(1, MARKER, `${MARKER}\nx`);
    expect(sleeps).toEqual([1000]);
    expect(sandbox.emulators.github.comments(1)).toHaveLength(1);
  });

  it('a rate-limited create waits as long as GitHub asks, reads again, then creates once', async () => {
    sandbox.faults.set({ github: { rateLimit: { requests: 2, windowMs: 10_000 } } });
    const { github, sleeps } = githubProvider(sandbox, { clock });
    await github.getPullRequest(1);
    await github.upsertMarkedComment(1, MARKER, `${MARKER}\nx`);
    expect(sleeps).toEqual([10_000]);
    expect(githubRequests().map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'GET 200',
      'POST 429',
      'GET 200',
      'POST 201',
    ]);
    expect(sandbox.emulators.github.comments(1)).toHaveLength(1);
  });

  it('retries each page on its own through server errors', async () => {
    for (let i = 0; i < 150; i += 1)
      sandbox.emulators.github.addReview(1, { user: bob.github, state: 'COMMENTED' });
    const { github, sleeps } = githubProvider(sandbox);
    sandbox.faults.set({ github: { serverErrorNext: 1 } });
    expect(await github.listReviews(1)).toHaveLength(150);
    expect(sleeps).toHaveLength(1);
    // One failed first page, then each page once: no page read twice after it succeeded.
    expect(githubRequests().map((r) => r.status)).toEqual([502, 200, 200]);
  });

  it('does not retry a 404, and names the call and the object', async () => {
    const { github, sleeps } = githubProvider(sandbox);
    const error = await providerError(github.getIssue('novavms', 'platform', 999));
    expect(error).toMatchObject({
      service: 'github',
      call: 'issues.get',
      object: 'novavms/platform#999',
      kind: 'not-found',
      status: 404,
    });
    expect(error.detail).toMatch(/^Not Found/);
    expect(sleeps).toEqual([]);
    expect(githubRequests()).toHaveLength(1);
  });

  it('does not repeat a refused comment (422)', async () => {
    const { github, sleeps } = githubProvider(sandbox);
    const error = await providerError(
      github.upsertMarkedComment(1, MARKER, `${MARKER}${'x'.repeat(70_000)}`),
    );
    expect(error).toMatchObject({ kind: 'invalid', status: 422, call: 'issues.upsertMarkedComment' });
    expect(error.detail).toMatch(/too long/);
    expect(sleeps).toEqual([]);
  });

  it('gives up after the policy’s attempts on a server that keeps failing', async () => {
    sandbox.faults.set({ github: { serverErrorNext: 10 } });
    const { github, sleeps } = githubProvider(sandbox);
    const error = await providerError(github.getPullRequest(1));
    expect(error).toMatchObject({
      kind: 'server',
      status: 502,
      call: 'pulls.get',
      object: 'novavms/oncall#1',
    });
    expect(sleeps).toHaveLength(3);
  });

  it('reports a connection refused as a network error at once: nothing listens, so it is not retried', async () => {
    const closed = await startClockedSandbox();
    const url = closed.sandbox.urls.github;
    await closed.sandbox.close();
    const { github, sleeps } = githubProvider(sandbox, { baseUrl: url });
    const error = await providerError(github.getPullRequest(1));
    expect(error.kind).toBe('network');
    expect(error.detail).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(0);
  });

  it('gives up on a slow answer at the deadline', async () => {
    sandbox.faults.set({ github: { latencyMs: 300 } });
    const { github } = githubProvider(sandbox, { retry: { timeoutMs: 50, maxAttempts: 1 } });
    expect((await providerError(github.getPullRequest(1))).kind).toBe('timeout');
  });

  it('reads a rate limit window from the server and moves on once it has passed', async () => {
    sandbox.faults.set({ github: { rateLimit: { requests: 1, windowMs: 10_000 } } });
    const { github, sleeps } = githubProvider(sandbox, { clock });
    await github.getPullRequest(1);
    await github.getIssue('novavms', 'platform', 812);
    expect(sleeps).toEqual([10_000]);
  });
});

describe('GitHub provider: credentials', () => {
  it.each([
    ['a wrong token', 'ghp_wrongwrongwrongwrongwrongwrong1234', 'Bad credentials'],
    ['no token', '', 'Requires authentication'],
  ])(
    'fails with an auth error for %s, never retried, never echoing a token',
    async (_case, token, message) => {
      const { github, sleeps } = githubProvider(sandbox, { token });
      const error = await providerError(github.getPullRequest(1));
      expect(error).toMatchObject({ kind: 'auth', status: 401 });
      expect(error.detail).toMatch(new RegExp(`^${message}`));
      expect(sleeps).toEqual([]);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
      for (const secret of [token, sandbox.tokens.github].filter(Boolean))
        expect(everything).not.toContain(secret);
    },
  );
});
