/**
 * Idempotency against a world that others change: apply's read-before-write must recognise its own
 * traces and only its own, and judge what is in force rather than what merely exists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createProviders } from '../../src/providers/index.js';
import { noteMarker } from '../../src/runbook/runtime/context.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { createWorld, endState, fullManifest, mutations, type World } from './world.js';

const { alice, bob, dana } = SEED_ADMINS;
const SCHEDULE = SEED_IDS.pagerdutyScheduleId;
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A second run changes nothing and finds every action of steps 1–5 already done. */
async function expectSecondRunRepeatsNothing(w: World): Promise<void> {
  const before = endState(w.sandbox);
  const count = mutations(w.sandbox).length;
  const second = await w.apply();
  expect(second.exitCode).toBe(0);
  expect(mutations(w.sandbox)).toHaveLength(count);
  expect(endState(w.sandbox)).toEqual(before);
  const steps = second.journal!.actions.filter((a) => !['preflight', 'verify'].includes(a.step));
  expect(steps.every((a) => a.outcome === 'already-done')).toBe(true);
}

describe('a note that ends with the marker but was written by someone else', () => {
  it('does not stand in for the status paragraph or the acknowledgement', async () => {
    const manifest = fullManifest();
    const incident = SEED_INCIDENTS.euApiLatency;
    const status = noteMarker(manifest.id, 'status');
    const ack = noteMarker(manifest.id, 'ack');
    world = await createWorld({
      manifest,
      arrange: (sandbox) => {
        // bob pastes a draft ending in the status marker; alice types the acknowledgement line herself.
        sandbox.emulators.pagerduty.addNote(incident, bob.pagerduty, `my notes so far\n${status}`);
        sandbox.emulators.pagerduty.addNote(incident, alice.pagerduty, `Acknowledged by bob.\n${ack}`);
      },
    });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const actions = result.journal!.actions.filter((a) => a.target === `incident "${incident}"`);
    expect(actions.map((a) => [a.action, a.outcome])).toEqual([
      ['post status note', 'done'],
      ['reassign', 'done'],
      ['acknowledge', 'done'],
      ['post acknowledgement note', 'done'],
    ]);
    const marked = world.sandbox.emulators.pagerduty
      .notes(incident)
      .map((n) => [n.userId, n.content.split('\n').at(-1)]);
    // The two impostors stay; ours are written by the admins the runbook names.
    expect(marked).toEqual(
      expect.arrayContaining([
        [alice.pagerduty, status],
        [bob.pagerduty, ack],
      ]),
    );
    const ours = world.sandbox.emulators.pagerduty
      .notes(incident)
      .filter((n) => n.content.includes('Hypothesis:') || n.content.includes('via approval of PR'));
    expect(ours.map((n) => n.userId)).toEqual([alice.pagerduty, bob.pagerduty]);

    await expectSecondRunRepeatsNothing(world);
  });
});

describe('an override of the incoming admin that a newer override overlaps', () => {
  it('is not taken for done while someone else is on call inside the window', async () => {
    world = await createWorld({ manifest: fullManifest() });
    // Before the handover, bob had been put on call for the afternoon, and later dana took 16:30–17:00
    // (in PagerDuty the newest override wins), both through the real client.
    const { pagerduty } = createProviders(world.env, world.config, { need: ['pagerduty'] });
    await pagerduty.createOverride(SCHEDULE, {
      start: '2026-11-26T12:00:00Z',
      end: '2026-11-26T20:00:00Z',
      userId: bob.pagerduty,
    });
    await pagerduty.createOverride(SCHEDULE, {
      start: '2026-11-26T16:30:00Z',
      end: '2026-11-26T17:00:00Z',
      userId: dana.pagerduty,
    });
    const emulator = world.sandbox.emulators.pagerduty;
    expect(emulator.onCallAt(SCHEDULE, '2026-11-26T16:45:00Z')).toBe(dana.pagerduty);

    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(result.journal!.actions.find((a) => a.step === 'freeze')?.outcome).toBe('done');
    for (const at of ['2026-11-26T16:00:00Z', '2026-11-26T16:45:00Z', '2026-11-26T17:59:00Z'])
      expect(emulator.onCallAt(SCHEDULE, at), at).toBe(bob.pagerduty);
    expect(emulator.overrides(SCHEDULE)).toHaveLength(3);

    await expectSecondRunRepeatsNothing(world);
  });

  it('is done when the overlapping override is older, with no new override', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const { pagerduty } = createProviders(world.env, world.config, { need: ['pagerduty'] });
    await pagerduty.createOverride(SCHEDULE, {
      start: '2026-11-26T16:30:00Z',
      end: '2026-11-26T17:00:00Z',
      userId: dana.pagerduty,
    });
    await pagerduty.createOverride(SCHEDULE, {
      start: '2026-11-26T12:00:00Z',
      end: '2026-11-26T20:00:00Z',
      userId: bob.pagerduty,
    });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(result.journal!.actions.find((a) => a.step === 'freeze')?.outcome).toBe('already-done');
    expect(world.sandbox.emulators.pagerduty.overrides(SCHEDULE)).toHaveLength(2);
  });
});

describe('work taken back by the outgoing admin between two runs', () => {
  it('is handed over again by the re-run, with nothing added twice', async () => {
    world = await createWorld({ manifest: fullManifest() });
    expect((await world.apply()).exitCode).toBe(0);
    const handedOver = endState(world.sandbox);

    // alice takes an incident and a ticket back (the ticket losing its label on the way).
    const { pagerduty, platform } = world.sandbox.emulators;
    const { pagerduty: client } = createProviders(world.env, world.config, { need: ['pagerduty'] });
    await client.reassignIncident(SEED_INCIDENTS.buildRunnerDisk, alice.pagerduty, alice.email);
    platform.setTicket(PLATFORM_SEED.ticketWaitingOnCustomer, {
      assignee: alice.tracker,
      labels: ['storage'],
    });

    const again = await world.apply();
    expect(again.exitCode).toBe(0);
    const redone = again
      .journal!.actions.filter((a) => a.step !== 'preflight' && a.step !== 'verify' && a.outcome === 'done')
      .map((a) => `${a.target} ${a.action}`);
    // Only what alice undid is done again; every note, label and post is found, not repeated.
    expect(redone.sort()).toEqual(
      [
        `incident "${SEED_INCIDENTS.buildRunnerDisk}" reassign`,
        `incident "${SEED_INCIDENTS.buildRunnerDisk}" acknowledge`,
        `ticket "${PLATFORM_SEED.ticketWaitingOnCustomer}" reassign`,
        `ticket "${PLATFORM_SEED.ticketWaitingOnCustomer}" label`,
      ].sort(),
    );
    expect(pagerduty.incident(SEED_INCIDENTS.buildRunnerDisk)?.status).toBe('acknowledged');
    expect(endState(world.sandbox)).toEqual(handedOver);
  });
});
