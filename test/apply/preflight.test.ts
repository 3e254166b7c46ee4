import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_EVENTS } from '../../src/runbook/runtime/context.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { createWorld, endState, fullManifest, mutations, postsOf, type World } from './world.js';

const { alice, bob, dana } = SEED_ADMINS;
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Opens the pull request by hand for the cases the default flow cannot express. */
function openPull(sandbox: Sandbox, path: string, status: 'added' | 'modified' = 'added') {
  return sandbox.emulators.github.createPullRequest({
    author: alice.github,
    title: 'Handover',
    files: [{ filename: path, status }],
  });
}

describe('the acknowledgement is checked before anything changes', () => {
  const refusals: Array<[string, (w: World) => number | null, RegExp]> = [
    ['nobody approved', () => null, /ack\.approval-missing.*bob \(bob-nv\) must approve/],
    ['dana approved instead of bob', () => null, /ack\.approval-missing/],
    ['alice approved her own handover', () => null, /ack\.approval-missing/],
    [
      'bob approved an older commit',
      (w) => {
        const github = w.sandbox.emulators.github;
        const { number } = openPull(w.sandbox, w.manifestRepoPath);
        github.addReview(number, { user: bob.github, state: 'APPROVED' });
        github.pushCommit(number);
        github.merge(number);
        return number;
      },
      /approved [0-9a-f]{7}, an earlier commit/,
    ],
    [
      'bob requested changes after approving',
      (w) => {
        const github = w.sandbox.emulators.github;
        const { number } = openPull(w.sandbox, w.manifestRepoPath);
        github.addReview(number, { user: bob.github, state: 'APPROVED' });
        github.addReview(number, { user: bob.github, state: 'CHANGES_REQUESTED' });
        github.merge(number);
        return number;
      },
      /requested changes/,
    ],
    [
      "bob's approval was dismissed",
      (w) => {
        const github = w.sandbox.emulators.github;
        const { number } = openPull(w.sandbox, w.manifestRepoPath);
        const review = github.addReview(number, { user: bob.github, state: 'APPROVED' });
        github.dismissReview(number, review);
        github.merge(number);
        return number;
      },
      /dismissed/,
    ],
    [
      'the pull request modified the manifest instead of adding it',
      (w) => {
        const github = w.sandbox.emulators.github;
        const { number } = openPull(w.sandbox, w.manifestRepoPath, 'modified');
        github.addReview(number, { user: bob.github, state: 'APPROVED' });
        github.merge(number);
        return number;
      },
      /ack\.manifest-not-added/,
    ],
    [
      'the pull request also changed a file outside handovers/',
      (w) => {
        const github = w.sandbox.emulators.github;
        const { number } = github.createPullRequest({
          author: alice.github,
          title: 'Handover',
          files: [
            { filename: w.manifestRepoPath, status: 'added' },
            { filename: 'src/steps/verify.ts', status: 'modified' },
          ],
        });
        github.addReview(number, { user: bob.github, state: 'APPROVED' });
        github.merge(number);
        return number;
      },
      /ack\.file-outside-handovers/,
    ],
    [
      'the pull request is not merged',
      (w) => {
        const github = w.sandbox.emulators.github;
        const { number } = openPull(w.sandbox, w.manifestRepoPath);
        github.addReview(number, { user: bob.github, state: 'APPROVED' });
        return number;
      },
      /not merged/,
    ],
  ];
  const approverFor: Record<string, string | null> = {
    'nobody approved': null,
    'dana approved instead of bob': dana.github,
    'alice approved her own handover': alice.github,
  };

  it.each(refusals)('refuses when %s, with no side effect', async (name, arrange, message) => {
    const simple = name in approverFor;
    world = await createWorld({
      manifest: fullManifest(),
      pull: simple ? { approver: approverFor[name] ?? null } : false,
    });
    const before = endState(world.sandbox);
    const pullRequest = simple ? world.pullNumber! : arrange(world)!;
    const result = await world.apply({ pullRequest, skipApprovalCheck: false });
    expect(result.exitCode).toBe(1);
    expect(result.journal?.outcome).toBe('failed');
    expect(result.journal?.acknowledgementVerified).toBe(false);
    const failures = result.journal!.actions.filter((a) => a.outcome === 'failed');
    expect(failures.every((a) => a.step === 'preflight' && a.failure === 'failure')).toBe(true);
    expect(failures.map((a) => a.detail).join('\n')).toMatch(message);
    expect(mutations(world.sandbox)).toEqual([]);
    expect(endState(world.sandbox)).toEqual(before);
  });

  it('refuses with exit 2 when there is no pull request to check and no --skip-approval-check', async () => {
    world = await createWorld({ manifest: fullManifest(), pull: false });
    const result = await world.apply({ skipApprovalCheck: false });
    expect(result.exitCode).toBe(2);
    expect(result.message).toContain('--pull-request N');
    expect(world.sandbox.requests).toEqual([]);
  });

  it('finds the pull request that merged the pushed commit inside GitHub Actions', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const mergeSha = world.sandbox.emulators.github.pullRequest(world.pullNumber!).mergeCommitSha!;
    const eventPath = join(world.root, 'event.json');
    writeFileSync(eventPath, JSON.stringify({ after: mergeSha, head_commit: { id: mergeSha } }));
    const env = {
      ...world.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: mergeSha,
    };
    const result = await world.apply({ env, pullRequest: undefined, skipApprovalCheck: false });
    expect(result.exitCode).toBe(0);
    expect(result.journal?.pullRequest).toBe(world.pullNumber);
  });

  it('refuses a pushed commit that no pull request merged', async () => {
    world = await createWorld({ manifest: fullManifest(), pull: { merge: false } });
    // A commit pushed straight to the branch of a pull request that was never merged.
    const env = {
      ...world.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: world.sandbox.emulators.github.pushCommit(world.pullNumber!),
    };
    const result = await world.apply({ env, pullRequest: undefined, skipApprovalCheck: false });
    expect(result.exitCode).toBe(1);
    expect(result.journal!.actions[0]?.detail).toContain('no merged pull request brought this commit');
    expect(mutations(world.sandbox)).toEqual([]);
  });

  it('refuses a manifest that no longer passes validation, naming the line', async () => {
    world = await createWorld({ manifest: fullManifest() });
    writeFileSync(world.manifestPath, `${'apiVersion: handover/v1\nkind: Handover\n'}id: x\nbogus: true\n`);
    const result = await world.apply();
    expect(result.exitCode).toBe(1);
    const validate = result.journal!.actions.filter((a) => a.action === 'validate');
    expect(validate.length).toBeGreaterThan(0);
    expect(validate.some((a) => /:4:1$/.test(a.target) && a.detail.includes('schema.'))).toBe(true);
    expect(world.sandbox.requests).toEqual([]);
  });

  it('says exit 2 and names the variables when tokens are missing', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const { SLACK_BOT_TOKEN: _slack, PLATFORM_TOKEN: _platform, ...env } = world.env;
    const result = await world.apply({ env });
    expect(result.exitCode).toBe(2);
    expect(result.message).toContain('SLACK_BOT_TOKEN');
    expect(result.message).toContain('PLATFORM_TOKEN');
    expect(world.sandbox.requests).toEqual([]);
  });
});

