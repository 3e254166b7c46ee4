/** PagerDuty writes times to the second with a `Z` (`2026-11-26T16:00:00Z`). */
export function isoSeconds(time: Date | number): string {
  const date = typeof time === 'number' ? new Date(time) : time;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Milliseconds since the epoch for an ISO 8601 date-time with a zone, or undefined when it is not one. */
export function parseInstant(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  // A date-time without a zone would be read in the sandbox's local zone: PagerDuty refuses those.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
