import type { RetryPolicy } from '../../src/providers/types.js';

/**
 * A retry policy that never waits: it records each delay it would have slept. Given a clock (the one a
 * clocked sandbox reads), each sleep also moves it, so a server-side rate-limit window expires exactly
 * as it would in real time, without waiting.
 */
export function recordingRetry(
  overrides: Partial<RetryPolicy> = {},
  clock?: { now: Date },
): { policy: RetryPolicy; sleeps: number[] } {
  const sleeps: number[] = [];
  const policy: RetryPolicy = {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (clock) clock.now = new Date(clock.now.getTime() + ms);
    },
    random: () => 0,
    ...overrides,
  };
  return { policy, sleeps };
}
