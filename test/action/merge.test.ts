/**
 * The built action on a merge to main, run as GitHub runs it (a separate `node dist/index.js` with the
 * runner protocol) against the sandbox over HTTP and a real git checkout.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretForms } from '../../src/render/secret-forms.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import type { ActionRun } from './harness/runner.js';
import { applyOnPush } from './harness/scenario.js';
import { useBuiltAction } from './harness/suite.js';
import {
  type ActionWorld,
  ALICE,
  BOB,
  createActionWorld,
  DANA,
  LEDGER_KEY,
  manifestPath,
  manifestYaml,
} from './harness/world.js';

let world: ActionWorld;
const bundle = useBuiltAction(() => world);

/** Every `::` line is one we meant: masks of our tokens, groups, and annotations the test expects. */
function expectOnlyOurCommands(run: ActionRun, secrets: string[]): void {
  for (const command of run.commands) {
    expect(['add-mask', 'group', 'endgroup', 'error', 'warning', 'notice'], command.line).toContain(
      command.name,
    );
    if (command.name === 'add-mask')
      expect([...secrets, ...secrets.flatMap(secretForms)], command.line).toContain(command.data);
  }
}

/** A token may appear in the log only where it is registered for masking. */
function expectNoTokenOutsideMasks(run: ActionRun, secrets: string[]): void {
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
}

function tokens(w: ActionWorld): string[] {
  return [...Object.values(w.sandbox.tokens), LEDGER_KEY];
}

/** The journal record the run left on a pull request, or null. */
function journalComment(w: ActionWorld, number: number, path: string): string | null {
  const marker = `<!-- handover:journal ${path} -->`;
  return w.sandbox.emulators.github.comments(number).find((c) => c.body.includes(marker))?.body ?? null;
}

async function mergeHandover(
  w: ActionWorld,
  id: string,
  options: { outgoing?: 'alice' | 'bob'; incoming?: 'alice' | 'bob'; startsInHours?: number } = {},
) {
  const path = manifestPath(id);
  const author = (options.outgoing ?? 'alice') === 'alice' ? ALICE.github : BOB.github;
  const approver = (options.incoming ?? 'bob') === 'bob' ? BOB.github : ALICE.github;
  const number = w.openPullRequest({ author, files: [{ filename: path, status: 'added' }] });
  w.approve(number, approver);
  const sha = w.merge(number, { [path]: manifestYaml({ id, ...options }) });
  return { number, path, sha };
}

