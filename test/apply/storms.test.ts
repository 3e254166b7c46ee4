import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../src/providers/types.js';
import type { FaultSettings } from '../../src/sandbox/types.js';
import { arrangeSmallWorld, createWorld, effects, endState, fastRetry, smallManifest } from './world.js';

async function run(faults: FaultSettings, retryOverrides: Partial<RetryPolicy> = { maxAttempts: 6 }) {
  const world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
  try {
    world.sandbox.faults.set(faults);
    const retry = fastRetry(retryOverrides);
    const result = await world.apply({ retry });
    const injected = world.sandbox.requests.filter((r) => r.fault !== 'none').length;
    return {
      result,
      state: endState(world.sandbox),
      effects: effects(world.sandbox).length,
      injected,
      delays: retry.delays,
    };
  } finally {
    await world.close();
  }
}

/**
 * Backoffs of a minute and more: recorded by the fake sleep, they add up to far longer than any run
 * takes, so a run that waited one of them out on the clock could not finish in less than their sum.
 */
const PATIENT: Partial<RetryPolicy> = { maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 600_000 };

describe('storms of 429s and 5xx complete without duplicates and without waiting on the clock', () => {
  it.each<[string, FaultSettings]>([
    [
      '429 with Retry-After on every service',
      {
        pagerduty: { rateLimitNext: 6 },
        platform: { rateLimitNext: 6 },
        slack: { rateLimitNext: 3 },
        github: { rateLimitNext: 2 },
      },
    ],
    [
      '5xx on every service',
      {
        pagerduty: { serverErrorNext: 4 },
        platform: { serverErrorNext: 4 },
        slack: { serverErrorNext: 2 },
        github: { serverErrorNext: 2 },
      },
    ],
    [
      'one request in five answered 5xx',
      { pagerduty: { errorRate: 0.2 }, platform: { errorRate: 0.2 }, slack: { errorRate: 0.2 }, seed: 7 },
    ],
  ])('%s', async (_name, faults) => {
    const clean = await run({});
    const started = Date.now();
    const stormy = await run(faults, PATIENT);
    expect(stormy.injected).toBeGreaterThan(5);
    expect(stormy.result.exitCode).toBe(0);
    expect(stormy.state).toEqual(clean.state);
    expect(stormy.effects).toBe(clean.effects);
    expect(stormy.delays.length).toBeGreaterThan(0);
    // Every wait went through the injected sleep: the run took less than a single one of them (30 s
    // at least), which it could not have if any had been waited out on the clock.
    expect(Math.min(...stormy.delays)).toBeGreaterThanOrEqual(30_000);
    expect(Date.now() - started).toBeLessThan(Math.min(...stormy.delays));
  });

  it('honours Retry-After on a 429', async () => {
    // The first 429 goes to apply's one read before its first write (src/preflight/reachability.ts),
    // which sends once and takes any answer as "up"; the second to a step, which waits and retries.
    const stormy = await run({ platform: { rateLimitNext: 2 } });
    expect(stormy.result.exitCode).toBe(0);
    expect(Math.max(...stormy.delays)).toBeGreaterThanOrEqual(1000);
  });

  it('fails with an error, not a failure, when a 5xx will not clear', async () => {
    const broken = await run({ platform: { serverErrorNext: 1000 } }, { maxAttempts: 3 });
    expect(broken.result.exitCode).toBe(1);
    const failed = broken.result.journal!.actions.filter((a) => a.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((a) => a.failure === 'error')).toBe(true);
    expect(failed.some((a) => a.detail.includes('(server 500)') || a.detail.includes('server'))).toBe(true);
  });
});
