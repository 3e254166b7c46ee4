/**
 * Services write times with offsets (PagerDuty in the account's time zone: `2026-03-08T01:30:00-05:00`
 * beside `2026-03-08T06:45:00Z`), so two time strings compare as text in an order that is not the
 * order of the instants they name — least of all across a daylight-saving change. Times are compared
 * and sorted only through these.
 */

/** Milliseconds since the epoch; NaN for a string that is no time (sorted last by `byInstant`). */
export function instantOf(time: string): number {
  return Date.parse(time);
}

/** A sort comparator: earliest first, by the instant each item's time names; unreadable times last. */
export function byInstant<T>(timeOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = instantOf(timeOf(a));
    const y = instantOf(timeOf(b));
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return x - y;
  };
}
