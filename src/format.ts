/**
 * How the tool writes the few values that appear in every output — plan, apply's log, the journal, Slack
 * posts, PagerDuty notes, the action's summary — so each reads the same everywhere. Pure.
 */

/**
 * `2026-11-26 16:00 UTC`: an instant as an on-call admin reads it; minutes are the precision people hand
 * over at. Accepts a Date or an ISO 8601 string; an unreadable one gives `—` rather than a garbled date.
 */
export function formatUtc(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `abc1234`: a commit as GitHub abbreviates it; `unknown` when there is none. */
export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : 'unknown';
}

/** `1 ticket`, `3 tickets`: a count with its noun (nouns that take an -s). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The message of anything thrown: an Error's message, else the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
