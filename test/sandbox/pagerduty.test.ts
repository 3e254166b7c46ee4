import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { PINNED_NOW, requestsTo, startClockedSandbox } from '../support/sandbox.js';
import { rawPagerDuty } from './pagerduty-helpers.js';

const alice = SEED_ADMINS.alice;
const bob = SEED_ADMINS.bob;
const dana = SEED_ADMINS.dana;
const PSVC001 = SEED_IDS.pagerdutyServiceId;
const PSCH001 = SEED_IDS.pagerdutyScheduleId;

let sandbox: Sandbox;
let clock: { now: Date };

beforeEach(async () => {
  ({ sandbox, clock } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

const pd = (...args: Parameters<typeof rawPagerDuty> extends [Sandbox, ...infer Rest] ? Rest : never) =>
  rawPagerDuty(sandbox, ...args);

interface IncidentJson {
  id: string;
  status: string;
  service: { id: string };
  assignments: { assignee: { id: string } }[];
  acknowledgements: { acknowledger: { id: string } }[];
}

const ids = (data: unknown, key = 'incidents') =>
  (data as Record<string, { id: string }[]>)[key]!.map((i) => i.id);
const assigneeIds = (incident: IncidentJson) => incident.assignments.map((a) => a.assignee.id);
const reassignTo = (userId: string) => ({
  incident: {
    type: 'incident_reference',
    assignments: [{ assignee: { id: userId, type: 'user_reference' } }],
  },
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'not-the-token'],
  ])('%s is refused with 401 and PagerDuty’s error body', async (_case, token) => {
    const answer = await pd('GET', '/incidents', { token });
    expect(answer.status).toBe(401);
    expect(answer.data).toEqual({ error: { message: 'Authentication failed', code: 2006 } });
  });

  it('accepts the token as `Token token=` (pdjs) and as an OAuth `Bearer`', async () => {
    expect((await pd('GET', '/users')).status).toBe(200);
    const bearer = await fetch(`${sandbox.urls.pagerduty}/users`, {
      headers: { Authorization: `Bearer ${sandbox.tokens.pagerduty}` },
    });
    expect(bearer.status).toBe(200);
  });
});

describe('the seed world', () => {
  it('alice has three open incidents on platform-ops; dana one; another team’s service has one of alice’s', async () => {
    const open = { 'statuses[]': ['triggered', 'acknowledged'] };
    const alices = await pd('GET', '/incidents', {
      query: { ...open, 'service_ids[]': [PSVC001], 'user_ids[]': [alice.pagerduty] },
    });
    expect(ids(alices.data)).toEqual([
      SEED_INCIDENTS.adminCertificate,
      SEED_INCIDENTS.euApiLatency,
      SEED_INCIDENTS.buildRunnerDisk,
    ]);
    const danas = await pd('GET', '/incidents', { query: { ...open, 'user_ids[]': [dana.pagerduty] } });
    expect(ids(danas.data)).toEqual([SEED_INCIDENTS.sessionErrors]);
    const other = await pd('GET', '/incidents', {
      query: { ...open, 'service_ids[]': [SEED_IDS.otherServiceId] },
    });
    expect(ids(other.data)).toEqual([SEED_INCIDENTS.invoiceRendering]);
    const resolved = await pd('GET', '/incidents', { query: { 'statuses[]': ['resolved'] } });
    expect(ids(resolved.data)).toEqual([SEED_INCIDENTS.backupFailure, SEED_INCIDENTS.controlPlaneOutage]);
  });

  it('ids look like PagerDuty’s and every incident has a trail of log entries', () => {
    for (const incident of sandbox.emulators.pagerduty.incidents()) {
      expect(incident.id).toMatch(/^[A-Z0-9]{7,14}$/);
      expect(incident.logEntries[0]?.type).toBe('trigger_log_entry');
    }
  });
});