describe('on a push to main that merged a handover pull request', () => {
  it('applies the handover, writes the journal, the summary and the pull request comment; a re-run repeats nothing', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const { number, path, sha } = await mergeHandover(world, '2026-11-27-alice-to-bob');

    const run = await applyOnPush(world, sha, before);

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'success', incidents: '3', tickets: '3', rollouts: '2' });
    // The sandbox's end state: everything of alice's is bob's, and the channel has the summary.
    const { pagerduty, platform, slack } = world.sandbox.emulators;
    for (const id of [
      SEED_INCIDENTS.euApiLatency,
      SEED_INCIDENTS.buildRunnerDisk,
      SEED_INCIDENTS.adminCertificate,
    ])
      expect(pagerduty.incident(id)?.assignments.map((a) => a.userId)).toEqual([BOB.pagerduty]);
    expect(platform.ticket(PLATFORM_SEED.ticketActive)?.assignee).toBe(BOB.tracker);
    expect(platform.session(PLATFORM_SEED.sessionOnActiveTicket)?.status).toBe('ended');
    expect(
      slack.messages(SEED_IDS.slackChannel).some((m) => m.text.startsWith('On-call: <@U0ALICE> → <@U0BOB>')),
    ).toBe(true);
    // The journal artifact: one JSON journal per executed handover.
    expect(existsSync(run.outputs.journal ?? '')).toBe(true);
    const files = readdirSync(run.outputs.journal!);
    expect(files).toEqual(['2026-11-27-alice-to-bob.json']);
    const journal = JSON.parse(readFileSync(join(run.outputs.journal!, files[0]!), 'utf8'));
    expect(journal).toMatchObject({
      id: '2026-11-27-alice-to-bob',
      outcome: 'done',
      pullRequest: number,
      approver: 'bob',
    });
    // The summary and the pull request carry the journal table and the link to the run.
    const runLink = 'https://github.example/novavms/oncall/actions/runs/4242';
    expect(run.summary).toContain('| Step | Target | Action | Outcome | Detail |');
    expect(run.summary).toContain(runLink);
    const comment = journalComment(world, number, path);
    expect(comment).toContain('| Step | Target | Action | Outcome | Detail |');
    expect(comment).toContain(runLink);
    expect(comment).toContain('"outcome":"done"');
    // The log: a group per step, the tokens masked first.
    expect(run.commands[0]?.name).toBe('add-mask');
    expect(run.commands.some((c) => c.name === 'group' && c.data.includes('Step 2 · Incidents'))).toBe(true);
    expectOnlyOurCommands(run, tokens(world));
    expectNoTokenOutsideMasks(run, tokens(world));

    // GitHub re-runs the job (or a later push catches up): the journal says done, nothing is repeated.
    const effects = world.sideEffects();
    const again = await applyOnPush(world, sha, before);
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs.result).toBe('success');
    expect(again.outputs.journal).toBe('');
    expect(world.sideEffects()).toBe(effects);
    expect(again.summary).toContain('done earlier');
  });

  it('catches up a merged handover whose run never started, oldest first, once each', async () => {
    world = await createActionWorld(bundle());
    // Two merges in quick succession: GitHub keeps one pending run and drops the older one.
    const first = await mergeHandover(world, '2026-11-27-alice-to-bob', { startsInHours: 1 });
    const second = await mergeHandover(world, '2026-11-27-bob-to-alice', {
      outgoing: 'bob',
      incoming: 'alice',
      startsInHours: 3,
    });

    const run = await applyOnPush(world, second.sha, first.sha);

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readdirSync(run.outputs.journal!).sort()).toEqual([
      '2026-11-27-alice-to-bob.json',
      '2026-11-27-bob-to-alice.json',
    ]);
    // Oldest first: alice → bob, then bob → alice, so alice holds the incidents at the end.
    const { pagerduty, slack } = world.sandbox.emulators;
    expect(pagerduty.incident(SEED_INCIDENTS.euApiLatency)?.assignments.map((a) => a.userId)).toEqual([
      ALICE.pagerduty,
    ]);
    const summaries = slack.messages(SEED_IDS.slackChannel).filter((m) => m.text.startsWith('On-call:'));
    expect(summaries.map((m) => /^On-call: <@(\w+)> → <@(\w+)>/.exec(m.text)?.slice(1))).toEqual([
      [ALICE.slack, BOB.slack],
      [BOB.slack, ALICE.slack],
    ]);
    expect(journalComment(world, first.number, first.path)).toContain('"outcome":"done"');
    expect(journalComment(world, second.number, second.path)).toContain('"outcome":"done"');
  });

  it('defers a mid-shift-outage handover while the outage is open (not a failure), and applies it on a later run', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const outage = world.sandbox.emulators.pagerduty.addIncident({
      id: 'Q9OUTAGE00777',
      title: 'Control plane unreachable in eu-west',
      assigneeIds: [ALICE.pagerduty],
    });
    const id = '2026-11-27-alice-to-bob';
    const path = manifestPath(id);
    const number = world.openPullRequest({ files: [{ filename: path, status: 'added' }] });
    world.approve(number);
    const sha = world.merge(number, { [path]: manifestYaml({ id, outage }) });

    const waiting = await applyOnPush(world, sha, before);

    expect(waiting.code, waiting.stdout).toBe(0);
    expect(waiting.outputs.result).toBe('deferred');
    expect(waiting.commands.some((c) => c.name === 'notice' && c.data.startsWith('deferred'))).toBe(true);
    expect(journalComment(world, number, path)).toContain('"outcome":"deferred"');
    expect(world.sideEffects()).toBe(0);

    world.sandbox.emulators.pagerduty.resolveIncident(outage, ALICE.pagerduty);
    const done = await applyOnPush(world, sha, before);

    expect(done.code, done.stdout).toBe(0);
    expect(done.outputs.result).toBe('success');
    expect(journalComment(world, number, path)).toContain('"outcome":"done"');
  });

  it('changes nothing and records nothing on a dry run', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const { number, path, sha } = await mergeHandover(world, '2026-11-27-alice-to-bob');

    const run = await applyOnPush(world, sha, before, { inputs: { 'dry-run': 'true' } });

    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('success');
    const journal = JSON.parse(
      readFileSync(join(run.outputs.journal!, '2026-11-27-alice-to-bob.json'), 'utf8'),
    );
    expect(journal.dryRun).toBe(true);
    expect(run.summary).toContain('Dry run');
    expect(world.sideEffects()).toBe(0);
    expect(journalComment(world, number, path)).toBeNull();
  });

  it('refuses to apply on a pull request event', async () => {
    world = await createActionWorld(bundle());
    const { number } = await mergeHandover(world, '2026-11-27-alice-to-bob');
    const run = await world.run({
      command: 'apply',
      eventName: 'pull_request',
      event: world.pullRequestEvent(number),
    });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failure');
    expect(world.sideEffects()).toBe(0);
  });

  it('holds, and names in an annotation, a handover left unfinished for weeks: never dropped, never run by itself', async () => {
    world = await createActionWorld(bundle());
    const oldPath = manifestPath('2026-11-01-alice-to-bob');
    const oldPull = world.openPullRequest({ files: [{ filename: oldPath, status: 'added' }] });
    world.approve(oldPull);
    world.merge(oldPull, { [oldPath]: manifestYaml({ id: '2026-11-01-alice-to-bob' }) }, { daysAgo: 20 });
    const before = world.repo.head();
    const readme = world.openPullRequest({ files: [{ filename: 'handovers/README.md', status: 'added' }] });
    const sha = world.merge(readme, { 'handovers/README.md': 'Handovers live here.\n' });

    const run = await applyOnPush(world, sha, before);

    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.result).toBe('failure');
    expect(world.sideEffects()).toBe(0);
    const held = run.commands.find((c) => c.name === 'error' && c.properties.includes(oldPath));
    expect(held?.data, run.stdout).toContain('more than 14 days ago and never finished');
    expect(held?.data).toContain('run the handover-apply workflow by hand');
    expect(run.summary).toContain('✋ held');
  });
});

