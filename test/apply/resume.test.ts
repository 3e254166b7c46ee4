import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS } from '../../src/runbook/runtime/context.js';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import {
  arrangeSmallWorld,
  CHANNEL,
  createWorld,
  effects,
  endState,
  fastRetry,
  postsOf,
  smallManifest,
  type World,
} from './world.js';

async function smallWorld(): Promise<World> {
  return createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
}

/** The duplicates a broken resume would leave behind, counted directly. */
function assertNothingDuplicated(world: World): void {
  const { pagerduty, platform } = world.sandbox.emulators;
  const id = world.manifest.id;
  for (const incident of world.manifest.incidents) {
    const notes = pagerduty.notes(incident.id).map((n) => n.content.split('\n').at(-1));
    expect(notes.filter((l) => l === `handover ${id} · status`)).toHaveLength(1);
    expect(notes.filter((l) => l === `handover ${id} · ack`)).toHaveLength(1);
  }
  expect(pagerduty.overrides(SEED_IDS.pagerdutyScheduleId)).toHaveLength(1);
  expect(postsOf(world.sandbox, SLACK_EVENTS.summary)).toHaveLength(1);
  expect(postsOf(world.sandbox, SLACK_EVENTS.details)).toHaveLength(1);
  for (const rollout of world.manifest.rollouts) {
    const byAlice = platform
      .rollout(rollout.flag)!
      .annotations.filter((a) => a.nextStep === rollout.nextStep);
    expect(byAlice).toHaveLength(1);
  }
  for (const ticket of world.manifest.tickets) {
    const live = platform.ticket(ticket.id)!;
    expect(new Set(live.links.map((l) => l.url)).size).toBe(live.links.length);
    expect(new Set(live.labels).size).toBe(live.labels.length);
  }
  expect(world.sandbox.emulators.slack.messages(CHANNEL).filter((m) => m.metadata !== null)).toHaveLength(2);
}

describe('a re-run after a failure at any mutation converges and repeats nothing', () => {
  let clean: { state: ReturnType<typeof endState>; mutations: number } | undefined;

  async function cleanRun() {
    if (clean) return clean;
    const world = await smallWorld();
    try {
      const result = await world.apply();
      expect(result.exitCode).toBe(0);
      assertNothingDuplicated(world);
      clean = { state: endState(world.sandbox), mutations: effects(world.sandbox).length };
      return clean;
    } finally {
      await world.close();
    }
  }

  for (const mode of ['before', 'after'] as const) {
    it(`fails mutation N ${mode} it takes effect, for every N of a clean run`, async () => {
      const reference = await cleanRun();
      expect(reference.mutations).toBeGreaterThanOrEqual(15);
      for (let nth = 1; nth <= reference.mutations; nth += 1) {
        const world = await smallWorld();
        try {
          world.sandbox.faults.set({ failMutation: { nth, mode } });
          // One attempt per call: the injected 500 must surface as a failed run, as a crash would.
          const broken = await world.apply({ retry: fastRetry({ maxAttempts: 1 }) });
          const failedRequest = world.sandbox.requests.find((r) => r.fault === `fail-${mode}`);
          expect(failedRequest, `mutation ${nth} (${mode}) was reached`).toBeDefined();
          if (mode === 'before') expect(broken.exitCode, `mutation ${nth} (before)`).toBe(1);
          else expect([0, 1], `mutation ${nth} (after)`).toContain(broken.exitCode);
          if (broken.exitCode === 1) {
            const failed = broken.journal!.actions.filter((a) => a.outcome === 'failed');
            expect(failed.length, `mutation ${nth} (${mode})`).toBeGreaterThan(0);
            // A 500 that would not clear is an error (a service broke), not the user's failure.
            expect(
              failed.some((a) => a.failure === 'error'),
              `mutation ${nth} (${mode})`,
            ).toBe(true);
          }

          world.sandbox.faults.set({});
          const resumed = await world.apply();
          expect(resumed.exitCode, `re-run after mutation ${nth} (${mode})`).toBe(0);
          expect(endState(world.sandbox), `end state after mutation ${nth} (${mode})`).toEqual(
            reference.state,
          );
          expect(effects(world.sandbox).length, `side effects after mutation ${nth} (${mode})`).toBe(
            reference.mutations,
          );
          assertNothingDuplicated(world);
        } finally {
          await world.close();
        }
      }
    }, 120_000);
  }

  it('recovers within the run when a write lands but its answer is lost', async () => {
    const reference = await cleanRun();
    for (const nth of [1, 2, 5, 9, 14]) {
      const world = await smallWorld();
      try {
        world.sandbox.faults.set({ failMutation: { nth, mode: 'after' } });
        const result = await world.apply();
        expect(result.exitCode, `mutation ${nth}`).toBe(0);
        expect(endState(world.sandbox)).toEqual(reference.state);
        // A state-setting write (reassign, label set) may be sent twice; nothing may be added twice.
        assertNothingDuplicated(world);
      } finally {
        await world.close();
      }
    }
  });
});
