import { describe, expect, it } from 'vitest';
import { errorMessage, formatUtc, plural, shortSha } from '../src/format.js';

/** Each row: the function, its input, and what every output of the tool shows for it. */
const CASES: ReadonlyArray<{ name: string; run: () => string; want: string }> = [
  {
    name: 'UTC time from an ISO string with an offset',
    run: () => formatUtc('2026-11-26T17:45:59+01:00'),
    want: '2026-11-26 16:45 UTC',
  },
  {
    name: 'UTC time from a Date, cut to the minute',
    run: () => formatUtc(new Date(Date.UTC(2026, 0, 2, 3, 4, 59))),
    want: '2026-01-02 03:04 UTC',
  },
  {
    name: 'UTC time across midnight',
    run: () => formatUtc('2026-12-31T23:30:00-02:00'),
    want: '2027-01-01 01:30 UTC',
  },
  { name: 'UTC time of an unreadable date', run: () => formatUtc('not a date'), want: '—' },
  {
    name: 'short SHA of a full commit',
    run: () => shortSha('34e9afb0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6'),
    want: '34e9afb',
  },
  { name: 'short SHA of a short commit', run: () => shortSha('abc'), want: 'abc' },
  { name: 'short SHA of no commit', run: () => shortSha(null), want: 'unknown' },
  { name: 'short SHA of an undefined commit', run: () => shortSha(undefined), want: 'unknown' },
  { name: 'plural of none', run: () => plural(0, 'ticket'), want: '0 tickets' },
  { name: 'plural of one', run: () => plural(1, 'ticket'), want: '1 ticket' },
  { name: 'plural of many', run: () => plural(12, 'TODO placeholder'), want: '12 TODO placeholders' },
  { name: 'error message of an Error', run: () => errorMessage(new TypeError('boom')), want: 'boom' },
  { name: 'error message of a string', run: () => errorMessage('plain'), want: 'plain' },
  { name: 'error message of a number', run: () => errorMessage(42), want: '42' },
  { name: 'error message of undefined', run: () => errorMessage(undefined), want: 'undefined' },
];

describe('the format module', () => {
  it.each(CASES)('$name', ({ run, want }) => {
    expect(run()).toBe(want);
  });
});
