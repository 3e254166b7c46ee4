/**
 * Apply on merge against forged or replayed state: the journal records on pull requests are what tells a
 * run that a handover is finished, so a record a person wrote, a record copied from another handover, a
 * re-run of the same workflow run and a dropped run must never make a pending handover look finished or
 * run one twice. The built action, run as GitHub runs it, against the sandbox over HTTP.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import {
  applyOnPush,
  channelSummaries,
  journalCommentBody,
  markedComments,
  mergeHandover,
  notesPerIncident,
  overrides,
} from './harness/scenario.js';
import { useBuiltAction } from './harness/suite.js';
import {
  type ActionWorld,
  ALICE,
  BOB,
  createActionWorld,
  manifestPath,
  manifestYaml,
} from './harness/world.js';

const BOT = 'github-actions[bot]';

let world: ActionWorld;
const bundle = useBuiltAction(() => world);

function apply(w: ActionWorld, after: string, before: string, env: Record<string, string> = {}) {
  return applyOnPush(w, after, before, { env });
}

/** Notes the seed world's incidents hold before any handover. */
let seedNotes: number[];

async function freshWorld(): Promise<ActionWorld> {
  world = await createActionWorld(bundle());
  seedNotes = notesPerIncident(world);
  return world;
}

/** Each handover adds two notes per incident: the status paragraph and the acknowledgement. */
function expectNotes(w: ActionWorld, handovers: number): void {
  expect(notesPerIncident(w)).toEqual(seedNotes.map((n) => n + 2 * handovers));
}

/** The handover was applied exactly once: its notes, one override, one channel summary. */
function expectAppliedOnce(w: ActionWorld): void {
  expectNotes(w, 1);
  expect(overrides(w)).toBe(1);
  expect(channelSummaries(w)).toHaveLength(1);
  expect(w.sandbox.emulators.pagerduty.incident(SEED_INCIDENTS.euApiLatency)?.assignments).toEqual([
    expect.objectContaining({ userId: BOB.pagerduty }),
  ]);
}

/**
 * A first attempt that fails half-way: the Slack token in the environment is wrong (revoked, or a typo),
 * so the run changes PagerDuty and the platform, then fails at the channel summary. Someone fixes the
 * secret and re-runs the workflow.
 */
function failHalfWay(w: ActionWorld, after: string, before: string) {
  return applyOnPush(w, after, before, { inputs: { 'slack-bot-token': 'xoxb-revoked/by+admin=0' } });
}

describe('a journal record a person wrote', () => {
  it('does not make a pending handover look finished: it is applied, and the record written is the bot’s own', async () => {
    world = await freshWorld();
    const before = world.repo.head();
    const h = mergeHandover(world, '2026-11-27-alice-to-bob');
    // Before any run, the author posts a perfect copy of a "done" record (right path, pull request, hash).
    const forged = journalCommentBody({
      manifest: h.path,
      outcome: 'done',
      pullRequest: h.number,
      manifestSha256: h.sha256,
    });
    world.sandbox.emulators.github.addComment(h.number, ALICE.github, forged);

    const run = await apply(world, h.sha, before);

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.result).toBe('success');
    expectAppliedOnce(world);
    expect(
      run.commands.some((c) => c.name === 'warning' && c.data.includes(`journal comment by ${ALICE.github}`)),
      run.stdout,
    ).toBe(true);
    const comments = markedComments(world, h.number, h.path);
    expect(comments.map((c) => c.user)).toEqual([ALICE.github, BOT]);
    expect(comments[0]?.body).toBe(forged); // the person's comment is never rewritten
    expect(comments[1]?.body).toContain('"outcome":"done"');

    // The next run reads the bot's record: done, nothing repeated.
    const again = await apply(world, h.sha, before);
    expect(again.outputs.result, again.stdout).toBe('success');
    expect(again.summary).toContain('done earlier');
    expectAppliedOnce(world);
  });

  it('posted after the bot’s "failed" record, does not stop the next run from finishing the handover', async () => {
    world = await freshWorld();
    const before = world.repo.head();
    const h = mergeHandover(world, '2026-11-27-alice-to-bob');
    const failed = await failHalfWay(world, h.sha, before);
    expect(failed.outputs.result, failed.stdout).toBe('failure');
    const [botRecord] = markedComments(world, h.number, h.path);
    expect(botRecord?.body).toContain('"outcome":"failed"');
    // Someone "fixes" it by hand: a copy of the bot's comment, now saying done.
    const forged = (botRecord?.body ?? '').replace('"outcome":"failed"', '"outcome":"done"');
    world.sandbox.emulators.github.addComment(h.number, BOB.github, forged);

    const run = await apply(world, h.sha, before);

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.result).toBe('success');
    expectAppliedOnce(world);
    const comments = markedComments(world, h.number, h.path);
    expect(comments.map((c) => c.user)).toEqual([BOT, BOB.github]);
    expect(comments[0]?.body).toContain('"outcome":"done"');
    expect(comments[1]?.body).toBe(forged);
  });
});