describe('GET /incidents', () => {
  it('pages with limit/offset/more, counts only when asked, and lowers a limit above 100', async () => {
    for (let n = 0; n < 120; n += 1) sandbox.emulators.pagerduty.addIncident({ title: `Synthetic ${n}` });
    const first = await pd('GET', '/incidents', { query: { limit: '50' } });
    expect(first.data).toMatchObject({ limit: 50, offset: 0, more: true, total: null });
    const last = await pd('GET', '/incidents', { query: { limit: '50', offset: '100', total: 'true' } });
    expect(last.data).toMatchObject({ limit: 50, offset: 100, more: false, total: 127 });
    expect(ids(last.data)).toHaveLength(27);
    const clamped = await pd('GET', '/incidents', { query: { limit: '500' } });
    expect(clamped.data).toMatchObject({ limit: 100, more: true });
  });

  it.each([
    [{ offset: '9950', limit: '100' }, 'Offset+limit exceeds maximum allowed value of 10000.'],
    [{ limit: 'ten' }, 'Limit must be a positive integer'],
    [{ 'statuses[]': ['open'] }, 'Status must be a list of triggered, acknowledged, or resolved.'],
  ])('refuses %j with 400 Invalid Input Provided', async (query, message) => {
    const answer = await pd('GET', '/incidents', { query });
    expect(answer.status).toBe(400);
    expect(answer.data).toEqual({
      error: { message: 'Invalid Input Provided', code: 2001, errors: [message] },
    });
  });

  it('lists only the last month unless date_range=all, like PagerDuty', async () => {
    const old = sandbox.emulators.pagerduty.addIncident({
      title: 'Flaky DNS on the VPN gateway',
      assigneeIds: [alice.pagerduty],
      createdAt: new Date(PINNED_NOW.getTime() - 45 * 86_400_000).toISOString(),
    });
    const recent = await pd('GET', '/incidents', { query: { 'user_ids[]': [alice.pagerduty] } });
    expect(ids(recent.data)).not.toContain(old);
    const all = await pd('GET', '/incidents', {
      query: { 'user_ids[]': [alice.pagerduty], date_range: 'all' },
    });
    expect(ids(all.data)).toContain(old);
  });

  it('answers 404 with PagerDuty’s body for an unknown incident or path', async () => {
    for (const path of ['/incidents/QNOSUCHTHING', '/no/such/path']) {
      const answer = await pd('GET', path);
      expect(answer.status).toBe(404);
      expect(answer.data).toEqual({ error: { message: 'Not Found', code: 2100 } });
    }
  });
});

describe('the From header on writes', () => {
  const incident = SEED_INCIDENTS.buildRunnerDisk;
  it.each([
    [
      'missing',
      undefined,
      {
        message: 'You must specify a user\'s email address in the "From" header to perform this action',
        code: 2016,
      },
    ],
    ['not an email', 'Alice Moreau', { message: 'Malformed "From" header', code: 1028 }],
    [
      'not a user of the account',
      'mallory@novavms.example',
      { message: 'Requester User Not Found', code: 1008 },
    ],
  ])(
    '%s: PUT /incidents/{id}, PUT /incidents and POST notes answer 400 and change nothing',
    async (_case, from, error) => {
      const before = sandbox.emulators.pagerduty.incident(incident);
      const answers = await Promise.all([
        pd('PUT', `/incidents/${incident}`, { body: reassignTo(bob.pagerduty), from }),
        pd('PUT', '/incidents', {
          body: { incidents: [{ id: incident, type: 'incident_reference', status: 'acknowledged' }] },
          from,
        }),
        pd('POST', `/incidents/${incident}/notes`, { body: { note: { content: 'hello' } }, from }),
      ]);
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(answer.data).toEqual({ error: error });
      }
      expect(sandbox.emulators.pagerduty.incident(incident)).toEqual(before);
    },
  );
});

