import { describe, expect, it } from 'vitest';
import { DeadlinePassedError, parseDeadlineSeconds, RunDeadline } from '../../src/core/deadline.js';

/** A monotonic clock the test moves by hand. */
function manualClock() {
  const clock = { ms: 0, now: () => clock.ms };
  return clock;
}

describe("a run's deadline", () => {
  it('lets calls through until it passes, then refuses every new one at once', async () => {
    const clock = manualClock();
    const deadline = new RunDeadline(10, clock.now);
    const service = { read: async (id: string) => `read ${id}`, name: 'pagerduty' };
    const gated = deadline.gate(service);
    expect(await gated.read('a')).toBe('read a');
    expect(gated.name).toBe('pagerduty');
    clock.ms = 10_000;
    expect(deadline.passed()).toBe(true);
    await expect(gated.read('b')).rejects.toBeInstanceOf(DeadlinePassedError);
    await expect(gated.read('b')).rejects.toThrow("the run's deadline (10 s) has passed");
  });

  it('refuses a retry wait that would end past it, and waits one that ends before it', async () => {
    const clock = manualClock();
    const deadline = new RunDeadline(10, clock.now);
    const waited: number[] = [];
    const sleep = deadline.guardSleep(async (ms) => {
      waited.push(ms);
    });
    await sleep(2_000);
    clock.ms = 9_000;
    await expect(sleep(2_000)).rejects.toBeInstanceOf(DeadlinePassedError);
    expect(waited).toEqual([2_000]);
    expect(deadline.remainingMs()).toBe(1_000);
  });

  it.each([
    ['600', 600],
    [' 30 ', 30],
    ['0', null],
    ['-5', null],
    ['1.5', null],
    ['10m', null],
    ['', null],
  ])('parses %j as %j seconds', (text, seconds) => {
    expect(parseDeadlineSeconds(text)).toBe(seconds);
  });
});
