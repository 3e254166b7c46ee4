import { describe, expect, it } from 'vitest';
import type { FaultSettings } from '../../src/sandbox/types.js';
import { arrangeSmallWorld, createWorld, endState, fastRetry, smallManifest } from './world.js';

async function run(faults: FaultSettings, maxAttempts = 6) {
  const world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
  try {
    world.sandbox.faults.set(faults);
    const retry = fastRetry({ maxAttempts });
    const result = await world.apply({ retry });
    const effects = world.sandbox.requests.filter(
      (r) => r.mutation && (r.fault === 'none' || r.fault === 'fail-after'),
    ).length;
    const injected = world.sandbox.requests.filter((r) => r.fault !== 'none').length;
    return { result, state: endState(world.sandbox), effects, injected, delays: retry.delays };
  } finally {
    await world.close();
  }
}

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
    const stormy = await run(faults, 10);
    expect(stormy.injected).toBeGreaterThan(5);
    expect(stormy.result.exitCode).toBe(0);
    expect(stormy.state).toEqual(clean.state);
    expect(stormy.effects).toBe(clean.effects);
    expect(stormy.delays.length).toBeGreaterThan(0);
    // The fake sleep recorded the waits; the test itself did not wait them out.
    expect(Date.now() - started).toBeLessThan(stormy.delays.reduce((a, b) => a + b, 0) + 5_000);
  });

  it('honours Retry-After on a 429', async () => {
    const stormy = await run({ platform: { rateLimitNext: 1 } });
    expect(stormy.result.exitCode).toBe(0);
    expect(Math.max(...stormy.delays)).toBeGreaterThanOrEqual(1000);
  });

  it('fails with an error, not a failure, when a 5xx will not clear', async () => {
    const broken = await run({ platform: { serverErrorNext: 1000 } }, 3);
    expect(broken.result.exitCode).toBe(1);
    const failed = broken.result.journal!.actions.filter((a) => a.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((a) => a.failure === 'error')).toBe(true);
    expect(failed.some((a) => a.detail.includes('(server 500)') || a.detail.includes('server'))).toBe(true);
  });
});