describe('PUT /incidents/{id}', () => {
  it('reassigning sets exactly the new assignee, puts the incident back to triggered and logs who did it', async () => {
    const id = SEED_INCIDENTS.euApiLatency; // acknowledged by alice
    const answer = await pd('PUT', `/incidents/${id}`, {
      body: reassignTo(bob.pagerduty),
      from: alice.email,
    });
    expect(answer.status).toBe(200);
    const incident = (answer.data as { incident: IncidentJson }).incident;
    expect(incident.status).toBe('triggered');
    expect(assigneeIds(incident)).toEqual([bob.pagerduty]);
    expect(incident.acknowledgements).toEqual([]);
    const entry = sandbox.emulators.pagerduty.logEntries(id).at(-1);
    expect(entry).toMatchObject({
      type: 'assign_log_entry',
      agent: { type: 'user', id: alice.pagerduty },
      assigneeIds: [bob.pagerduty],
      summary: 'Assigned to Bob Okafor by Alice Moreau.',
    });
  });

  it('acknowledging adds the acting user to the assignees and to the acknowledgements', async () => {
    const id = SEED_INCIDENTS.buildRunnerDisk; // triggered, alice
    const answer = await pd('PUT', `/incidents/${id}`, {
      body: { incident: { type: 'incident_reference', status: 'acknowledged' } },
      from: bob.email,
    });
    const incident = (answer.data as { incident: IncidentJson }).incident;
    expect(incident.status).toBe('acknowledged');
    expect(assigneeIds(incident)).toEqual([alice.pagerduty, bob.pagerduty]);
    expect(incident.acknowledgements.map((a) => a.acknowledger.id)).toEqual([bob.pagerduty]);
  });

  it('resolving empties assignments; a resolved incident refuses reassignment but can be reopened', async () => {
    const id = SEED_INCIDENTS.buildRunnerDisk;
    const resolved = await pd('PUT', `/incidents/${id}`, {
      body: { incident: { type: 'incident_reference', status: 'resolved' } },
      from: alice.email,
    });
    expect((resolved.data as { incident: IncidentJson }).incident).toMatchObject({
      status: 'resolved',
      assignments: [],
    });
    const refused = await pd('PUT', `/incidents/${id}`, {
      body: reassignTo(bob.pagerduty),
      from: alice.email,
    });
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({ error: { message: 'Incident Already Resolved', code: 1001 } });
    const reopened = await pd('PUT', `/incidents/${id}`, {
      body: { incident: { ...reassignTo(bob.pagerduty).incident, status: 'triggered' } },
      from: alice.email,
    });
    const incident = (reopened.data as { incident: IncidentJson }).incident;
    expect(incident.status).toBe('triggered');
    expect(assigneeIds(incident)).toEqual([bob.pagerduty]);
  });

  it.each([
    [{ incident: { assignments: [] } }, 'Type must be incident or incident_reference'],
    [{ incident: { type: 'incident_reference', assignments: [] } }, 'Assignments must be a non-empty array'],
    [
      { incident: { type: 'incident_reference', status: 'closed' } },
      'Status must be one of triggered, acknowledged, or resolved',
    ],
    [{}, 'Incident is required'],
  ])('refuses %j with 400', async (body, message) => {
    const answer = await pd('PUT', `/incidents/${SEED_INCIDENTS.buildRunnerDisk}`, {
      body,
      from: alice.email,
    });
    expect(answer.status).toBe(400);
    expect(answer.data).toEqual({
      error: { message: 'Invalid Input Provided', code: 2001, errors: [message] },
    });
  });

  it('refuses an assignee who is not a user', async () => {
    const answer = await pd('PUT', `/incidents/${SEED_INCIDENTS.buildRunnerDisk}`, {
      body: reassignTo('PNOBODY'),
      from: alice.email,
    });
    expect(answer.data).toEqual({ error: { message: 'Assigned To User Not Found', code: 1007 } });
  });
});

describe('PUT /incidents (bulk)', () => {
  it('updates every listed incident, or none when one is invalid', async () => {
    const both = [SEED_INCIDENTS.buildRunnerDisk, SEED_INCIDENTS.adminCertificate];
    const refused = await pd('PUT', '/incidents', {
      body: {
        incidents: [...both, 'QNOSUCHTHING'].map((id) => ({
          id,
          type: 'incident_reference',
          status: 'resolved',
        })),
      },
      from: alice.email,
    });
    expect(refused.status).toBe(400);
    expect(both.map((id) => sandbox.emulators.pagerduty.incident(id)?.status)).toEqual([
      'triggered',
      'acknowledged',
    ]);
    const done = await pd('PUT', '/incidents', {
      body: {
        incidents: both.map((id) => ({ id, ...reassignTo(bob.pagerduty).incident })),
      },
      from: alice.email,
    });
    expect(done.data).toMatchObject({ limit: 2, offset: 0, more: false });
    expect(
      both.map((id) => sandbox.emulators.pagerduty.incident(id)?.assignments.map((a) => a.userId)),
    ).toEqual([[bob.pagerduty], [bob.pagerduty]]);
  });

  it('takes at most 250 incidents (413 beyond)', async () => {
    const incidents = Array.from({ length: 251 }, () => ({
      id: SEED_INCIDENTS.buildRunnerDisk,
      type: 'incident_reference',
      status: 'acknowledged',
    }));
    const answer = await pd('PUT', '/incidents', { body: { incidents }, from: alice.email });
    expect(answer.status).toBe(413);
  });
});

