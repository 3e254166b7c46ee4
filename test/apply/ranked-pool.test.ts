import { describe, expect, it } from 'vitest';
import { RankedPool } from '../../src/runbook/runtime/concurrency.js';
import { batchesOf } from '../../src/runbook/steps/incidents.js';

/** A task that settles only when the test says so: the order tasks start in is the observable. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function settle() {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

describe('RankedPool', () => {
  it('keeps at most `limit` tasks in flight and starts a lower rank before any higher rank waiting', async () => {
    const pool = new RankedPool(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const task = (name: string) => () => {
      started.push(name);
      const g = gate();
      gates.set(name, g);
      return g.opened;
    };
    const all = [
      pool.run(0, task('s1')),
      pool.run(0, task('s2')),
      pool.run(0, task('s3')),
      pool.run(1, task('a1')),
      pool.run(0, task('s4')),
    ];
    await settle();
    expect(started).toEqual(['s1', 's2']);
    gates.get('s1')!.open();
    await settle();
    expect(started).toEqual(['s1', 's2', 's3']);
    // a1 was queued before s4, but s4 is of the lower rank: it goes first.
    gates.get('s2')!.open();
    await settle();
    expect(started).toEqual(['s1', 's2', 's3', 's4']);
    gates.get('s3')!.open();
    await settle();
    expect(started).toEqual(['s1', 's2', 's3', 's4', 'a1']);
    gates.get('s4')!.open();
    gates.get('a1')!.open();
    await Promise.all(all);
  });

  it('map: results in input order, and one error only after every task has settled', async () => {
    const pool = new RankedPool(3);
    expect(await pool.map([3, 1, 2], 0, async (n) => n * 10)).toEqual([30, 10, 20]);
    const finished: number[] = [];
    await expect(
      pool.map([1, 2, 3], 0, async (n) => {
        await settle();
        finished.push(n);
        if (n === 1) throw new Error('one failed');
        return n;
      }),
    ).rejects.toThrow('one failed');
    expect(finished.sort()).toEqual([1, 2, 3]);
  });

  it('a task that throws before its first await rejects its own promise and frees its slot', async () => {
    const pool = new RankedPool(1);
    const thrown = pool.run(0, () => {
      throw new Error('at once');
    });
    await expect(thrown).rejects.toThrow('at once');
    expect(await pool.run(0, async () => 'next')).toBe('next');
  });
});

describe('batchesOf (step 2)', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
  it('one batch while the notes of a batch take no more than two rounds in flight', () => {
    expect(batchesOf(ids(32), 16)).toEqual([ids(32)]);
    expect(batchesOf(ids(1), 16)).toEqual([[0]]);
    expect(batchesOf([], 16)).toEqual([]);
  });
  it('two equal batches above that, so one batch is updated while the other is annotated', () => {
    const batches = batchesOf(ids(33), 16);
    expect(batches.map((b) => b.length)).toEqual([17, 16]);
    expect(batches.flat()).toEqual(ids(33));
    expect(batchesOf(ids(200), 16).map((b) => b.length)).toEqual([100, 100]);
  });
  it('as few batches as PUT /incidents allows (250 each) for more, of equal size, in order', () => {
    expect(batchesOf(ids(251), 16).map((b) => b.length)).toEqual([126, 125]);
    expect(batchesOf(ids(2000), 16).map((b) => b.length)).toEqual(Array(8).fill(250));
    expect(batchesOf(ids(2001), 16).map((b) => b.length)).toEqual([...Array(8).fill(223), 217]);
    expect(batchesOf(ids(2001), 16).flat()).toEqual(ids(2001));
  });
});
