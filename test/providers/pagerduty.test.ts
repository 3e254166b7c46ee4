import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, type RetryPolicy } from '../../src/providers/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import type { FaultSettings } from '../../src/sandbox/types.js';
import { pagerDutyProvider } from '../sandbox/pagerduty-helpers.js';
import { PINNED_NOW, rejection, requestsTo, startClockedSandbox } from '../support/sandbox.js';

const alice = SEED_ADMINS.alice;
const bob = SEED_ADMINS.bob;
const dana = SEED_ADMINS.dana;
const PSVC001 = SEED_IDS.pagerdutyServiceId;
const PSCH001 = SEED_IDS.pagerdutyScheduleId;
const OPEN = ['triggered', 'acknowledged'] as const;

let sandbox: Sandbox;
let clock: { now: Date };

beforeEach(async () => {
  ({ sandbox, clock } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

/** A provider whose retries record their delays and move the sandbox clock instead of waiting. */
function provider(options: { token?: string; retry?: Partial<RetryPolicy>; baseUrl?: string } = {}) {
  const sleeps: number[] = [];
  const { provider: pagerduty } = pagerDutyProvider(sandbox, {
    ...options,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now = new Date(clock.now.getTime() + ms);
      },
      ...options.retry,
    },
  });
  return { pagerduty, sleeps };
}

const faults = (settings: FaultSettings) => sandbox.faults.set(settings);
const sent = () => requestsTo(sandbox, 'pagerduty').map((r) => `${r.method} ${r.path} ${r.status}`);

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('reading PagerDuty', () => {
  it('lists an admin’s open incidents on one service, and nothing of another service', async () => {
    const { pagerduty } = provider();
    const incidents = await pagerduty.listIncidents({
      serviceIds: [PSVC001],
      statuses: [...OPEN],
      userIds: [alice.pagerduty],
    });
    expect(incidents.map((i) => i.id)).toEqual([
      SEED_INCIDENTS.adminCertificate,
      SEED_INCIDENTS.euApiLatency,
      SEED_INCIDENTS.buildRunnerDisk,
    ]);
    expect(incidents[1]).toEqual({
      id: SEED_INCIDENTS.euApiLatency,
      title: 'EU API p99 latency above 2s',
      status: 'acknowledged',
      serviceId: PSVC001,
      assigneeIds: [alice.pagerduty],
      htmlUrl: `https://novavms.pagerduty.com/incidents/${SEED_INCIDENTS.euApiLatency}`,
      createdAt: '2026-11-26T12:00:00Z',
    });
  });

  it('finds an incident opened months ago (PagerDuty lists only the last month unless told otherwise)', async () => {
    const old = sandbox.emulators.pagerduty.addIncident({
      title: 'Flaky DNS on the VPN gateway',
      assigneeIds: [alice.pagerduty],
      createdAt: '2026-08-01T09:00:00Z',
    });
    const { pagerduty } = provider();
    const incidents = await pagerduty.listIncidents({ serviceIds: [PSVC001], userIds: [alice.pagerduty] });
    expect(incidents.map((i) => i.id)).toContain(old);
  });

  it('reads every page of a long list (230 incidents: three pages of at most 100)', async () => {
    for (let n = 0; n < 230; n += 1) {
      sandbox.emulators.pagerduty.addIncident({
        title: `Synthetic check ${n} failing`,
        assigneeIds: [bob.pagerduty],
      });
    }
    const { pagerduty } = provider();
    const incidents = await pagerduty.listIncidents({ serviceIds: [PSVC001], userIds: [bob.pagerduty] });
    expect(incidents).toHaveLength(230);
    expect(new Set(incidents.map((i) => i.id)).size).toBe(230);
    expect(requestsTo(sandbox, 'pagerduty').map((r) => new URLSearchParams(r.query).get('offset'))).toEqual([
      '0',
      '100',
      '200',
    ]);
  });

  it('a list longer than PagerDuty serves (10 000) is an error that says how to fix it, not a silent cut', async () => {
    for (let n = 0; n < 10_001; n += 1) {
      sandbox.emulators.pagerduty.addIncident({ title: `Noise ${n}`, assigneeIds: [dana.pagerduty] });
    }
    const { pagerduty } = provider();
    const error = await providerError(
      pagerduty.listIncidents({ serviceIds: [PSVC001], userIds: [dana.pagerduty] }),
    );
    expect(error).toMatchObject({ kind: 'invalid', call: 'incidents.list' });
    expect(error.detail).toBe('more than 10000 results, the most PagerDuty lists: narrow the query');
    // The first page's total says so: no page PagerDuty would refuse (offset + limit > 10 000) is
    // asked for, nor any page at all beyond the first.
    expect(sent()).toHaveLength(1);
    expect(sent().every((s) => s.endsWith(' 200'))).toBe(true);
  });

  it('gets one incident; an unknown one is a not-found error, asked once', async () => {
    const { pagerduty, sleeps } = provider();
    expect(await pagerduty.getIncident(SEED_INCIDENTS.sessionErrors)).toMatchObject({
      status: 'triggered',
      assigneeIds: [dana.pagerduty],
    });
    const error = await providerError(pagerduty.getIncident('QNOSUCHTHING'));
    expect(error).toMatchObject({
      kind: 'not-found',
      status: 404,
      call: 'incidents.get',
      object: 'QNOSUCHTHING',
    });
    expect(error.message).toBe(
      'pagerduty incidents.get QNOSUCHTHING failed (not-found 404): Not Found (code 2100)',
    );
    expect(sent()).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('lists notes newest first, and every page of a long log', async () => {
    for (let n = 0; n < 150; n += 1) {
      sandbox.emulators.pagerduty.addNote(SEED_INCIDENTS.euApiLatency, bob.pagerduty, `check ${n}`);
    }
    const { pagerduty } = provider();
    const notes = await pagerduty.listNotes(SEED_INCIDENTS.euApiLatency);
    expect(notes).toHaveLength(151);
    expect(notes[0]).toMatchObject({ content: 'check 149', userId: bob.pagerduty });
    const log = await pagerduty.listLogEntries(SEED_INCIDENTS.euApiLatency);
    expect(log).toHaveLength(150 + 5);
    expect(log.at(-1)).toMatchObject({ type: 'trigger_log_entry', agentId: PSVC001 });
  });

  it('lists each on-call shift once even when the schedule is paged at two escalation levels', async () => {
    sandbox.emulators.pagerduty.setEscalationLevels('PESC001', [[PSCH001], [PSCH001]]);
    const { pagerduty } = provider();
    expect(await pagerduty.listOnCalls(PSCH001, '2026-11-26T00:00:00Z', '2026-12-10T00:00:00Z')).toEqual([
      // In the account's time zone (America/New_York), as PagerDuty renders on-calls.
      {
        userId: alice.pagerduty,
        start: '2026-11-23T11:00:00-05:00',
        end: '2026-11-30T11:00:00-05:00',
        escalationLevel: 1,
      },
      {
        userId: bob.pagerduty,
        start: '2026-11-30T11:00:00-05:00',
        end: '2026-12-07T11:00:00-05:00',
        escalationLevel: 1,
      },
      {
        userId: dana.pagerduty,
        start: '2026-12-07T11:00:00-05:00',
        end: '2026-12-14T11:00:00-05:00',
        escalationLevel: 1,
      },
    ]);
  });

  it('finds users by name or email, across pages', async () => {
    for (let n = 0; n < 120; n += 1)
      sandbox.emulators.pagerduty.addUser({ name: `Temp ${n}`, email: `temp${n}@novavms.example` });
    const { pagerduty } = provider();
    expect(await pagerduty.findUsers('Dana')).toEqual([
      { id: dana.pagerduty, name: 'Dana Lindqvist', email: dana.email, role: 'admin' },
    ]);
    expect(await pagerduty.findUsers('novavms.example')).toHaveLength(124);
  });
});

describe('writing to PagerDuty', () => {
  it('reassigning sets exactly the new assignee and puts the incident back to triggered, as the From user', async () => {
    const { pagerduty } = provider();
    const incident = await pagerduty.reassignIncident(
      SEED_INCIDENTS.euApiLatency,
      bob.pagerduty,
      alice.email,
    );
    expect(incident).toMatchObject({ status: 'triggered', assigneeIds: [bob.pagerduty] });
    const put = requestsTo(sandbox, 'pagerduty').find((r) => r.method === 'PUT')!;
    expect(put.headers.from).toBe(alice.email);
    expect(put.body).toEqual({
      incident: {
        type: 'incident_reference',
        assignments: [{ assignee: { id: bob.pagerduty, type: 'user_reference' } }],
      },
    });
    expect(sandbox.emulators.pagerduty.logEntries(SEED_INCIDENTS.euApiLatency).at(-1)?.agent.id).toBe(
      alice.pagerduty,
    );
  });

  it('acknowledges as the From user', async () => {
    const { pagerduty } = provider();
    const incident = await pagerduty.acknowledgeIncident(SEED_INCIDENTS.buildRunnerDisk, bob.email);
    expect(incident).toMatchObject({ status: 'acknowledged', assigneeIds: [alice.pagerduty, bob.pagerduty] });
  });

  it('adds a note attributed to the From user', async () => {
    const { pagerduty } = provider();
    const note = await pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'Handing over to Bob.', alice.email);
    expect(note).toMatchObject({
      content: 'Handing over to Bob.',
      userId: alice.pagerduty,
      createdAt: '2026-11-26T10:00:00-05:00',
    });
  });

  it('sends From only on writes that act as a user, and PagerDuty’s Accept and Content-Type everywhere', async () => {
    const { pagerduty } = provider();
    await pagerduty.getIncident(SEED_INCIDENTS.euApiLatency);
    await pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'x', alice.email);
    await pagerduty.createOverride(PSCH001, {
      start: '2026-11-26T16:00:00Z',
      end: '2026-11-26T18:00:00Z',
      userId: bob.pagerduty,
    });
    expect(
      requestsTo(sandbox, 'pagerduty').map((r) => [
        r.method,
        r.headers.from,
        r.headers.accept,
        r.headers['content-type'],
      ]),
    ).toEqual([
      ['GET', undefined, 'application/vnd.pagerduty+json;version=2', 'application/json'],
      ['POST', alice.email, 'application/vnd.pagerduty+json;version=2', 'application/json'],
      ['POST', undefined, 'application/vnd.pagerduty+json;version=2', 'application/json'],
    ]);
  });

  it('creates an override and lists it with its real bounds', async () => {
    const { pagerduty } = provider();
    const created = await pagerduty.createOverride(PSCH001, {
      start: '2026-11-26T16:00:00Z',
      end: '2026-11-26T18:00:00Z',
      userId: bob.pagerduty,
    });
    expect(created).toMatchObject({
      start: '2026-11-26T11:00:00-05:00',
      end: '2026-11-26T13:00:00-05:00',
      userId: bob.pagerduty,
    });
    expect(await pagerduty.listOverrides(PSCH001, '2026-11-26T17:00:00Z', '2026-11-26T17:30:00Z')).toEqual([
      created,
    ]);
    expect(sandbox.emulators.pagerduty.onCallAt(PSCH001, '2026-11-26T17:00:00Z')).toBe(bob.pagerduty);
  });

  it('an override refused inside PagerDuty’s 201 is an invalid error, not a success, and is not retried', async () => {
    const { pagerduty } = provider();
    const error = await providerError(
      pagerduty.createOverride(PSCH001, {
        start: '2026-11-26T18:00:00Z',
        end: '2026-11-26T16:00:00Z',
        userId: bob.pagerduty,
      }),
    );
    expect(error).toMatchObject({
      kind: 'invalid',
      status: 400,
      call: 'schedules.createOverride',
      object: PSCH001,
    });
    expect(error.detail).toBe('Override must end after its start');
    expect(sent()).toEqual([`POST /schedules/${PSCH001}/overrides 201`]);
    expect(sandbox.emulators.pagerduty.overrides(PSCH001)).toEqual([]);
  });

  it.each([
    [
      'no From email',
      '',
      'You must specify a user\'s email address in the "From" header to perform this action (code 2016)',
    ],
    ['an email that is no user', 'mallory@novavms.example', 'Requester User Not Found (code 1008)'],
  ])('a note with %s is refused like PagerDuty refuses it, once', async (_case, from, detail) => {
    const { pagerduty } = provider();
    const error = await providerError(pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'x', from));
    expect(error).toMatchObject({ kind: 'invalid', status: 400, call: 'incidents.addNote', detail });
    expect(sent()).toHaveLength(1);
    expect(sandbox.emulators.pagerduty.notes(SEED_INCIDENTS.euApiLatency)).toHaveLength(1);
  });
});