describe('notes', () => {
  it('POST answers 200 with the note, attributed to the From user; GET lists newest first', async () => {
    const id = SEED_INCIDENTS.euApiLatency;
    const answer = await pd('POST', `/incidents/${id}/notes`, {
      body: { note: { content: 'Hypothesis: pool exhaustion.' } },
      from: bob.email,
    });
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({
      note: { content: 'Hypothesis: pool exhaustion.', user: { id: bob.pagerduty, type: 'user_reference' } },
    });
    const listed = await pd('GET', `/incidents/${id}/notes`);
    const contents = (listed.data as { notes: { content: string }[] }).notes.map((n) => n.content);
    expect(contents[0]).toBe('Hypothesis: pool exhaustion.');
    expect(contents).toHaveLength(2);
    expect(sandbox.emulators.pagerduty.logEntries(id).at(-1)).toMatchObject({
      type: 'annotate_log_entry',
      agent: { id: bob.pagerduty },
      note: 'Hypothesis: pool exhaustion.',
    });
  });

  it('refuses blank content', async () => {
    const answer = await pd('POST', `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`, {
      body: { note: { content: '  ' } },
      from: bob.email,
    });
    expect(answer.data).toEqual({
      error: { message: 'Invalid Input Provided', code: 2001, errors: ["Content can't be blank"] },
    });
  });
});

describe('GET /incidents/{id}/log_entries', () => {
  it('pages newest first; is_overview leaves out notifications', async () => {
    const id = SEED_INCIDENTS.controlPlaneOutage;
    const all = await pd('GET', `/incidents/${id}/log_entries`, { query: { total: 'true' } });
    const types = (all.data as { log_entries: { type: string }[] }).log_entries.map((e) => e.type);
    expect(types).toEqual([
      'resolve_log_entry',
      'annotate_log_entry',
      'acknowledge_log_entry',
      'notify_log_entry',
      'assign_log_entry',
      'trigger_log_entry',
    ]);
    const overview = await pd('GET', `/incidents/${id}/log_entries`, {
      query: { is_overview: 'true', limit: '2' },
    });
    expect(overview.data).toMatchObject({ limit: 2, more: true });
    const page2 = await pd('GET', `/incidents/${id}/log_entries`, {
      query: { is_overview: 'true', limit: '2', offset: '2' },
    });
    expect((page2.data as { log_entries: { type: string }[] }).log_entries.map((e) => e.type)).toEqual([
      'acknowledge_log_entry',
      'assign_log_entry',
    ]);
  });
});

