import type { Diagnostic } from '../../diagnostics.js';
import type { Variant } from '../types.js';
import type { Rule } from './context.js';

const HOUR_MS = 3_600_000;
export const MIN_OVERLAP_MS = 2 * HOUR_MS;
/** The variants whose window is the runbook's planned overlap of at least two hours. */
const OVERLAP_VARIANTS: readonly Variant[] = ['planned', 'weekly-rotation'];

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch for an ISO 8601 instant the schema accepted, or null if no such time exists. */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const fraction = Number(`0.${m[7] ?? '0'}`);
  const sign = m[9] === '-' ? -1 : 1;
  const local = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  return local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `window.date`, `window.start-required`, `window.order`, `window.min-overlap`, `window.past`: the
 * override window is real time that runs forward, long enough for a planned overlap, and (as a
 * warning only, so that validation stays deterministic) not already over.
 */
export const windowRules: Rule = (context) => {
  const found: Diagnostic[] = [];
  const variant = context.read<Variant>(['variant']);
  const startText = context.read<string>(['window', 'start']);
  const endText = context.read<string>(['window', 'end']);
  const instants: Record<'start' | 'end', number | null> = { start: null, end: null };
  for (const [name, text] of [
    ['start', startText],
    ['end', endText],
  ] as const) {
    if (text === undefined) continue;
    instants[name] = parseInstant(text);
    if (instants[name] === null) {
      found.push(
        context.atValue(
          ['window', name],
          'window.date',
          `\`window.${name}\` is not a real date and time (${text}): check the month, day, hour and minute`,
        ),
      );
    }
  }
  const windowWritten = context.has(['window']) && typeof context.raw(['window']) === 'object';
  if (
    windowWritten &&
    !context.has(['window', 'start']) &&
    variant !== undefined &&
    variant !== 'emergency'
  ) {
    found.push(
      context.atKey(
        ['window'],
        'window.start-required',
        `\`window\` has no \`start\`: a ${variant} handover starts at a set time (only an emergency starts now); ` +
          'add e.g. `start: 2026-11-26T16:00:00Z`',
      ),
    );
  }
  const { start, end } = instants;
  if (start !== null && end !== null) {
    if (end <= start) {
      found.push(
        context.atValue(
          ['window', 'end'],
          'window.order',
          `\`window.end\` (${endText}) is not after \`window.start\` (${startText}): the window must run forward`,
        ),
      );
    } else if (variant !== undefined && OVERLAP_VARIANTS.includes(variant) && end - start < MIN_OVERLAP_MS) {
      found.push(
        context.atValue(
          ['window', 'end'],
          'window.min-overlap',
          `the window is ${formatDuration(end - start)} long; a ${variant} handover needs at least 2 hours of ` +
            `overlap: end at ${isoUtc(start + MIN_OVERLAP_MS)} or later`,
        ),
      );
    }
  }
  if (end !== null && context.now && end < context.now.getTime()) {
    found.push(
      context.atValue(
        ['window', 'end'],
        'window.past',
        `the window ended at ${endText}, before now (${isoUtc(context.now.getTime())}): if this handover is still ` +
          'to be applied, move the window forward',
        'warning',
      ),
    );
  }
  return found;
};