describe('--skip-approval-check', () => {
  it('proceeds and says plainly everywhere that the acknowledgement was not verified', async () => {
    world = await createWorld({ manifest: fullManifest(), pull: false });
    const result = await world.apply({ skipApprovalCheck: true });
    expect(result.exitCode).toBe(0);
    expect(result.journal?.acknowledgementVerified).toBe(false);
    expect(result.journal?.pullRequest).toBeNull();
    const ack = result.journal!.actions.find((a) => a.action === 'acknowledgement');
    expect(ack).toMatchObject({ outcome: 'skipped' });
    expect(ack?.detail).toContain('acknowledgement NOT verified');

    const notes = world.sandbox.emulators.pagerduty
      .incidents()
      .flatMap((i) => i.notes)
      .filter((n) => n.content.includes('handover 2026-11-26-alice-to-bob'));
    expect(notes).toHaveLength(6);
    for (const note of notes) expect(note.content).toContain('acknowledgement NOT verified');
    expect(postsOf(world.sandbox, SLACK_EVENTS.summary)[0]?.text).toContain('acknowledgement NOT verified');
    expect(postsOf(world.sandbox, SLACK_EVENTS.details)[0]?.text).toContain('acknowledgement NOT verified');
    // Without GitHub, nothing asked GitHub.
    expect(world.sandbox.requests.filter((r) => r.service === 'github')).toEqual([]);
  });
});