describe('schedule overrides', () => {
  // Bounds as a UTC account writes them; the account's zone is ./pagerduty-time-zone.test.ts's subject.
  beforeEach(() => sandbox.emulators.pagerduty.setAccountTimeZone('UTC'));

  const bobOverride = (start: string, end: string) => ({
    start,
    end,
    user: { id: bob.pagerduty, type: 'user_reference' },
  });

  it('POST answers 201 with one result per item; a bad item fails inside the 201 and is not created', async () => {
    const answer = await pd('POST', `/schedules/${PSCH001}/overrides`, {
      body: {
        overrides: [
          bobOverride('2026-11-26T16:00:00Z', '2026-11-26T18:00:00Z'),
          bobOverride('2026-11-26T18:00:00Z', '2026-11-26T17:00:00Z'),
          {
            start: '2026-11-27T16:00:00Z',
            end: '2026-11-27T18:00:00Z',
            user: { id: 'PNOBODY', type: 'user_reference' },
          },
        ],
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.data).toMatchObject([
      { status: 201, override: { start: '2026-11-26T16:00:00Z', user: { id: bob.pagerduty } } },
      {
        status: 400,
        errors: ['Override must end after its start'],
        override: { end: '2026-11-26T17:00:00Z' },
      },
      { status: 400, errors: ['User must be a user of this account'] },
    ]);
    expect(sandbox.emulators.pagerduty.overrides(PSCH001)).toHaveLength(1);
  });

  it('takes the deprecated single {override} form: 201 {override}, or a plain 400', async () => {
    const created = await pd('POST', `/schedules/${PSCH001}/overrides`, {
      body: { override: bobOverride('2026-11-26T16:00:00+01:00', '2026-11-26T18:00:00+01:00') },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      override: { start: '2026-11-26T15:00:00Z', end: '2026-11-26T17:00:00Z' },
    });
    const refused = await pd('POST', `/schedules/${PSCH001}/overrides`, {
      body: { override: bobOverride('2026-11-26T18:00:00Z', '2026-11-26T18:00:00Z') },
    });
    expect(refused.status).toBe(400);
  });

  it('GET needs since and until, and cuts overrides at them unless overflow=true', async () => {
    sandbox.emulators.pagerduty.setRotation(PSCH001, {
      userIds: [alice.pagerduty],
      start: '2026-11-23T16:00:00Z',
    });
    await pd('POST', `/schedules/${PSCH001}/overrides`, {
      body: { overrides: [bobOverride('2026-11-26T16:00:00Z', '2026-11-28T16:00:00Z')] },
    });
    const query = { since: '2026-11-27T00:00:00Z', until: '2026-11-27T12:00:00Z' };
    const cut = await pd('GET', `/schedules/${PSCH001}/overrides`, { query });
    expect(cut.data).toMatchObject({
      overrides: [{ start: '2026-11-27T00:00:00Z', end: '2026-11-27T12:00:00Z' }],
    });
    const whole = await pd('GET', `/schedules/${PSCH001}/overrides`, {
      query: { ...query, overflow: 'true' },
    });
    expect(whole.data).toMatchObject({
      overrides: [{ start: '2026-11-26T16:00:00Z', end: '2026-11-28T16:00:00Z' }],
    });
    expect((await pd('GET', `/schedules/${PSCH001}/overrides`)).status).toBe(400);
    expect((await pd('GET', '/schedules/PNOSUCH/overrides', { query })).status).toBe(404);
  });
});

describe('GET /oncalls', () => {
  // Bounds as a UTC account writes them; the account's zone is ./pagerduty-time-zone.test.ts's subject.
  beforeEach(() => sandbox.emulators.pagerduty.setAccountTimeZone('UTC'));

  type OnCallJson = { user: { id: string }; start: string; end: string; escalation_level: number };
  const oncalls = async (query: Record<string, string | string[]>) =>
    (
      (await pd('GET', '/oncalls', { query: { 'schedule_ids[]': [PSCH001], ...query } })).data as {
        oncalls: OnCallJson[];
      }
    ).oncalls;
  const shifts = (list: OnCallJson[]) => list.map((o) => [o.user.id, o.start, o.end]);

  it('follows the weekly rotation alice → bob → dana, handing off on Mondays at 16:00 UTC', async () => {
    expect(shifts(await oncalls({ since: '2026-11-26T00:00:00Z', until: '2026-12-10T00:00:00Z' }))).toEqual([
      [alice.pagerduty, '2026-11-23T16:00:00Z', '2026-11-30T16:00:00Z'],
      [bob.pagerduty, '2026-11-30T16:00:00Z', '2026-12-07T16:00:00Z'],
      [dana.pagerduty, '2026-12-07T16:00:00Z', '2026-12-14T16:00:00Z'],
    ]);
  });

  it('defaults since and until to now', async () => {
    clock.now = new Date('2026-12-01T09:00:00Z');
    expect(shifts(await oncalls({}))).toEqual([
      [bob.pagerduty, '2026-11-30T16:00:00Z', '2026-12-07T16:00:00Z'],
    ]);
  });

  it('lets overrides win over the rotation, and the newest override over an older one', async () => {
    const emulator = sandbox.emulators.pagerduty;
    const create = (userId: string, start: string, end: string) =>
      pd('POST', `/schedules/${PSCH001}/overrides`, {
        body: { overrides: [{ start, end, user: { id: userId, type: 'user_reference' } }] },
      });
    await create(bob.pagerduty, '2026-11-26T16:00:00Z', '2026-11-26T20:00:00Z');
    await create(dana.pagerduty, '2026-11-26T18:00:00Z', '2026-11-26T19:00:00Z');
    expect(shifts(await oncalls({ since: '2026-11-26T15:00:00Z', until: '2026-11-26T21:00:00Z' }))).toEqual([
      [alice.pagerduty, '2026-11-23T16:00:00Z', '2026-11-26T16:00:00Z'],
      [bob.pagerduty, '2026-11-26T16:00:00Z', '2026-11-26T18:00:00Z'],
      [dana.pagerduty, '2026-11-26T18:00:00Z', '2026-11-26T19:00:00Z'],
      [bob.pagerduty, '2026-11-26T19:00:00Z', '2026-11-26T20:00:00Z'],
      [alice.pagerduty, '2026-11-26T20:00:00Z', '2026-11-30T16:00:00Z'],
    ]);
    expect(emulator.onCallAt(PSCH001, '2026-11-26T18:30:00Z')).toBe(dana.pagerduty);
  });

  it('lists a shift once per escalation level that pages the schedule; earliest=true keeps the first per user', async () => {
    sandbox.emulators.pagerduty.setEscalationLevels('PESC001', [[PSCH001], [PSCH001]]);
    const listed = await oncalls({ since: '2026-11-26T00:00:00Z', until: '2026-12-01T00:00:00Z' });
    expect(listed.map((o) => [o.escalation_level, o.user.id])).toEqual([
      [1, alice.pagerduty],
      [1, bob.pagerduty],
      [2, alice.pagerduty],
      [2, bob.pagerduty],
    ]);
    const earliest = await oncalls({
      since: '2026-11-26T00:00:00Z',
      until: '2026-12-20T00:00:00Z',
      earliest: 'true',
    });
    expect(earliest).toHaveLength(6);
  });
});

describe('GET /users', () => {
  it.each([
    ['ali', ['Alice Moreau']],
    ['OKAFOR', ['Bob Okafor']],
    ['novavms.example', ['Alice Moreau', 'Bob Okafor', 'Dana Lindqvist', 'Priya Natarajan']],
    ['nobody', []],
  ])('query %j matches names and emails: %j', async (query, names) => {
    const answer = await pd('GET', '/users', { query: { query } });
    expect((answer.data as { users: { name: string }[] }).users.map((u) => u.name)).toEqual(names);
  });
});

describe('fault answers', () => {
  it('a rate limit is a 429 with PagerDuty’s body and headers, Retry-After included', async () => {
    sandbox.faults.set({ pagerduty: { rateLimitNext: 4 } }); // pdjs itself sends a 429 three more times
    const answer = await pd('GET', '/users');
    expect(answer.status).toBe(429);
    expect(answer.data).toEqual({ error: { message: 'Rate Limit Exceeded', code: 2020 } });
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.headers.get('ratelimit-remaining')).toBe('0');
    expect(answer.headers.get('ratelimit-reset')).toBe('1');
  });

  it('a server error is a 500 with PagerDuty’s body; writes count as mutations, reads do not', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'before' } });
    await pd('GET', '/users');
    const failed = await pd('POST', `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`, {
      body: { note: { content: 'x' } },
      from: alice.email,
    });
    expect(failed.status).toBe(500);
    expect(failed.data).toEqual({
      error: { message: 'An internal error has occurred. PagerDuty team has been notified.', code: 2000 },
    });
    expect(requestsTo(sandbox, 'pagerduty').map((r) => [r.method, r.mutation, r.fault])).toEqual([
      ['GET', false, 'none'],
      ['POST', true, 'fail-before'],
    ]);
  });
});

