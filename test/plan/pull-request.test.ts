import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_COMMENT_MARKER } from '../../src/runbook/plan/render-markdown.js';
import type { GhFileStatus } from '../../src/sandbox/github.js';
import { type CliWorld, initFilledManifest, startCliWorld } from './cli-world.js';

/**
 * The acknowledgement on a real (sandbox) pull request: plan reads the pull request, its files and
 * reviews through the GitHub provider and keeps one marked comment up to date.
 */
describe('plan on a pull request checks the acknowledgement', () => {
  let world: CliWorld;
  let manifest: string;
  let emergencyManifest: string;

  beforeAll(async () => {
    world = await startCliWorld();
    ({ path: manifest } = await initFilledManifest(world, ['--outgoing', 'alice', '--incoming', 'bob']));
    ({ path: emergencyManifest } = await initFilledManifest(world, [
      '--outgoing',
      'alice',
      '--incoming',
      'bob',
      '--variant',
      'emergency',
      '--cause',
      'incapacitated',
      '--out',
      'handovers/2026/emergency-alice-to-bob.yaml',
    ]));
  });
  afterAll(async () => {
    await world?.close();
  });

  const github = () => world.sandbox.emulators.github;

  function openPullRequest(
    author = 'alice-nv',
    files: Array<{ filename: string; status: GhFileStatus; previousFilename?: string }> = [
      { filename: manifest, status: 'added' },
    ],
  ) {
    return github().createPullRequest({ author, title: 'Handover alice to bob', files });
  }

  const plan = (number: number, file = manifest) =>
    world.run(['plan', file, '--pull-request', String(number)], { GITHUB_WORKSPACE: world.root });

  it('fails until the incoming admin approves, naming who must approve which commit', async () => {
    const pr = openPullRequest();
    const result = await plan(pr.number);
    expect(result.code).toBe(1);
    // The verdict names what blocks the merge: nothing is stranded, the acknowledgement is missing.
    expect(result.stdout).not.toContain('Nothing would be stranded');
    expect(result.stdout).toContain('The acknowledgement is missing: bob (bob-nv) must approve commit');
    expect(result.stdout).toContain(`Not acknowledged (pull request #${pr.number}):`);
    expect(result.stdout).toContain(
      `bob (bob-nv) must approve commit ${pr.headSha.slice(0, 7)}, the pull request's head`,
    );
  });

  it('does not count an approval by the wrong person', async () => {
    const pr = openPullRequest();
    github().addReview(pr.number, { user: 'dana-nv', state: 'APPROVED' });
    const result = await plan(pr.number);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('approval by dana-nv does not count');
  });

  it("does not count the outgoing admin's own approval", async () => {
    const pr = openPullRequest();
    github().addReview(pr.number, { user: 'alice-nv', state: 'APPROVED' });
    const result = await plan(pr.number);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("alice's own approval does not count");
  });

  it('needs the approval on the head commit; a later request for changes withdraws it', async () => {
    const pr = openPullRequest();
    github().addReview(pr.number, { user: 'bob-nv', state: 'APPROVED' });
    const head = github().pushCommit(pr.number);
    const older = await plan(pr.number);
    expect(older.code).toBe(1);
    expect(older.stdout).toContain(
      `bob (bob-nv) must approve commit ${head.slice(0, 7)}, the pull request's head (bob approved ${pr.headSha.slice(0, 7)}, an earlier commit)`,
    );

    github().addReview(pr.number, { user: 'bob-nv', state: 'APPROVED' });
    const approved = await plan(pr.number);
    expect(approved.code, approved.stdout).toBe(0);
    expect(approved.stdout).toContain(
      `Acknowledged: bob approved ${head.slice(0, 7)}, the head of pull request #${pr.number}.`,
    );

    github().addReview(pr.number, { user: 'bob-nv', state: 'CHANGES_REQUESTED' });
    const withdrawn = await plan(pr.number);
    expect(withdrawn.code).toBe(1);
    expect(withdrawn.stdout).toContain('(bob requested changes)');
  });

  it('creates one marked comment and updates it on the next run', async () => {
    const pr = openPullRequest();
    const first = await plan(pr.number);
    expect(first.stderr).toContain(`posted the plan comment on pull request #${pr.number}`);
    github().addReview(pr.number, { user: 'bob-nv', state: 'APPROVED' });
    const second = await plan(pr.number);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`updated the plan comment on pull request #${pr.number}`);

    const marked = github()
      .comments(pr.number)
      .filter((comment) => comment.body.includes(PLAN_COMMENT_MARKER));
    expect(marked).toHaveLength(1);
    expect(marked[0]?.body).toContain('**Acknowledgement:** ✅ bob approved commit');
    expect(marked[0]?.body).toContain('```mermaid\ngantt');
  });

  it('leaves other people’s comments alone', async () => {
    const pr = openPullRequest();
    github().addComment(pr.number, 'dana-nv', 'Looks good, but see the rollout.');
    await plan(pr.number);
    await plan(pr.number);
    const comments = github().comments(pr.number);
    expect(comments.map((comment) => comment.body.includes(PLAN_COMMENT_MARKER))).toEqual([false, true]);
    expect(comments[0]?.body).toBe('Looks good, but see the rollout.');
  });

  it('refuses a pull request that changes files outside handovers/', async () => {
    const pr = openPullRequest('alice-nv', [
      { filename: manifest, status: 'added' },
      { filename: '.github/workflows/apply.yml', status: 'modified' },
    ]);
    github().addReview(pr.number, { user: 'bob-nv', state: 'APPROVED' });
    const result = await plan(pr.number);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ack.file-outside-handovers');
    expect(result.stdout).toContain('.github/workflows/apply.yml (modified), outside handovers/');
  });

  it('refuses a pull request that modifies the manifest instead of adding it', async () => {
    const pr = openPullRequest('alice-nv', [{ filename: manifest, status: 'modified' }]);
    github().addReview(pr.number, { user: 'bob-nv', state: 'APPROVED' });
    const result = await plan(pr.number);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `ack.manifest-not-added  ${manifest} is modified in this pull request, not added`,
    );
  });

  it('emergency: a third admin may approve', async () => {
    const pr = openPullRequest('bob-nv', [{ filename: emergencyManifest, status: 'added' }]);
    github().addReview(pr.number, { user: 'dana-nv', state: 'APPROVED' });
    const result = await plan(pr.number, emergencyManifest);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`Acknowledged: dana approved ${pr.headSha.slice(0, 7)}`);
  });

  it('inside GitHub Actions, finds the pull request from the review event', async () => {
    const pr = openPullRequest();
    github().addReview(pr.number, { user: 'bob-nv', state: 'APPROVED' });
    world.write('event.json', JSON.stringify({ action: 'submitted', pull_request: { number: pr.number } }));
    const result = await world.run(['plan', manifest], {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request_review',
      GITHUB_EVENT_PATH: `${world.root}/event.json`,
      GITHUB_WORKSPACE: world.root,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(
      github()
        .comments(pr.number)
        .filter((c) => c.body.includes(PLAN_COMMENT_MARKER)),
    ).toHaveLength(1);
  });

  it('needs GITHUB_TOKEN for a pull request, and says so', async () => {
    const result = await world.run(['plan', manifest, '--pull-request', '1'], { GITHUB_TOKEN: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing environment variable: GITHUB_TOKEN');
  });

  it('names the pull request that GitHub does not know, in one line', async () => {
    const result = await plan(9999);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'handover plan: github pulls.get novavms/oncall#9999 failed (not-found 404): Not Found\n',
    );
  });
});