describe('--dry-run', () => {
  it('reads, says what it would do, and changes nothing', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const before = endState(world.sandbox);
    const result = await world.apply({ dryRun: true });
    expect(result.exitCode).toBe(0);
    expect(result.journal?.dryRun).toBe(true);
    expect(mutations(world.sandbox)).toEqual([]);
    expect(endState(world.sandbox)).toEqual(before);
    const planned = result.journal!.actions.filter((a) => a.step !== 'preflight');
    expect(planned.length).toBeGreaterThan(20);
    expect(planned.every((a) => a.outcome === 'skipped' && a.detail.startsWith('dry run:'))).toBe(true);
    expect(planned.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'override',
        'post status note',
        'reassign',
        'acknowledge',
        'post acknowledgement note',
        'end impersonation session',
        'label',
        'link engineering issue',
        'annotate',
        'take ownership',
        'post summary',
        'post details',
      ]),
    );
  });

  it('after a real run, finds everything already done', async () => {
    world = await createWorld({ manifest: fullManifest() });
    await world.apply();
    const count = world.sandbox.requests.length;
    const result = await world.apply({ dryRun: true });
    expect(world.sandbox.requests.slice(count).filter((r) => r.mutation)).toEqual([]);
    const steps = result.journal!.actions.filter((a) => !['preflight', 'verify'].includes(a.step));
    expect(steps.every((a) => a.outcome === 'already-done')).toBe(true);
  });
});

describe('reads that go beside the reachability reads', () => {
  it("the pull request's files and reviews are read as soon as it is found merged, not after every service answered", async () => {
    world = await createWorld({ manifest: fullManifest() });
    // Slack answers its reachability read late; GitHub at once.
    world.sandbox.faults.set({ slack: { latencyMs: 300 } });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const order = world.sandbox.requests.map((r) => `${r.service} ${r.method} ${r.path}`);
    const slackAnswered = order.indexOf('slack POST /conversations.history');
    const files = order.findIndex((r) => /^github GET \/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/.test(r));
    const reviews = order.findIndex((r) => /^github GET \/repos\/[^/]+\/[^/]+\/pulls\/\d+\/reviews$/.test(r));
    expect(slackAnswered).toBeGreaterThan(-1);
    expect(files).toBeGreaterThan(-1);
    expect(reviews).toBeGreaterThan(-1);
    // The sandbox records a request when it answers it.
    expect(files).toBeLessThan(slackAnswered);
    expect(reviews).toBeLessThan(slackAnswered);
  });

  it('the open incidents are listed once, early; a list that failed there is read again in step 2', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const clean = await createWorld({ manifest: fullManifest() });
    await clean.apply();
    const cleanState = endState(clean.sandbox);
    await clean.close();

    // The first PagerDuty request, the early list, answers 500. That list is PagerDuty's reachability
    // read (there is no separate probe), and any answer proves PagerDuty is there; tried once, the list
    // is read again with retries in step 2.
    world.sandbox.faults.set({ pagerduty: { serverErrorNext: 1 } });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(endState(world.sandbox)).toEqual(cleanState);
    const lists = world.sandbox.requests.filter(
      (r) => r.service === 'pagerduty' && r.method === 'GET' && r.path === '/incidents',
    );
    expect(lists.filter((r) => r.status === 500)).toHaveLength(1);
    expect(lists[0]?.status).toBe(500);
    // No on-call read stood in as a probe before the first note (the override step reads on-calls later).
    const firstNote = world.sandbox.requests.findIndex(
      (r) => r.service === 'pagerduty' && r.method === 'POST',
    );
    const probes = world.sandbox.requests
      .slice(0, firstNote)
      .filter((r) => r.service === 'pagerduty' && r.path === '/oncalls');
    expect(probes).toEqual([]);
    expect(lists.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
  });
});