/** Requests that changed anything in the sandbox's GitHub (comments). */
function githubWrites(w: ActionWorld): number {
  return w.sandbox.requests.filter((r) => r.mutation && r.service === 'github').length;
}

function errorAnnotations(run: ActionRun): string[] {
  return run.commands.filter((c) => c.name === 'error').map((c) => c.line);
}

describe('a push the executor refuses runs nothing at all', () => {
  const id = '2026-11-27-alice-to-bob';
  const path = manifestPath(id);
  const cases: Array<{ name: string; rule: string; push: (w: ActionWorld) => string }> = [
    {
      name: 'a commit pushed to main without a pull request',
      rule: 'push.not-from-pull-request',
      push: (w) => w.pushDirectly({ [path]: manifestYaml({ id }) }),
    },
    {
      name: 'a merged pull request that also changed a file outside handovers/',
      rule: 'push.file-outside-handovers',
      push: (w) => {
        const number = w.openPullRequest({
          files: [
            { filename: path, status: 'added' },
            { filename: 'handover.config.yaml', status: 'modified' },
          ],
        });
        w.approve(number);
        return w.merge(number, {
          [path]: manifestYaml({ id }),
          'handover.config.yaml': `${w.configYaml}# edited\n`,
        });
      },
    },
  ];

  for (const { name, rule, push } of cases) {
    it(`refuses ${name}`, async () => {
      world = await createActionWorld(bundle());
      const before = world.repo.head();
      const sha = push(world);

      const run = await applyOnPush(world, sha, before);

      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ result: 'failure', journal: '' });
      expect(
        errorAnnotations(run).some((line) => line.includes(`title=${rule}`)),
        run.stdout,
      ).toBe(true);
      expect(run.summary).toContain('nothing is executed');
      expect(world.sideEffects()).toBe(0);
      expect(githubWrites(world)).toBe(0);
    });
  }

  it.each([
    ['modified', { [path]: manifestYaml({ id, startsInHours: 5 }) }],
    ['removed', { [path]: null }],
  ] as const)(
    'refuses a pull request that %s a merged manifest instead of adding one',
    async (status, files) => {
      world = await createActionWorld(bundle());
      const before = world.repo.head();
      const first = await mergeHandover(world, id);
      const applied = await applyOnPush(world, first.sha, before);
      expect(applied.outputs.result, applied.stdout).toBe('success');
      const effects = world.sideEffects();

      const number = world.openPullRequest({ files: [{ filename: path, status }] });
      world.approve(number);
      const sha = world.merge(number, files);
      const run = await applyOnPush(world, sha, first.sha);

      expect(run.code).toBe(1);
      expect(run.outputs.result).toBe('failure');
      expect(
        errorAnnotations(run).some((line) => line.includes('title=push.manifest-not-added')),
        run.stdout,
      ).toBe(true);
      expect(world.sideEffects()).toBe(effects);
    },
  );
});

