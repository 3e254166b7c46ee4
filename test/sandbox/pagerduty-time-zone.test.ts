import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { startClockedSandbox } from '../support/sandbox.js';
import { rawPagerDuty } from './pagerduty-helpers.js';

const alice = SEED_ADMINS.alice;
const PSCH001 = SEED_IDS.pagerdutyScheduleId;
/** Half an hour before the US spring-forward (2026-03-08 07:00Z: 02:00 EST becomes 03:00 EDT). */
const BEFORE_CHANGE = new Date('2026-03-08T06:30:00Z');

// biome-ignore lint/suspicious/noExplicitAny: answers are read by path in assertions, checked by the values they must equal
type Json = Record<string, any>;

/** The account's time zone as @pagerduty/pdjs sees it over HTTP: offsets that change with DST. */
describe('PagerDuty emulator: times in the account time zone', () => {
  let sandbox: Sandbox;
  let clock: { now: Date };
  let incident: string;

  beforeEach(async () => {
    ({ sandbox, clock } = await startClockedSandbox());
    clock.now = BEFORE_CHANGE;
    incident = sandbox.emulators.pagerduty.addIncident({
      title: 'Disk full on build runner 3',
      assigneeIds: [alice.pagerduty],
      createdAt: BEFORE_CHANGE.toISOString(),
    });
    clock.now = new Date('2026-03-08T07:30:00Z'); // an hour later, after the change
    sandbox.emulators.pagerduty.addNote(incident, alice.pagerduty, 'Cleared /var/tmp.');
  });
  afterEach(() => sandbox.close());

  const get = async (path: string, query?: Record<string, string | string[]>) => {
    const answer = await rawPagerDuty(sandbox, 'GET', path, query ? { query } : {});
    expect(answer.status).toBe(200);
    return answer.data as Json;
  };

  it('renders an incident, its notes and its log in America/New_York by default, across the change', async () => {
    expect(sandbox.emulators.pagerduty.timeZone()).toBe('America/New_York');
    const { incident: one } = await get(`/incidents/${incident}`);
    expect(one.created_at).toBe('2026-03-08T01:30:00-05:00');
    const { notes } = await get(`/incidents/${incident}/notes`);
    expect(notes[0].created_at).toBe('2026-03-08T03:30:00-04:00');
    const { log_entries: log } = await get(`/incidents/${incident}/log_entries`);
    const times = (log as Json[]).map((entry) => entry.created_at as string);
    expect(times).toContain('2026-03-08T01:30:00-05:00');
    expect(times).toContain('2026-03-08T03:30:00-04:00');
    // The newer entry's string sorts before the older one's: only instants order them.
    expect('2026-03-08T03:30:00-04:00' < '2026-03-08T01:30:00-05:00').toBe(false);
    expect(Date.parse(times[0]!)).toBeGreaterThan(Date.parse(times.at(-1)!));
  });

  it('lists incidents in UTC unless time_zone asks otherwise, as the description of GET /incidents says', async () => {
    const listed = async (query: Record<string, string | string[]>) =>
      ((await get('/incidents', { 'user_ids[]': [alice.pagerduty], ...query })).incidents as Json[]).find(
        (i) => i.id === incident,
      )?.created_at;
    expect(await listed({})).toBe('2026-03-08T06:30:00Z');
    expect(await listed({ time_zone: 'Asia/Kolkata' })).toBe('2026-03-08T12:00:00+05:30');
  });

  it('renders on-calls and overrides in the account zone, and GET /schedules/{id} in the schedule zone', async () => {
    const created = await rawPagerDuty(sandbox, 'POST', `/schedules/${PSCH001}/overrides`, {
      body: {
        overrides: [
          {
            start: '2026-03-08T06:00:00Z',
            end: '2026-03-08T08:00:00Z',
            user: { id: alice.pagerduty, type: 'user_reference' },
          },
        ],
      },
    });
    expect((created.data as Json[])[0]!.override).toMatchObject({
      start: '2026-03-08T01:00:00-05:00',
      end: '2026-03-08T04:00:00-04:00',
    });
    const { oncalls } = await get('/oncalls', {
      'schedule_ids[]': [PSCH001],
      since: '2026-03-08T06:15:00Z',
      until: '2026-03-08T07:45:00Z',
    });
    expect((oncalls as Json[]).map((o) => o.start)).toContain('2026-03-08T01:00:00-05:00');
    const { oncalls: utc } = await get('/oncalls', {
      'schedule_ids[]': [PSCH001],
      since: '2026-03-08T06:15:00Z',
      until: '2026-03-08T07:45:00Z',
      time_zone: 'UTC',
    });
    expect((utc as Json[]).map((o) => o.start)).toContain('2026-03-08T06:00:00Z');

    sandbox.emulators.pagerduty.setAccountTimeZone('Europe/Berlin');
    const { schedule } = await get(`/schedules/${PSCH001}`, {
      since: '2026-03-08T06:00:00Z',
      until: '2026-03-08T08:00:00Z',
    });
    expect(schedule.time_zone).toBe('America/New_York');
    expect(schedule.overrides_subschedule.rendered_schedule_entries[0].start).toBe(
      '2026-03-08T01:00:00-05:00',
    );
    const { overrides } = await get(`/schedules/${PSCH001}/overrides`, {
      since: '2026-03-08T00:00:00Z',
      until: '2026-03-09T00:00:00Z',
    });
    expect((overrides as Json[])[0]!.start).toBe('2026-03-08T07:00:00+01:00');
  });

  it('refuses a time_zone that is not one', async () => {
    const answer = await rawPagerDuty(sandbox, 'GET', `/incidents/${incident}/log_entries`, {
      query: { time_zone: 'Mars/Olympus_Mons' },
    });
    expect(answer.status).toBe(400);
    expect(answer.data).toMatchObject({ error: { code: 2001 } });
  });

  it('takes the zone from startSandbox, the control endpoint and a saved state', async () => {
    const { sandbox: tokyo } = await startClockedSandbox({ pagerdutyTimeZone: 'Asia/Tokyo' });
    try {
      expect(tokyo.emulators.pagerduty.timeZone()).toBe('Asia/Tokyo');
      const put = await fetch(`${tokyo.url}/_sandbox/pagerduty/account`, {
        method: 'PUT',
        body: JSON.stringify({ timeZone: 'Australia/Sydney' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(await put.json()).toEqual({ timeZone: 'Australia/Sydney' });
      const bad = await fetch(`${tokyo.url}/_sandbox/pagerduty/account`, {
        method: 'PUT',
        body: JSON.stringify({ timeZone: 'Nowhere/Special' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(tokyo.emulators.pagerduty.snapshot().timeZone).toBe('Australia/Sydney');
    } finally {
      await tokyo.close();
    }
    expect(() => sandbox.emulators.pagerduty.setAccountTimeZone('Nowhere/Special')).toThrow(
      /not a time zone/,
    );
  });
});
