/**
 * Step 2 in more than one batch (batchesOf): each batch's bulk reassignment and acknowledgement go
 * while the next batch's notes are written. The runbook's order per incident, the batches' bounds and
 * the convergence of a re-run after a failure at any mutation must hold exactly as with one batch.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import {
  arrangeSmallWorld,
  createWorld,
  effects,
  endState,
  fastRetry,
  type ManifestInput,
  smallManifest,
  status,
  type World,
} from './world.js';

const EXTRA = 8;
/** Two notes in flight: ten incidents are more than two rounds of them, so step 2 runs two batches of five. */
const CONCURRENCY = { items: 2 };

function manifest(): ManifestInput {
  const small = smallManifest();
  const extra = Array.from({ length: EXTRA }, (_, i) => ({
    id: `QBATCH${String(i).padStart(4, '0')}`,
    status: status(`batch ${i}`),
  }));
  return { ...small, incidents: [...small.incidents, ...extra] };
}

function arrange(sandbox: Sandbox): void {
  arrangeSmallWorld(sandbox);
  for (let i = 0; i < EXTRA; i += 1)
    sandbox.emulators.pagerduty.addIncident({
      id: `QBATCH${String(i).padStart(4, '0')}`,
      title: `Batch incident ${i}`,
      assigneeIds: [SEED_ADMINS.alice.pagerduty],
      status: i % 2 === 0 ? 'triggered' : 'acknowledged',
    });
}

const bigWorld = (): Promise<World> => createWorld({ manifest: manifest(), arrange });

/** The PagerDuty writes of step 2 the sandbox applied, in the order it answered them. */
function stepTwoWrites(world: World) {
  return world.sandbox.requests
    .filter((r) => r.service === 'pagerduty' && r.mutation && r.fault === 'none')
    .filter((r) => r.path === '/incidents' || r.path.endsWith('/notes'))
    .map((r) => {
      if (r.path !== '/incidents') {
        const id = r.path.split('/')[2]!;
        const content = String((r.body as { note: { content: string } }).note.content);
        return { kind: content.endsWith('· status') ? 'status' : 'ack', ids: [id] };
      }
      const incidents = (r.body as { incidents: Array<{ id: string; status?: string }> }).incidents;
      return { kind: incidents[0]?.status ? 'acknowledge' : 'reassign', ids: incidents.map((i) => i.id) };
    });
}

describe('step 2 in two batches', () => {
  it('hands over each batch in one reassignment and one acknowledgement, in runbook order per incident', async () => {
    const world = await bigWorld();
    try {
      const result = await world.apply({ concurrency: CONCURRENCY });
      expect(result.exitCode).toBe(0);
      const ids = world.manifest.incidents.map((i) => i.id);
      const writes = stepTwoWrites(world);
      const bulk = writes.filter((w) => w.kind === 'reassign' || w.kind === 'acknowledge');
      expect(bulk.map((w) => [w.kind, w.ids])).toEqual(
        expect.arrayContaining([
          ['reassign', ids.slice(0, 5)],
          ['acknowledge', ids.slice(0, 5)],
          ['reassign', ids.slice(5)],
          ['acknowledge', ids.slice(5)],
        ]),
      );
      expect(bulk).toHaveLength(4);
      for (const id of ids) {
        const order = ['status', 'reassign', 'acknowledge', 'ack'].map((kind) =>
          writes.findIndex((w) => w.kind === kind && w.ids.includes(id)),
        );
        expect(
          order.every((at) => at >= 0),
          id,
        ).toBe(true);
        expect(
          [...order].sort((a, b) => a - b),
          id,
        ).toEqual(order);
      }
      // Every status note comes before any acknowledgement note (the pool serves status notes first).
      const lastStatus = writes.map((w) => w.kind).lastIndexOf('status');
      const firstAck = writes.findIndex((w) => w.kind === 'ack');
      expect(lastStatus).toBeLessThan(firstAck);
    } finally {
      await world.close();
    }
  });

  it('converges with zero duplicates after a failure at any mutation, lost answers included', async () => {
    const reference = await (async () => {
      const world = await bigWorld();
      try {
        expect((await world.apply({ concurrency: CONCURRENCY })).exitCode).toBe(0);
        return { state: endState(world.sandbox), mutations: effects(world.sandbox).length };
      } finally {
        await world.close();
      }
    })();
    expect(reference.mutations).toBeGreaterThan(30);
    // Every mutation with its answer lost; every third one refused before it lands.
    const points: Array<{ nth: number; mode: 'before' | 'after' }> = [];
    for (let nth = 1; nth <= reference.mutations; nth += 1) {
      points.push({ nth, mode: 'after' });
      if (nth % 3 === 1) points.push({ nth, mode: 'before' });
    }
    for (const point of points) {
      const label = `mutation ${point.nth} (${point.mode})`;
      const world = await bigWorld();
      try {
        world.sandbox.faults.set({ failMutation: point });
        await world.apply({ concurrency: CONCURRENCY, retry: fastRetry({ maxAttempts: 1 }) });
        expect(
          world.sandbox.requests.some((r) => r.fault === `fail-${point.mode}`),
          label,
        ).toBe(true);
        world.sandbox.faults.set({});
        const resumed = await world.apply({ concurrency: CONCURRENCY });
        expect(resumed.exitCode, label).toBe(0);
        expect(endState(world.sandbox), label).toEqual(reference.state);
        expect(effects(world.sandbox).length, label).toBe(reference.mutations);
      } finally {
        await world.close();
      }
    }
  }, 180_000);
});