describe('rate limits and failures', () => {
  it('a 429 storm ends in exactly one note, after waiting what PagerDuty asked each time', async () => {
    faults({ pagerduty: { rateLimitNext: 2 } });
    const { pagerduty, sleeps } = provider();
    await pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'Status: stable.', alice.email);
    const path = `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`;
    expect(sent()).toEqual([`POST ${path} 429`, `POST ${path} 429`, `POST ${path} 200`]);
    expect(sleeps).toEqual([1000, 1000]);
    expect(
      sandbox.emulators.pagerduty
        .notes(SEED_INCIDENTS.euApiLatency)
        .filter((n) => n.content === 'Status: stable.'),
    ).toHaveLength(1);
  });

  it('honours a long Retry-After (30 s on the sandbox clock) rather than its own shorter backoff', async () => {
    faults({ pagerduty: { rateLimit: { requests: 1, windowMs: 30_000 } } });
    const { pagerduty, sleeps } = provider({ retry: { maxDelayMs: 10_000 } });
    await pagerduty.getIncident(SEED_INCIDENTS.euApiLatency);
    await pagerduty.getIncident(SEED_INCIDENTS.euApiLatency);
    expect(sleeps).toEqual([30_000]);
    expect(sent().map((s) => s.split(' ')[2])).toEqual(['200', '429', '200']);
  });

  it('pdjs’s own 429 retries do not stack on ours: each attempt is one request', async () => {
    faults({ pagerduty: { rateLimitNext: 10 } });
    const { pagerduty, sleeps } = provider({ retry: { maxAttempts: 3 } });
    const error = await providerError(pagerduty.listNotes(SEED_INCIDENTS.euApiLatency));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, call: 'incidents.listNotes' });
    expect(sent()).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('a 5xx is retried after a backoff, then succeeds', async () => {
    faults({ pagerduty: { serverErrorNext: 1 } });
    const { pagerduty, sleeps } = provider();
    await pagerduty.getIncident(SEED_INCIDENTS.euApiLatency);
    expect(sent().map((s) => s.split(' ')[2])).toEqual(['500', '200']);
    expect(sleeps).toEqual([50]);
  });

  it('5xx on every attempt is a server error after maxAttempts', async () => {
    faults({ pagerduty: { errorRate: 1 } });
    const { pagerduty, sleeps } = provider({ retry: { maxAttempts: 3 } });
    const error = await providerError(pagerduty.getIncident(SEED_INCIDENTS.euApiLatency));
    expect(error).toMatchObject({ kind: 'server', status: 500 });
    expect(sent()).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('a write that fails before it happens is sent again: one note', async () => {
    faults({ failMutation: { nth: 1, mode: 'before' } });
    const { pagerduty } = provider();
    await pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'Status: stable.', alice.email);
    const path = `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`;
    expect(sent()).toEqual([`POST ${path} 500`, `GET ${path} 200`, `POST ${path} 200`]);
    expect(sandbox.emulators.pagerduty.notes(SEED_INCIDENTS.euApiLatency)).toHaveLength(2);
  });

  it('a note that was written although the answer was a 500 is found, not written twice', async () => {
    faults({ failMutation: { nth: 1, mode: 'after' } });
    const { pagerduty } = provider();
    const note = await pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'Status: stable.', alice.email);
    expect(note.content).toBe('Status: stable.');
    const path = `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`;
    expect(sent()).toEqual([`POST ${path} 500`, `GET ${path} 200`]);
    expect(sandbox.emulators.pagerduty.notes(SEED_INCIDENTS.euApiLatency)).toHaveLength(2);
  });

  it('an override that was made although the answer was a 500 is found, not made twice', async () => {
    faults({ failMutation: { nth: 1, mode: 'after' } });
    const { pagerduty } = provider();
    const window = { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z', userId: bob.pagerduty };
    const created = await pagerduty.createOverride(PSCH001, window);
    expect([Date.parse(created.start), Date.parse(created.end)]).toEqual([
      Date.parse(window.start),
      Date.parse(window.end),
    ]);
    expect(sandbox.emulators.pagerduty.overrides(PSCH001)).toHaveLength(1);
    expect(sent()).toEqual([
      `POST /schedules/${PSCH001}/overrides 500`,
      `GET /schedules/${PSCH001}/overrides 200`,
    ]);
  });

  it('a reassignment that happened although the answer was a 500 is not repeated', async () => {
    faults({ failMutation: { nth: 1, mode: 'after' } });
    const { pagerduty } = provider();
    const before = sandbox.emulators.pagerduty.logEntries(SEED_INCIDENTS.euApiLatency).length;
    expect(
      await pagerduty.reassignIncident(SEED_INCIDENTS.euApiLatency, bob.pagerduty, alice.email),
    ).toMatchObject({
      assigneeIds: [bob.pagerduty],
    });
    expect(sandbox.emulators.pagerduty.logEntries(SEED_INCIDENTS.euApiLatency)).toHaveLength(before + 1);
    expect(sent().filter((s) => s.startsWith('PUT'))).toHaveLength(1);
  });

  it('a 4xx is never retried', async () => {
    const { pagerduty, sleeps } = provider();
    const error = await providerError(
      pagerduty.reassignIncident(SEED_INCIDENTS.euApiLatency, 'PNOBODY', alice.email),
    );
    expect(error).toMatchObject({
      kind: 'invalid',
      status: 400,
      detail: 'Assigned To User Not Found (code 1007)',
    });
    expect(sent()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['a wrong token', 'u+not-the-sandbox-token'],
    ['no token', ''],
  ])('%s is an auth error, asked once', async (_case, token) => {
    const { pagerduty } = provider({ token });
    const error = await providerError(pagerduty.listIncidents({ serviceIds: [PSVC001] }));
    expect(error).toMatchObject({ kind: 'auth', status: 401, call: 'incidents.list' });
    expect(sent()).toEqual(['GET /incidents 401']);
  });

  it('no answer within the deadline is a timeout', async () => {
    faults({ pagerduty: { latencyMs: 1_000 } });
    const { pagerduty, sleeps } = provider({ retry: { timeoutMs: 50, maxAttempts: 2 } });
    const error = await providerError(pagerduty.getIncident(SEED_INCIDENTS.euApiLatency));
    expect(error).toMatchObject({ kind: 'timeout', status: undefined, detail: 'no answer within 50 ms' });
    expect(sleeps).toHaveLength(1);
  });

  it('a refused connection is a network error', async () => {
    const closed = await startClockedSandbox();
    const baseUrl = closed.sandbox.urls.pagerduty;
    await closed.sandbox.close();
    const { pagerduty } = provider({ baseUrl, retry: { maxAttempts: 2 } });
    const error = await providerError(pagerduty.getIncident(SEED_INCIDENTS.euApiLatency));
    expect(error).toMatchObject({ kind: 'network', status: undefined });
    expect(error.detail).toMatch(/ECONNREFUSED/);
  });
});

describe('the token never appears in an error', () => {
  const TOKEN = 'u+Sandbox-Secret-Token-9f8e7d';

  it.each<[string, (s: Sandbox) => FaultSettings, string | undefined]>([
    ['auth', () => ({}), undefined],
    ['rate-limited', () => ({ pagerduty: { rateLimitNext: 10 } }), 'right'],
    ['server', () => ({ pagerduty: { errorRate: 1 } }), 'right'],
    ['invalid', () => ({}), 'right'],
  ])('%s', async (kind, settings, token) => {
    faults(settings(sandbox));
    const { pagerduty } = provider({
      token: token === 'right' ? sandbox.tokens.pagerduty : TOKEN,
      retry: { maxAttempts: 2 },
    });
    const secret = token === 'right' ? sandbox.tokens.pagerduty : TOKEN;
    const error = await providerError(
      kind === 'invalid'
        ? pagerduty.addNote(SEED_INCIDENTS.euApiLatency, 'x', 'nobody@novavms.example')
        : pagerduty.getIncident(SEED_INCIDENTS.euApiLatency),
    );
    expect(error.kind).toBe(kind);
    expect(`${error.message}\n${error.detail}\n${error.stack}\n${JSON.stringify(error)}`).not.toContain(
      secret,
    );
  });

  it('even when the answer quotes it back', async () => {
    // The emulator's 401 body says "Authentication failed": a token that reads the same must not survive.
    const { pagerduty } = provider({ token: 'Authentication failed' });
    const error = await providerError(pagerduty.getIncident(SEED_INCIDENTS.euApiLatency));
    expect(error.detail).toBe('[redacted] (code 2006)');
  });

  it('network errors', async () => {
    const closed = await startClockedSandbox();
    const baseUrl = closed.sandbox.urls.pagerduty;
    await closed.sandbox.close();
    const { pagerduty } = provider({ token: TOKEN, baseUrl, retry: { maxAttempts: 1 } });
    const error = await providerError(
      pagerduty.listOnCalls(PSCH001, PINNED_NOW.toISOString(), PINNED_NOW.toISOString()),
    );
    expect(`${error.message}\n${error.stack}`).not.toContain(TOKEN);
  });
});