describe('a journal record posted as the bot (from a workflow on a writer’s branch)', () => {
  const cases: Array<{
    name: string;
    record: (target: { path: string; number: number; sha256: string }, other: { sha256: string }) => object;
  }> = [
    {
      name: 'a perfect copy of a "done" record for this manifest, without the ledger key',
      record: (t) => ({ manifest: t.path, pullRequest: t.number, manifestSha256: t.sha256 }),
    },
    {
      name: 'another manifest’s record, renamed to this path (wrong SHA-256)',
      record: (t, other) => ({ manifest: t.path, pullRequest: t.number, manifestSha256: other.sha256 }),
    },
    {
      name: 'a record about another pull request',
      record: (t) => ({ manifest: t.path, pullRequest: t.number - 1, manifestSha256: t.sha256 }),
    },
  ];

  for (const { name, record } of cases) {
    it(`holds the pending handover (loudly, nothing applied, nothing recorded) until a person decides: ${name}`, async () => {
      world = await freshWorld();
      const first = mergeHandover(world, '2026-11-27-alice-to-bob');
      expect((await apply(world, first.sha, world.repo.head())).outputs.result).toBe('success');
      // A second handover, merged but not yet applied (its run was dropped).
      const second = mergeHandover(world, '2026-11-28-bob-to-alice', {
        outgoing: 'bob',
        incoming: 'alice',
        startsInHours: 3,
      });
      const copied = journalCommentBody({
        outcome: 'done',
        ...(record(second, first) as {
          manifest: string;
          pullRequest: number;
          manifestSha256: string | null;
        }),
      });
      world.sandbox.emulators.github.addComment(second.number, BOT, copied);
      const effects = world.sideEffects();

      const run = await apply(world, second.sha, first.sha);

      // Not skipped silently as done, not run either: held, red, and said why.
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.outputs.result).toBe('failure');
      expect(world.sideEffects()).toBe(effects);
      const held = run.commands.find((c) => c.name === 'error' && c.properties.includes(second.path));
      expect(held?.data, run.stdout).toContain('cannot be trusted');
      expect(run.summary).toContain('✋ held');
      expect(markedComments(world, second.number, second.path).map((c) => c.body)).toEqual([copied]);
    });
  }
});

