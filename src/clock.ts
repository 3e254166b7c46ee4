/**
 * The one place handover reads the clock. Time is an input: every code path that needs "now" takes a
 * `Clock` (the CLI's `--now`, the action's run, a test's fixed instant), and only `systemClock` reads the
 * machine's calendar. Intervals (pacing, deadlines, timeouts) are a different thing: they measure elapsed
 * time with a monotonic counter (`monotonicMs`), which no `--now` may freeze.
 */

/** Returns the current instant. */
export type Clock = () => Date;

/** The machine's calendar: the default when nobody pins "now". */
export const systemClock: Clock = () => new Date();

/** A clock that always says `at`: `--now`, rehearsals, tests. */
export function fixedClock(at: Date): Clock {
  const ms = at.getTime();
  return () => new Date(ms);
}

/** Milliseconds on a monotonic counter, for measuring intervals only (never a date). */
export function monotonicMs(): number {
  return performance.now();
}

/** `2026-11-26T16:00:00Z`-style ISO 8601 instants: date, `T`, hours and minutes at least. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Parses an ISO 8601 instant, or returns null when `text` is not one. */
export function parseInstant(text: string): Date | null {
  if (!ISO_INSTANT.test(text)) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
