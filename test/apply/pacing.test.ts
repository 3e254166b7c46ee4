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

/**
 * A clock for many waiters at once: sleeps are timers on a fake timeline, and `run` moves time to the
 * next timer only once every caller is blocked (no wall-clock time passes).
 */
function fakeTimeline({ early = false } = {}) {
  let now = 0;
  // `early`: as Node's timers do (a fractional delay truncated, the start taken from the loop's cached
  // time), a timer fires up to 1.5 ms before the time asked for, by a varying amount (a fixed sequence).
  let seed = 7;
  const earlyBy = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (seed / 2_147_483_648) * 1.5;
  };
  const timers: Array<{ at: number; wake: () => void }> = [];
  const settle = async () => {
    for (let i = 0; i < 50; i += 1) await Promise.resolve();
  };
  return {
    clock: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) =>
        timers.push({ at: early ? now + Math.max(0.5, ms - earlyBy()) : now + ms, wake }),
      ),
    async run<T>(work: Promise<T>): Promise<T> {
      let finished = false;
      const done = work.finally(() => {
        finished = true;
      });
      await settle();
      while (!finished) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) break;
        now = Math.max(now, next.at);
        next.wake();
        await settle();
      }
      return done;
    },
  };
}

describe('pacing PagerDuty calls under its rate limit', () => {
  it('lets a small run through without waiting', async () => {
    const time = fakeTime();
    // PagerDuty's budget as apply paces it: a quarter of it goes without any wait.
    const limiter = new SlidingWindowLimiter({ requests: 900, windowMs: 60_000 }, time.clock, time.sleep);
    for (let i = 0; i < 225; i += 1) await limiter.take();
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

  it('spaces a long run evenly instead of sending a whole window of budget in one burst', async () => {
    const time = fakeTimeline();
    const limiter = new SlidingWindowLimiter({ requests: 80, windowMs: 1000 }, time.clock, time.sleep);
    const sentAt: number[] = [];
    // 400 callers at once, as the notes of a large handover are.
    await time.run(
      Promise.all(
        Array.from({ length: 400 }, async () => {
          await limiter.take();
          sentAt.push(time.clock());
        }),
      ),
    );
    expect(sentAt).toHaveLength(400);
    sentAt.sort((a, b) => a - b);
    // Only about a quarter of a window goes at once; after it one call every 12.5 ms.
    const atOnce = sentAt.filter((t) => t === 0).length;
    expect(atOnce).toBeGreaterThanOrEqual(20);
    expect(atOnce).toBeLessThanOrEqual(21);
    for (const start of sentAt)
      expect(sentAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(80);
    for (const start of sentAt.filter((t) => t > 0))
      expect(sentAt.filter((t) => t >= start && t < start + 250).length).toBeLessThanOrEqual(21);
    // The run takes about its count at the rate: neither stalls nor bursts.
    expect(sentAt.at(-1)!).toBeGreaterThanOrEqual(((400 - 80) / 80) * 1000);
    expect(sentAt.at(-1)!).toBeLessThanOrEqual((400 / 80) * 1000);
  });
});

describe('timers that fire early', () => {
  it('keep a call in its slot: a long run at the full rate loses no slot per window', async () => {
    const time = fakeTimeline({ early: true });
    // The apply bench's pace: 79 a second, one call every 12.66 ms (a delay Node truncates).
    const limit = { requests: 79, windowMs: 1000 };
    const limiter = new SlidingWindowLimiter(limit, time.clock, time.sleep);
    const sentAt: number[] = [];
    // As apply's PagerDuty lane: 16 requests in flight, each answered after 50 ms.
    let left = 420;
    const lane = async () => {
      while (left > 0) {
        left -= 1;
        await limiter.take();
        sentAt.push(time.clock());
        await time.sleep(50);
      }
    };
    await time.run(Promise.all(Array.from({ length: 16 }, lane)));
    sentAt.sort((a, b) => a - b);
    for (let i = 0; i + limit.requests < sentAt.length; i += 1)
      expect(sentAt[i + limit.requests]! - sentAt[i]!).toBeGreaterThanOrEqual(limit.windowMs);
    // Evenly spaced from the first call, about a millisecond of slack per window. A call that
    // woke early and queued again behind every reserved slot left its own unused: about one gap
    // (12.7 ms) more each window, 60 ms over this run.
    const fullRate = ((420 - 1) * limit.windowMs) / limit.requests;
    expect(sentAt.at(-1)!).toBeLessThanOrEqual(fullRate + 6);
  });
});

describe('a run longer than the window', () => {
  it('repays its first burst while it is in the window instead of stalling once the window fills', async () => {
    const time = fakeTimeline();
    // PagerDuty's limit as apply paces it, and more calls than one minute allows.
    const limit = { requests: 950, windowMs: 60_000 };
    const limiter = new SlidingWindowLimiter(limit, time.clock, time.sleep);
    const sentAt: number[] = [];
    await time.run(
      Promise.all(
        Array.from({ length: 1500 }, async () => {
          await limiter.take();
          sentAt.push(time.clock());
        }),
      ),
    );
    sentAt.sort((a, b) => a - b);
    let longestPause = 0;
    for (let i = 1; i < sentAt.length; i += 1)
      longestPause = Math.max(longestPause, sentAt[i]! - sentAt[i - 1]!);
    // While the burst of 237 is in the window, one call every 60 s / 713 = 84 ms; after it, every 63 ms.
    // A window filled by the burst and full-rate spacing would hold every call for 15 s at 45 s.
    expect(longestPause).toBeLessThan(85);
    for (let i = 0; i < sentAt.length; i += 25)
      expect(
        sentAt.filter((t) => t >= sentAt[i]! && t < sentAt[i]! + limit.windowMs).length,
      ).toBeLessThanOrEqual(limit.requests);
    // No slower than the limit allows: the calls past the first window's 950 go at its rate.
    expect(sentAt.at(-1)!).toBeLessThanOrEqual(
      limit.windowMs + ((1500 - 950) * limit.windowMs) / limit.requests,
    );
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
