import type { Variant } from '../manifest/types.js';

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The next quarter hour at or after `now` (seconds dropped), so a fresh window starts on a round time. */
export function roundUpToQuarterHour(now: Date): Date {
  return new Date(Math.ceil(now.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS);
}

export interface WindowRequest {
  variant: Variant;
  now: Date;
  start?: Date;
  end?: Date;
  /** Length when no end is given. */
  hours: number;
}

/**
 * The window init writes: from `--window-start` or the next quarter hour, for `--hours` (default 2,
 * the runbook's minimum overlap), unless `--window-end` says otherwise. An emergency has no start:
 * the override begins when apply runs (docs/design.md#the-manifest).
 */
export function defaultWindow(request: WindowRequest): { start?: string; end: string } {
  const start = request.start ?? roundUpToQuarterHour(request.now);
  const end = request.end ?? new Date(start.getTime() + request.hours * HOUR_MS);
  const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');
  return request.variant === 'emergency' && request.start === undefined
    ? { end: iso(end) }
    : { start: iso(start), end: iso(end) };
}
