/**
 * The ledger and anti-rollback, as a repository writer with bad intent would attack them: records forged
 * as the bot, deleted or edited; a handover merged before a newer one that finished; a symlinked manifest;
 * commits with old dates. The built action, run as GitHub runs it, against the sandbox over HTTP and a real
 * git checkout. Each attack is refused or neutralised, with nothing applied twice and nothing undone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import type { ActionRun } from './harness/runner.js';
import {
  applyByHand,
  applyOnPush,
  channelSummaries,
  journalCommentBody,
  markedComments,
  mergeHandover,
  overrides,
  tamperWithComments,
} from './harness/scenario.js';
import { useBuiltAction } from './harness/suite.js';
import {
  type ActionWorld,
  ALICE,
  BOB,
  createActionWorld,
  DANA,
  manifestPath,
  manifestYaml,
} from './harness/world.js';

let world: ActionWorld;
const bundle = useBuiltAction(() => world);

/** Who holds the first seed incident: the test's view of "whose shift it is". */
function holder(w: ActionWorld): string | undefined {
  return w.sandbox.emulators.pagerduty.incident(SEED_INCIDENTS.euApiLatency)?.assignments[0]?.userId;
}

function heldAnnotation(run: ActionRun, path: string): string | undefined {
  return run.commands.find((c) => c.name === 'error' && c.properties.includes(path))?.data;
}

/** A: alice → bob, then B: bob → alice, each applied by its own push. Returns both and the tip. */
async function twoHandoversApplied(w: ActionWorld) {
  const a = mergeHandover(w, '2026-11-27-alice-to-bob');
  expect((await applyOnPush(w, a.sha, w.repo.head())).outputs.result).toBe('success');
  const b = mergeHandover(w, '2026-11-28-bob-to-alice', {
    outgoing: 'bob',
    incoming: 'alice',
    startsInHours: 3,
  });
  const run = await applyOnPush(w, b.sha, a.sha);
  expect(run.outputs.result, run.stdout).toBe('success');
  expect(holder(w)).toBe(ALICE.pagerduty);
  return { a, b };
}

/** A later, unrelated merge (a README under handovers/): the push whose run would catch up. */
function laterMerge(w: ActionWorld): { sha: string; before: string } {
  const before = w.repo.head();
  const number = w.openPullRequest({ files: [{ filename: 'handovers/README.md', status: 'added' }] });
  return { sha: w.merge(number, { 'handovers/README.md': 'Handovers live here.\n' }), before };
}

describe('records a writer deletes or edits', () => {
  it.each([
    ['deleted', () => null],
    ['edited to failed', (body: string) => body.replace('"outcome":"done"', '"outcome":"failed"')],
    [
      'edited to hold another hash',
      (body: string) => body.replace(/"manifestSha256":"[0-9a-f]+"/, '"manifestSha256":null'),
    ],
  ] as const)('A’s record %s after B ran: A is never re-applied, B is not undone', async (_name, change) => {
    world = await createActionWorld(bundle());
    const { a } = await twoHandoversApplied(world);
    tamperWithComments(world, a.number, change);
    const effects = world.sideEffects();
    const { sha, before } = laterMerge(world);

    const run = await applyOnPush(world, sha, before);

    expect(world.sideEffects(), run.stdout).toBe(effects);
    expect(holder(world)).toBe(ALICE.pagerduty);
    expect(channelSummaries(world)).toHaveLength(2);
    expect(overrides(world)).toBe(2);
    expect(run.stdout).toContain('were not checked again');
  });

  it('B’s own (newest) record deleted: B is checked again and re-applied idempotently — nothing repeated', async () => {
    world = await createActionWorld(bundle());
    const { b } = await twoHandoversApplied(world);
    tamperWithComments(world, b.number, () => null);
    const { sha, before } = laterMerge(world);
    const mutations = () =>
      world.sandbox.requests.filter((r) => r.mutation && r.service !== 'github' && r.status < 400).length;
    const effects = mutations();

    const run = await applyOnPush(world, sha, before);

    expect(run.outputs.result, run.stdout).toBe('success');
    expect(mutations()).toBe(effects);
    expect(holder(world)).toBe(ALICE.pagerduty);
    expect(channelSummaries(world)).toHaveLength(2);
    expect(overrides(world)).toBe(2);
  });

  it('B’s own (newest) record edited: B is held, not re-run, and a person is told', async () => {
    world = await createActionWorld(bundle());
    const { b } = await twoHandoversApplied(world);
    tamperWithComments(world, b.number, (body) => body.replace('"outcome":"done"', '"outcome":"failed"'));
    const effects = world.sideEffects();
    const { sha, before } = laterMerge(world);

    const run = await applyOnPush(world, sha, before);

    expect(run.outputs.result).toBe('failure');
    expect(world.sideEffects()).toBe(effects);
    expect(heldAnnotation(run, b.path), run.stdout).toContain('does not verify');
    expect(channelSummaries(world)).toHaveLength(2);
  });
});

