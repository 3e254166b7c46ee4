import type { PdOnCall, PdOverride } from '../providers/types.js';

interface Interval {
  start: number;
  end: number;
}

/** Whether the union of `intervals` covers [start, end) without a gap. Pure. */
export function intervalsCover(intervals: readonly Interval[], start: number, end: number): boolean {
  let coveredUntil = start;
  for (const interval of [...intervals].sort((a, b) => a.start - b.start)) {
    if (interval.start > coveredUntil) return false;
    coveredUntil = Math.max(coveredUntil, interval.end);
    if (coveredUntil >= end) return true;
  }
  return coveredUntil >= end;
}

/** A PagerDuty on-call entry as an interval; null start or end means "permanently" on that side. */
function onCallInterval(entry: PdOnCall): Interval {
  return {
    start: entry.start === null ? Number.NEGATIVE_INFINITY : Date.parse(entry.start),
    end: entry.end === null ? Number.POSITIVE_INFINITY : Date.parse(entry.end),
  };
}

/** Whether the schedule's own rotation already puts `userId` on call for the whole window. */
export function rotationCovers(
  onCalls: readonly PdOnCall[],
  userId: string,
  start: Date,
  end: Date,
): boolean {
  const intervals = onCalls.filter((entry) => entry.userId === userId).map(onCallInterval);
  return intervalsCover(intervals, start.getTime(), end.getTime());
}

/** An existing override that already makes `userId` primary for the whole window (a re-run, or done by hand). */
export function overrideCovering(
  overrides: readonly PdOverride[],
  userId: string,
  start: Date,
  end: Date,
): PdOverride | undefined {
  return overrides.find(
    (override) =>
      override.userId === userId &&
      Date.parse(override.start) <= start.getTime() &&
      Date.parse(override.end) >= end.getTime(),
  );
}