describe('a merged handover without the incoming admin acknowledging its final commit', () => {
  const id = '2026-11-27-alice-to-bob';
  const path = manifestPath(id);
  const cases: Array<{ name: string; review: (w: ActionWorld, number: number) => void; hint: string }> = [
    { name: 'no approval at all', review: () => {}, hint: 'bob (bob-nv) must approve commit' },
    {
      name: 'an approval of an earlier commit (a push after the approval)',
      review: (w, number) => {
        w.approve(number);
        w.sandbox.emulators.github.pushCommit(number);
      },
      hint: 'an earlier commit',
    },
    {
      name: 'an approval by another admin than the incoming one',
      review: (w, number) => w.approve(number, DANA.github),
      hint: 'approval by dana-nv does not count',
    },
  ];

  for (const { name, review, hint } of cases) {
    it(`is refused and recorded as refused on the pull request: ${name}`, async () => {
      world = await createActionWorld(bundle());
      const before = world.repo.head();
      const number = world.openPullRequest({ files: [{ filename: path, status: 'added' }] });
      review(world, number);
      const sha = world.merge(number, { [path]: manifestYaml({ id }) });

      const run = await applyOnPush(world, sha, before);

      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ result: 'failure', journal: '' });
      expect(world.sideEffects()).toBe(0);
      const comment = journalComment(world, number, path) ?? '';
      expect(comment).toContain('"outcome":"refused"');
      expect(comment).toContain('ack.approval-missing');
      expect(run.summary).toContain(hint.replace(/[()]/g, (c) => `\\${c}`));

      // A refusal is final: a later run leaves it alone and still does nothing; a re-run of this push stays red.
      const again = await applyOnPush(world, sha, before);
      expect(again.outputs.result).toBe('failure');
      expect(again.summary).toContain('refused earlier');
      expect(world.sideEffects()).toBe(0);
    });
  }

  it('is refused when the incoming admin pushed the commit they approved (who acknowledged is not who pushed)', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const number = world.openPullRequest({ files: [{ filename: path, status: 'added' }] });
    // bob "fixes" alice's manifest on her branch, then approves his own commit.
    world.sandbox.emulators.github.pushCommit(number, { pushedBy: BOB.github });
    world.approve(number);
    const sha = world.merge(number, { [path]: manifestYaml({ id }) });

    const run = await applyOnPush(world, sha, before);

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failure');
    expect(world.sideEffects()).toBe(0);
    expect(journalComment(world, number, path) ?? '').toContain('ack.approver-pushed');
    expect(run.summary).toContain('pushed commit');
  });
});
