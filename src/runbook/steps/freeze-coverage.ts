import type { PdOnCall, PdOverride } from '../../providers/types.js';

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

interface Window {
  start: Date;
  end: Date;
}

function overlaps(override: PdOverride, window: Window): boolean {
  return (
    Date.parse(override.start) < window.end.getTime() && Date.parse(override.end) > window.start.getTime()
  );
}

/** What plan knows and apply reads before deciding step 1 (the freeze). */
export interface FreezeInputs {
  variant: string;
  /** The incoming admin's PagerDuty user id. */
  incoming: string;
  window: Window;
  /** The schedule's overrides over the window. */
  overrides: readonly PdOverride[];
  /**
   * The final schedule over the window (the on-call API: the rotation with every override laid on top).
   * Undefined when not read yet: apply reads it only when the decision asks for it.
   */
  onCalls?: readonly PdOnCall[];
}

/**
 * Step 1's decision, shared by plan (which says what apply will do) and apply (which does it), so the
 * two can never disagree:
 * - `needs-on-calls`: the answer depends on the final schedule; read it and ask again.
 * - `override-stands`: an override already makes the incoming admin primary for the whole window.
 * - `rotation-covers`: weekly rotation, and the schedule already puts the incoming admin on call.
 * - `create`: a new override is needed; `superseded` is the incoming admin's covering override that a
 *   newer override of someone else overtakes, `rotationGap` says the weekly rotation does not cover.
 */
export type FreezeDecision =
  | { kind: 'needs-on-calls' }
  | { kind: 'override-stands'; override: PdOverride }
  | { kind: 'rotation-covers' }
  | { kind: 'create'; superseded: PdOverride | null; rotationGap: boolean };

/** The decision once the final schedule is known: what plan always has, and apply has after one read. */
export type SettledFreezeDecision = Exclude<FreezeDecision, { kind: 'needs-on-calls' }>;

/**
 * Decides step 1. Pure. An override of the incoming admin that covers the window stands unless another
 * admin's override overlaps it: PagerDuty lets the newest override win where two overlap, and its list
 * does not say which is newer, so only then is the final schedule consulted. When that lists nobody at
 * all for the schedule (no escalation policy pages it), it cannot tell, and the covering override stands.
 */
export function decideFreeze(inputs: FreezeInputs & { onCalls: readonly PdOnCall[] }): SettledFreezeDecision;
export function decideFreeze(inputs: FreezeInputs): FreezeDecision;
export function decideFreeze(inputs: FreezeInputs): FreezeDecision {
  const { incoming, window, overrides, onCalls } = inputs;
  const finalCovers = (entries: readonly PdOnCall[]) =>
    rotationCovers(entries, incoming, window.start, window.end);

  const existing = overrideCovering(overrides, incoming, window.start, window.end) ?? null;
  if (existing) {
    const contested = overrides.some((o) => o.userId !== incoming && overlaps(o, window));
    if (!contested) return { kind: 'override-stands', override: existing };
    if (onCalls === undefined) return { kind: 'needs-on-calls' };
    if (onCalls.length === 0 || finalCovers(onCalls)) return { kind: 'override-stands', override: existing };
  }
  if (inputs.variant === 'weekly-rotation') {
    if (onCalls === undefined) return { kind: 'needs-on-calls' };
    if (finalCovers(onCalls)) return { kind: 'rotation-covers' };
    return { kind: 'create', superseded: existing, rotationGap: true };
  }
  return { kind: 'create', superseded: existing, rotationGap: false };
}
