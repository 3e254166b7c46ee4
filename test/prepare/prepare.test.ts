import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { PREPARE_EVENTS } from '../../src/prepare/run.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { captureIO } from '../support/cli-io.js';
import { at, CHANGE, HOUR, type PrepareWorld, startPrepareWorld } from './world.js';

let world: PrepareWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MINUTE = 60 * 1000;

function posts(w: PrepareWorld, eventType: string) {
  return w.sandbox.emulators.slack
    .messages(SEED_IDS.slackChannel)
    .filter((m) => m.metadata?.event_type === eventType);
}

function mutationCount(w: PrepareWorld): number {
  return w.sandbox.requests.filter((r) => r.method !== 'GET' && r.status < 400).length;
}

describe('handover prepare opens the handover of the next shift change', () => {
  it('a change 3 h ahead → exactly one pre-filled pull request over five runs, one announcement', async () => {
    world = await startPrepareWorld();
    const first = await world.prepare(at(-3 * HOUR));
    expect(first.failed).toBe(false);
    expect(first.headline).toContain('alice → bob at 2026-11-30 16:00 UTC');
    const pulls = world.pulls();
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.author).toBe('github-actions[bot]');
    expect(pull.assignees).toEqual([SEED_ADMINS.alice.github]);
    expect(pull.requestedReviewers).toEqual([SEED_ADMINS.bob.github]);
    expect(pull.files.map((f) => [f.filename, f.status])).toEqual([
      ['handovers/2026/2026-11-30-alice-to-bob.yaml', 'added'],
    ]);
    const announce = posts(world, PREPARE_EVENTS.announce);
    expect(announce).toHaveLength(1);
    expect(announce[0]!.text).toContain(`<@${SEED_ADMINS.alice.slack}>`);
    expect(announce[0]!.text).toContain(`pull request #${pull.number}`);

    const before = mutationCount(world);
    for (const minutes of [10, 20, 30, 40]) {
      const again = await world.prepare(at(-3 * HOUR + minutes * MINUTE));
      expect(again.failed).toBe(false);
      expect(again.actions.filter((a) => a.outcome === 'done')).toEqual([]);
    }
    expect(mutationCount(world)).toBe(before);
    expect(world.pulls()).toHaveLength(1);
    expect(posts(world, PREPARE_EVENTS.announce)).toHaveLength(1);
  });

  it('drafts the manifest init would: validate rejects it only for the placeholders an admin must write', async () => {
    world = await startPrepareWorld();
    await world.prepare(at(-3 * HOUR));
    const pull = world.pulls()[0]!;
    const path = pull.files[0]!.filename;
    const yaml = world.sandbox.emulators.github.fileAt(pull.headRef, path);
    expect(yaml).toContain('Written by handover prepare');
    expect(yaml).toContain('variant: weekly-rotation');
    expect(yaml).toContain('start: 2026-11-30T16:00:00Z');
    world.write(path, yaml!);
    // A folder is history to validate (no window.past), so this holds whatever today's date is.
    const out = await runValidate(world.root);
    const errors = out.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(`${error.rule}: ${error.message}`).toMatch(/TODO|placeholder/i);
  });

  it('with nothing due, says when the next change is', async () => {
    world = await startPrepareWorld();
    const run = await world.cli(at(-3 * 24 * HOUR));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'nothing due within 4 h 0 min: the next shift change is alice → bob at 2026-11-30 16:00 UTC (in 3 d 0 h)',
    );
    expect(world.pulls()).toHaveLength(0);
  });

  it('the schedule changes (someone else takes the next shift) → the pull request is updated with a comment saying why', async () => {
    world = await startPrepareWorld();
    await world.prepare(at(-3 * HOUR));
    const number = world.pulls()[0]!.number;
    // dana swaps in for bob's week: an override on the schedule.
    await world.addOverride(CHANGE, at(7 * 24 * HOUR), SEED_ADMINS.dana.pagerduty);
    const run = await world.prepare(at(-2 * HOUR));
    expect(run.failed).toBe(false);
    const pulls = world.pulls();
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.number).toBe(number);
    expect(pull.state).toBe('open');
    expect(pull.title).toContain('alice → dana');
    expect(pull.requestedReviewers).toContain(SEED_ADMINS.dana.github);
    expect(pull.files.map((f) => f.filename)).toEqual(['handovers/2026/2026-11-30-alice-to-dana.yaml']);
    const comments = world.sandbox.emulators.github.comments(number).map((c) => c.body);
    expect(comments.some((c) => c.includes('updated this pull request') && c.includes('dana'))).toBe(true);

    const before = mutationCount(world);
    await world.prepare(at(-2 * HOUR + 5 * MINUTE));
    expect(mutationCount(world)).toBe(before);
  });

  it('the change disappears (the outgoing admin keeps the next week) → the pull request is closed, saying why', async () => {
    world = await startPrepareWorld();
    await world.prepare(at(-3 * HOUR));
    await world.addOverride(at(-HOUR), at(7 * 24 * HOUR), SEED_ADMINS.alice.pagerduty);
    const run = await world.prepare(at(-2 * HOUR));
    expect(run.failed).toBe(false);
    const pull = world.pulls()[0]!;
    expect(pull.state).toBe('closed');
    const comments = world.sandbox.emulators.github.comments(pull.number).map((c) => c.body);
    expect(comments.some((c) => c.includes('closed this pull request') && c.includes('no longer'))).toBe(
      true,
    );
  });
});

