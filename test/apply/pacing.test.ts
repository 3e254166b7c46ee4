import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../src/runbook/runtime/concurrency.js';
import { SlidingWindowLimiter } from '../../src/runbook/runtime/pacing.js';

/** A clock that only moves when the limiter sleeps: no wall-clock time passes in these tests. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('pacing PagerDuty calls under its rate limit', () => {
  it('lets a small run through without waiting', async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter({ requests: 5, windowMs: 1000 }, time.clock, time.sleep);
    for (let i = 0; i < 5; i += 1) await limiter.take();
    expect(time.waits).toEqual([]);
  });

  it('never lets more than the limit through in any window', async () => {
    const time = fakeTime();
    const limiter = new SlidingWindowLimiter({ requests: 3, windowMs: 1000 }, time.clock, time.sleep);
    const sentAt: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      await limiter.take();
      sentAt.push(time.clock());
      time.advance(100);
    }
    for (const start of sentAt) {
      expect(sentAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(3);
    }
    expect(time.waits.length).toBeGreaterThan(0);
  });
});

describe('running items side by side', () => {
  it('keeps at most the bound in flight and returns results in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      for (let i = 0; i < n; i += 1) await Promise.resolve();
      inFlight -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('finishes the other items when one throws, then reports the error', async () => {
    const done: number[] = [];
    await expect(
      mapConcurrent([1, 2, 3], 3, async (n) => {
        if (n === 2) throw new Error('item 2 broke');
        done.push(n);
      }),
    ).rejects.toThrow('item 2 broke');
    expect(done.sort()).toEqual([1, 3]);
  });
});
