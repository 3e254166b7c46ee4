import { describe, expect, it } from 'vitest';
import { isTimeZone, offsetMinutes, zonedSeconds } from '../../src/sandbox/pagerduty/time.js';

describe('PagerDuty times rendered in a time zone', () => {
  it.each([
    // The US spring-forward (2026-03-08, 02:00 local → 03:00) and fall-back (2026-11-01, 02:00 → 01:00).
    ['2026-03-08T06:30:00Z', 'America/New_York', '2026-03-08T01:30:00-05:00'],
    ['2026-03-08T07:30:00Z', 'America/New_York', '2026-03-08T03:30:00-04:00'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01T01:30:00-04:00'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T01:30:00-05:00'],
    ['2026-11-26T16:00:00.999Z', 'Asia/Kolkata', '2026-11-26T21:30:00+05:30'],
    ['2026-07-01T12:00:00Z', 'Europe/London', '2026-07-01T13:00:00+01:00'],
    ['2026-12-01T12:00:00Z', 'Europe/London', '2026-12-01T12:00:00+00:00'],
    ['2026-12-01T12:00:00Z', 'UTC', '2026-12-01T12:00:00Z'],
  ])('%s in %s is %s, the same instant', (instant, zone, rendered) => {
    expect(zonedSeconds(instant, zone)).toBe(rendered);
    expect(Date.parse(rendered)).toBe(Math.floor(Date.parse(instant) / 1000) * 1000);
  });

  it('knows the offsets on either side of a change and which names are zones', () => {
    expect(offsetMinutes(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