describe('the acknowledgement deadline', () => {
  it('no approval → one reminder in the thread, then at the change one escalation: alice kept on call, channel told, bob paged once', async () => {
    world = await startPrepareWorld();
    await world.prepare(at(-3 * HOUR));
    const announce = posts(world, PREPARE_EVENTS.announce)[0]!;
    for (const offset of [-2 * HOUR, -90 * MINUTE]) await world.prepare(at(offset));
    expect(posts(world, PREPARE_EVENTS.reminder)).toHaveLength(0);

    for (const offset of [-HOUR, -50 * MINUTE, -10 * MINUTE]) await world.prepare(at(offset));
    const reminders = posts(world, PREPARE_EVENTS.reminder);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.threadTs).toBe(announce.ts);
    expect(reminders[0]!.text).toContain(`<@${SEED_ADMINS.bob.slack}>`);
    expect(posts(world, PREPARE_EVENTS.escalation)).toHaveLength(0);

    for (const offset of [0, 5 * MINUTE, 30 * MINUTE, 90 * MINUTE]) {
      const run = await world.prepare(at(offset));
      expect(run.failed).toBe(false);
    }
    const escalations = posts(world, PREPARE_EVENTS.escalation);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.text).toContain(`<@${SEED_ADMINS.alice.slack}> you are still on call`);
    expect(escalations[0]!.text).toContain('waits for bob');
    expect(posts(world, PREPARE_EVENTS.reminder)).toHaveLength(1);
    // No override moves duty to bob; alice holds it over the window.
    const pd = world.sandbox.emulators.pagerduty;
    expect(pd.overrides(SEED_IDS.pagerdutyScheduleId).map((o) => [o.userId, o.start, o.end])).toEqual([
      [
        SEED_ADMINS.alice.pagerduty,
        CHANGE.toISOString().replace('.000', ''),
        at(2 * HOUR)
          .toISOString()
          .replace('.000', ''),
      ],
    ]);
    expect(pd.onCallAt(SEED_IDS.pagerdutyScheduleId, at(HOUR))).toBe(SEED_ADMINS.alice.pagerduty);
    const pages = pd.incidents().filter((i) => i.title.includes('waits for your acknowledgement'));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.assignments.map((a) => a.userId)).toEqual([SEED_ADMINS.bob.pagerduty]);
  });

  it('approval in time → no reminder and no escalation', async () => {
    world = await startPrepareWorld();
    await world.prepare(at(-3 * HOUR));
    const pull = world.pulls()[0]!;
    world.sandbox.emulators.github.addReview(pull.number, {
      user: SEED_ADMINS.bob.github,
      state: 'APPROVED',
    });
    for (const offset of [-HOUR, -10 * MINUTE, 0, 30 * MINUTE]) {
      const run = await world.prepare(at(offset));
      expect(run.failed).toBe(false);
      expect(
        run.actions.some((a) => a.action === 'acknowledgement' && a.detail.includes('bob approved')),
      ).toBe(true);
    }
    expect(posts(world, PREPARE_EVENTS.reminder)).toHaveLength(0);
    expect(posts(world, PREPARE_EVENTS.escalation)).toHaveLength(0);
    expect(world.sandbox.emulators.pagerduty.overrides(SEED_IDS.pagerdutyScheduleId)).toEqual([]);
  });

  it('an approval of an earlier commit does not count: bob is reminded', async () => {
    world = await startPrepareWorld();
    await world.prepare(at(-3 * HOUR));
    const pull = world.pulls()[0]!;
    world.sandbox.emulators.github.addReview(pull.number, {
      user: SEED_ADMINS.bob.github,
      state: 'APPROVED',
    });
    world.sandbox.emulators.github.pushCommit(pull.number);
    await world.prepare(at(-HOUR));
    expect(posts(world, PREPARE_EVENTS.reminder)).toHaveLength(1);
  });
});

type ValidateOutput = Array<{ file: string; severity: string; rule: string; message: string }>;

async function runValidate(root: string): Promise<ValidateOutput> {
  const io = captureIO(root, {});
  await main(['validate', '--format', 'json', 'handovers'], io);
  return JSON.parse(io.out) as ValidateOutput;
}