describe('a re-run of the same apply workflow run', () => {
  it('after a failure half-way, converges with no duplicate note, override, post or comment', async () => {
    world = await freshWorld();
    const before = world.repo.head();
    const h = mergeHandover(world, '2026-11-27-alice-to-bob');
    const first = await failHalfWay(world, h.sha, before);
    expect(first.code).toBe(1);
    // A revoked Slack token is now caught by the permission check before the first write.
    expect(world.sideEffects()).toBe(0);
    expect(first.outputs.result, first.stdout).toBe('failure');
    expect(markedComments(world, h.number, h.path).map((c) => c.body)).toEqual([
      expect.stringContaining('"outcome":"failed"'),
    ]);

    const rerun = await apply(world, h.sha, before, { GITHUB_RUN_ATTEMPT: '2' });

    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.outputs).toMatchObject({ result: 'success', incidents: '3', tickets: '3', rollouts: '2' });
    expectAppliedOnce(world);
    const comments = markedComments(world, h.number, h.path);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('"outcome":"done"');

    // A third attempt finds it done and changes nothing at all.
    const effects = world.sideEffects();
    const third = await apply(world, h.sha, before, { GITHUB_RUN_ATTEMPT: '3' });
    expect(third.outputs.result, third.stdout).toBe('success');
    expect(world.sideEffects()).toBe(effects);
    expect(markedComments(world, h.number, h.path)).toHaveLength(1);
  });
});

describe('three quick merges whose middle run never starts', () => {
  it('the third run applies manifests 2 and 3 exactly once, oldest first, and leaves the first alone', async () => {
    world = await freshWorld();
    const before = world.repo.head();
    const one = mergeHandover(world, '2026-11-27-alice-to-bob', { startsInHours: 1 });
    const runOne = await apply(world, one.sha, before);
    expect(runOne.outputs.result, runOne.stdout).toBe('success');
    // Merges 2 and 3 land while run 1 is running; concurrency cancels the pending run of merge 2.
    const two = mergeHandover(world, '2026-11-28-bob-to-alice', {
      outgoing: 'bob',
      incoming: 'alice',
      startsInHours: 3,
    });
    const three = mergeHandover(world, '2026-11-29-alice-to-bob', { startsInHours: 5 });

    const runThree = await apply(world, three.sha, two.sha);

    expect(runThree.code, runThree.stdout + runThree.stderr).toBe(0);
    expect(readdirSync(runThree.outputs.journal ?? '').sort()).toEqual([
      '2026-11-28-bob-to-alice.json',
      '2026-11-29-alice-to-bob.json',
    ]);
    expect(runThree.summary).toContain('done earlier');
    const handovers = channelSummaries(world).map((text) =>
      /^On-call: <@(\w+)> → <@(\w+)>/.exec(text)?.slice(1),
    );
    expect(handovers).toEqual([
      [ALICE.slack, BOB.slack],
      [BOB.slack, ALICE.slack],
      [ALICE.slack, BOB.slack],
    ]);
    expectNotes(world, 3);
    expect(overrides(world)).toBe(3);
    for (const h of [one, two, three]) expect(markedComments(world, h.number, h.path)).toHaveLength(1);
  });
});

describe('a merge that bypassed branch protection', () => {
  it('with the incoming admin’s approval on an older commit is refused: no side effect, the reason in summary and outputs', async () => {
    world = await freshWorld();
    const before = world.repo.head();
    const id = '2026-11-27-alice-to-bob';
    const path = manifestPath(id);
    const number = world.openPullRequest({ files: [{ filename: path, status: 'added' }] });
    world.approve(number, BOB.github); // bob approves …
    world.sandbox.emulators.github.pushCommit(number); // … then alice pushes again, and an admin merges anyway
    const sha = world.merge(number, { [path]: manifestYaml({ id }) });

    const run = await apply(world, sha, before);

    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ result: 'failure', journal: '', incidents: '0', tickets: '0' });
    expect(world.sideEffects()).toBe(0);
    expect(run.summary).toContain('⛔ refused');
    expect(run.summary).toContain('an earlier commit');
    const failed = run.commands.filter((c) => c.name === 'error').map((c) => c.data);
    expect(
      failed.some((line) => line.includes('ack.approval-missing')),
      run.stdout,
    ).toBe(true);
    expect(markedComments(world, number, path).map((c) => c.body)).toEqual([
      expect.stringContaining('"outcome":"refused"'),
    ]);
  });
});
