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

/**
 * A new PagerDuty account's time zone, as the emulator assumes it: a named zone with daylight-saving
 * time, so the offsets of its answers change in March and November (`-05:00`, then `-04:00`).
 */
export const DEFAULT_ACCOUNT_TIME_ZONE = 'America/New_York';

/** Whether `zone` is a time zone name this runtime knows (IANA `tzinfo`, as PagerDuty takes). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, found);
  }
  return found;
}

/**
 * Offsets already worked out, per zone and whole minute: every rule change falls on a whole minute, so
 * one minute has one offset. A list of many incidents renders many nearby times; formatToParts is the
 * emulator's costliest call. Bounded: cleared when it grows past a day's minutes.
 */
const offsets = new Map<string, number>();
const MAX_CACHED_OFFSETS = 1_440;

/** The zone's offset from UTC at that instant, in whole minutes (east positive). */
export function offsetMinutes(ms: number, zone: string): number {
  const key = `${zone} ${Math.floor(ms / 60_000)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const offset = computeOffsetMinutes(ms, zone);
  if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

function computeOffsetMinutes(ms: number, zone: string): number {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * An instant as PagerDuty renders it in a time zone: the local wall time to the second and the offset in
 * force then (`2026-03-08T01:30:00-05:00`, an hour later `2026-03-08T03:30:00-04:00`). UTC itself is
 * written with `Z`, as PagerDuty writes it.
 */
export function zonedSeconds(time: Date | number | string, zone: string): string {
  const ms = typeof time === 'number' ? time : new Date(time).getTime();
  if (Number.isNaN(ms)) return String(time);
  if (zone === 'UTC' || zone === 'Etc/UTC') return isoSeconds(ms);
  const offset = offsetMinutes(ms, zone);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