describe('a handover merged before a newer one that finished', () => {
  it('is held with an annotation that says why and how to run it deliberately; nothing runs by itself', async () => {
    world = await createActionWorld(bundle());
    // A (alice → bob) merges and its run is lost; B (alice → dana) merges after it and is applied alone.
    const a = mergeHandover(world, '2026-11-27-alice-to-bob');
    const b = mergeHandover(world, '2026-11-28-alice-to-dana', { incoming: 'dana', startsInHours: 3 });
    const onlyB = await applyOnPush(world, b.sha, a.sha, { inputs: { manifests: b.path } });
    expect(onlyB.outputs.result, onlyB.stdout).toBe('success');
    expect(holder(world)).toBe(DANA.pagerduty);
    const effects = world.sideEffects();
    const { sha, before } = laterMerge(world);

    const run = await applyOnPush(world, sha, before);

    expect(run.outputs.result).toBe('failure');
    expect(world.sideEffects()).toBe(effects);
    expect(holder(world)).toBe(DANA.pagerduty);
    const held = heldAnnotation(run, a.path);
    expect(held, run.stdout).toContain(`merged before ${b.path}`);
    expect(held).toContain(
      'run the handover-apply workflow by hand with manifest set to its path and confirm',
    );
    expect(markedComments(world, a.number, a.path)).toEqual([]); // held is not final: nothing recorded

    // A manual run that is not confirmed does nothing.
    const unconfirmed = await applyByHand(world, { manifest: a.path, confirm: 'yes' });
    expect(unconfirmed.outputs.result).toBe('failure');
    expect(unconfirmed.summary).toContain('set confirm to the same path');
    expect(world.sideEffects()).toBe(effects);
  });
});

describe('a record forged as the bot for a pending handover', () => {
  it('does not make apply skip it: held and said why; the manual run applies it once', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const h = mergeHandover(world, '2026-11-27-alice-to-bob');
    const forged = journalCommentBody({
      manifest: h.path,
      outcome: 'done',
      pullRequest: h.number,
      manifestSha256: h.sha256,
    });
    world.sandbox.emulators.github.addComment(h.number, 'github-actions[bot]', forged);

    const run = await applyOnPush(world, h.sha, before);

    expect(run.outputs.result).toBe('failure');
    expect(world.sideEffects()).toBe(0);
    expect(heldAnnotation(run, h.path), run.stdout).toContain('cannot be trusted');

    const manual = await applyByHand(world, { manifest: h.path, confirm: h.path });
    expect(manual.outputs.result, manual.stdout + manual.stderr).toBe('success');
    expect(holder(world)).toBe(BOB.pagerduty);
    expect(channelSummaries(world)).toHaveLength(1);
    expect(manual.summary).toContain('Manual run by dana');
    expect(markedComments(world, h.number, h.path).at(-1)?.body).toContain('"manualBy":"dana"');
    const effects = world.sideEffects();
    expect((await applyOnPush(world, h.sha, before)).outputs.result).toBe('success');
    expect(world.sideEffects()).toBe(effects);
  });
});

describe('a symbolic link merged as a manifest', () => {
  it('is refused before anything runs, whatever its target says', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const id = '2026-11-27-alice-to-bob';
    const path = manifestPath(id);
    world.repo.commit({ 'docs/target.yaml': manifestYaml({ id }) }, 'a file elsewhere');
    const number = world.openPullRequest({ files: [{ filename: path, status: 'added' }] });
    world.approve(number, BOB.github);
    world.sandbox.emulators.github.merge(number);
    const sha = world.repo.link(path, '../../docs/target.yaml', 'the link');
    const state = world.sandbox.emulators.github.snapshot() as {
      repos: Array<{ pulls: Array<{ number: number; mergeCommitSha: string | null }> }>;
    };
    for (const repo of state.repos)
      for (const p of repo.pulls) if (p.number === number) p.mergeCommitSha = sha;
    world.sandbox.emulators.github.restore(state);

    const run = await applyOnPush(world, sha, before);

    expect(world.sideEffects()).toBe(0);
    expect(run.summary, run.stdout).toContain('symbolic link');
    expect(run.outputs.result).toBe('failure');
  });
});

describe('the bytes executed', () => {
  it('are the git object at the merge, whatever the working tree holds; the journal hashes them', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const h = mergeHandover(world, '2026-11-27-alice-to-bob');
    // A step before apply rewrote the checked-out file (uncommitted): it must not be what runs.
    writeFileSync(
      join(world.repo.dir, h.path),
      manifestYaml({ id: '2026-11-27-alice-to-bob', incoming: 'dana' }),
    );

    const run = await applyOnPush(world, h.sha, before);

    expect(run.outputs.result, run.stdout).toBe('success');
    expect(holder(world)).toBe(BOB.pagerduty);
    const journal = JSON.parse(
      readFileSync(join(run.outputs.journal!, '2026-11-27-alice-to-bob.json'), 'utf8'),
    );
    expect(journal.manifestSha256).toBe(h.sha256);
    expect(markedComments(world, h.number, h.path)[0]?.body).toContain(`"manifestSha256":"${h.sha256}"`);
  });
});

describe('commit dates', () => {
  it('a commit dated 2001 on top of two pending handovers hides neither: both are applied, once, in order', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    mergeHandover(world, '2026-11-27-alice-to-bob');
    mergeHandover(world, '2026-11-28-bob-to-alice', { outgoing: 'bob', incoming: 'alice', startsInHours: 3 });
    const number = world.openPullRequest({ files: [{ filename: 'handovers/README.md', status: 'added' }] });
    const sha = world.merge(number, { 'handovers/README.md': 'old\n' }, { daysAgo: 365 * 25 });

    const run = await applyOnPush(world, sha, before);

    expect(run.outputs.result, run.stdout).toBe('success');
    expect(channelSummaries(world)).toHaveLength(2);
    expect(holder(world)).toBe(ALICE.pagerduty);
  });
});