describe('state', () => {
  it('snapshot() is plain JSON and restore() brings the same world back', async () => {
    await pd('PUT', `/incidents/${SEED_INCIDENTS.euApiLatency}`, {
      body: reassignTo(bob.pagerduty),
      from: alice.email,
    });
    const saved = JSON.parse(JSON.stringify(sandbox.emulators.pagerduty.snapshot()));
    const { sandbox: other } = await startClockedSandbox({ seed: 'empty' });
    try {
      other.emulators.pagerduty.restore(saved);
      expect(other.emulators.pagerduty.snapshot()).toEqual(sandbox.emulators.pagerduty.snapshot());
      expect(other.emulators.pagerduty.incident(SEED_INCIDENTS.euApiLatency)?.assignments[0]?.userId).toBe(
        bob.pagerduty,
      );
    } finally {
      await other.close();
    }
  });

  it('restore() of something else starts an empty world', () => {
    sandbox.emulators.pagerduty.restore({ version: 99 });
    expect(sandbox.emulators.pagerduty.incidents()).toEqual([]);
  });

  it('control methods hand out copies, never live records', () => {
    const copy = sandbox.emulators.pagerduty.incident(SEED_INCIDENTS.euApiLatency)!;
    copy.status = 'resolved';
    expect(sandbox.emulators.pagerduty.incident(SEED_INCIDENTS.euApiLatency)?.status).toBe('acknowledged');
  });
});
