import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { pagerDutyProvider, rawPagerDuty } from '../sandbox/pagerduty-helpers.js';
import { rejection, startClockedSandbox } from '../support/sandbox.js';
import {
  loadPagerDutyDescription,
  PAGERDUTY_SPEC_PATH,
  type PagerDutyDescription,
} from './pagerduty-openapi.js';

const description = loadPagerDutyDescription();
const title = description
  ? 'the PagerDuty emulator and provider conform to PagerDuty’s published OpenAPI description'
  : `PagerDuty OpenAPI conformance (skipped: ${PAGERDUTY_SPEC_PATH} not found; set HANDOVER_SPECS_DIR)`;

type Method = 'GET' | 'PUT' | 'POST';
type RawOptions = NonNullable<Parameters<typeof rawPagerDuty>[3]>;

const alice = SEED_ADMINS.alice;
const bob = SEED_ADMINS.bob;
const schedule = SEED_IDS.pagerdutyScheduleId;

describe.skipIf(!description)(title, () => {
  const spec = description as PagerDutyDescription;
  let sandbox: Sandbox;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ sandbox } = await startClockedSandbox());
    close = () => sandbox.close();
  });
  afterAll(() => close());

  /** Sends one request with pdjs and checks the answer against the description. */
  async function answerConforms(method: Method, path: string, options: RawOptions = {}): Promise<number> {
    const answer = await rawPagerDuty(sandbox, method, path, options);
    expect(spec.checkResponse(method, path, answer.status, answer.data)).toEqual([]);
    return answer.status;
  }

  describe('every answer the emulator gives has a declared status and a body of the declared shape', () => {
    const incident = SEED_INCIDENTS.euApiLatency;
    it.each([
      [
        'GET',
        '/incidents',
        { query: { 'service_ids[]': [SEED_IDS.pagerdutyServiceId], total: 'true' } },
        200,
      ],
      ['GET', '/incidents', { query: { 'statuses[]': ['open'] } }, 400],
      ['GET', `/incidents/${incident}`, {}, 200],
      ['GET', '/incidents/QNOSUCHINCIDENT', {}, 404],
      ['GET', `/incidents/${incident}/notes`, {}, 200],
      ['GET', `/incidents/${incident}/log_entries`, { query: { limit: '5' } }, 200],
      ['GET', `/incidents/${SEED_INCIDENTS.controlPlaneOutage}/log_entries`, {}, 200],
      [
        'GET',
        `/schedules/${schedule}/overrides`,
        { query: { since: '2026-11-01T00:00:00Z', until: '2026-12-31T00:00:00Z' } },
        200,
      ],
      [
        'GET',
        '/oncalls',
        {
          query: {
            'schedule_ids[]': [schedule],
            since: '2026-11-26T00:00:00Z',
            until: '2026-12-20T00:00:00Z',
          },
        },
        200,
      ],
      ['GET', '/users', { query: { query: 'a' } }, 200],
      ['GET', '/incidents', { token: 'not-the-token' }, 401],
    ] satisfies [Method, string, RawOptions, number][])(
      '%s %s %j → %i',
      async (method, path, options, status) => {
        expect(await answerConforms(method, path, options)).toBe(status);
      },
    );

    it('writes: reassignment, acknowledgement, bulk update, notes, overrides (including a failed item)', async () => {
      const assign = {
        incident: {
          type: 'incident_reference',
          assignments: [{ assignee: { id: bob.pagerduty, type: 'user_reference' } }],
        },
      };
      expect(
        await answerConforms('PUT', `/incidents/${SEED_INCIDENTS.buildRunnerDisk}`, {
          body: assign,
          from: alice.email,
        }),
      ).toBe(200);
      expect(
        await answerConforms('PUT', `/incidents/${SEED_INCIDENTS.buildRunnerDisk}`, {
          body: { incident: { type: 'incident_reference', status: 'acknowledged' } },
          from: bob.email,
        }),
      ).toBe(200);
      expect(
        await answerConforms('PUT', `/incidents/${SEED_INCIDENTS.buildRunnerDisk}`, { body: assign }),
      ).toBe(400);
      expect(
        await answerConforms('PUT', '/incidents', {
          body: {
            incidents: [
              { id: SEED_INCIDENTS.adminCertificate, type: 'incident_reference', status: 'acknowledged' },
            ],
          },
          from: alice.email,
        }),
      ).toBe(200);
      expect(
        await answerConforms('POST', `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`, {
          body: { note: { content: 'Handing over to Bob.' } },
          from: alice.email,
        }),
      ).toBe(200);
      expect(
        await answerConforms('POST', `/schedules/${schedule}/overrides`, {
          body: {
            overrides: [
              {
                start: '2026-11-26T16:00:00Z',
                end: '2026-11-26T18:00:00Z',
                user: { id: bob.pagerduty, type: 'user_reference' },
              },
              {
                start: '2026-11-26T18:00:00Z',
                end: '2026-11-26T18:00:00Z',
                user: { id: bob.pagerduty, type: 'user_reference' },
              },
            ],
          },
        }),
      ).toBe(201);
    });

    it('the rate-limit and server-error answers', async () => {
      // pdjs sends a 429 three more times by itself: four in a row reach the caller.
      sandbox.faults.set({ pagerduty: { rateLimitNext: 4 } });
      expect(await answerConforms('GET', '/users')).toBe(429);
      sandbox.faults.set({ pagerduty: { serverErrorNext: 1 } });
      expect(await answerConforms('GET', '/users')).toBe(500);
      sandbox.faults.set({});
    });

    it('the 403 refusals of a read-only key and of a read-only role (the Forbidden response)', async () => {
      const pd = sandbox.emulators.pagerduty;
      const note = { body: { note: { content: 'x' } }, from: alice.email };
      const bulk = {
        body: {
          incidents: [
            { id: SEED_INCIDENTS.euApiLatency, type: 'incident_reference', status: 'acknowledged' },
          ],
        },
        from: alice.email,
      };
      try {
        pd.setApiKey({ kind: 'read-only' });
        expect(await answerConforms('POST', `/incidents/${SEED_INCIDENTS.euApiLatency}/notes`, note)).toBe(
          403,
        );
        expect(await answerConforms('PUT', '/incidents', bulk)).toBe(403);
        expect(
          await answerConforms('POST', `/schedules/${schedule}/overrides`, {
            body: {
              overrides: [
                {
                  start: '2026-11-27T16:00:00Z',
                  end: '2026-11-27T18:00:00Z',
                  user: { id: bob.pagerduty, type: 'user_reference' },
                },
              ],
            },
          }),
        ).toBe(403);
        pd.setApiKey({ kind: 'general' });
        pd.setUserRole(alice.pagerduty, 'observer');
        expect(
          await answerConforms('PUT', `/incidents/${SEED_INCIDENTS.euApiLatency}`, {
            body: { incident: { type: 'incident_reference', status: 'acknowledged' } },
            from: alice.email,
          }),
        ).toBe(403);
      } finally {
        pd.setApiKey({ kind: 'general' });
        pd.setUserRole(alice.pagerduty, 'admin');
      }
    });

    it('an incident number as the {id} of GET /incidents/{id} ("either an incident id, or an incident number")', async () => {
      const number = sandbox.emulators.pagerduty.incident(SEED_INCIDENTS.euApiLatency)!.number;
      expect(await answerConforms('GET', `/incidents/${number}`)).toBe(200);
    });
  });

  it('every request the provider sends is a declared operation with declared headers, parameters and body', async () => {
    const start = sandbox.requests.length;
    const { provider } = pagerDutyProvider(sandbox);
    await provider.listIncidents({
      serviceIds: [SEED_IDS.pagerdutyServiceId],
      statuses: ['triggered', 'acknowledged'],
      userIds: [alice.pagerduty],
    });
    await provider.getIncident(SEED_INCIDENTS.euApiLatency);
    await provider.reassignIncident(SEED_INCIDENTS.euApiLatency, bob.pagerduty, alice.email);
    await provider.acknowledgeIncident(SEED_INCIDENTS.euApiLatency, bob.email);
    await provider.addNote(SEED_INCIDENTS.euApiLatency, 'Status: watching p99.', alice.email);
    await provider.listNotes(SEED_INCIDENTS.euApiLatency);
    await provider.listLogEntries(SEED_INCIDENTS.euApiLatency);
    await provider.createOverride(schedule, {
      start: '2026-11-27T16:00:00Z',
      end: '2026-11-27T18:00:00Z',
      userId: bob.pagerduty,
    });
    await rejection(
      provider.createOverride(schedule, {
        start: '2026-11-27T18:00:00Z',
        end: '2026-11-27T16:00:00Z',
        userId: bob.pagerduty,
      }),
    );
    await provider.listOverrides(schedule, '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z');
    await provider.listOnCalls(schedule, '2026-11-26T00:00:00Z', '2026-12-20T00:00:00Z');
    await provider.findUsers('bob');

    const sent = sandbox.requests.slice(start).filter((request) => request.service === 'pagerduty');
    expect(sent.length).toBeGreaterThanOrEqual(12);
    expect(sent.flatMap((request) => spec.checkRequest(request))).toEqual([]);
  });

  it('the checks can fail: an answer of the wrong shape is caught', () => {
    const problems = spec.checkResponse('GET', '/incidents/Q1', 200, {
      incident: { id: 'Q1', status: 'open' },
    });
    expect(problems.join('\n')).toMatch(/\/incident\/status must be equal to one of the allowed values/);
    expect(spec.checkResponse('GET', '/incidents/Q1', 404, { error: { code: '2100' } }).join('\n')).toMatch(
      /\/error\/code must be integer/,
    );
    expect(spec.checkResponse('GET', '/incidents/Q1', 204, undefined)).toEqual([
      'GET /incidents/{id}: status 204 is not declared',
    ]);
  });

  it('each known divergence is needed: the description as published refuses those answers', async () => {
    const published = loadPagerDutyDescription({ applyKnownDivergences: false })!;
    const open = await rawPagerDuty(sandbox, 'GET', `/incidents/${SEED_INCIDENTS.sessionErrors}`);
    expect(published.checkResponse('GET', '/incidents/x', 200, open.data).join('\n')).toMatch(
      /\/incident\/resolved_at must be string/,
    );
    const log = await rawPagerDuty(
      sandbox,
      'GET',
      `/incidents/${SEED_INCIDENTS.controlPlaneOutage}/log_entries`,
    );
    const problems = published.checkResponse('GET', '/incidents/x/log_entries', 200, log.data).join('\n');
    expect(problems).toMatch(/channel must match exactly one schema in oneOf/);
    expect(problems).toMatch(/"allowedValues":\["acknowledgement_log_entry"\]/);
  });

  it('the checks can fail: a request that breaks the description is caught', () => {
    const problems = spec.checkRequest({
      service: 'pagerduty',
      method: 'PUT',
      path: '/incidents/Q1',
      query: '?bogus=1',
      headers: { accept: 'application/vnd.pagerduty+json;version=2', 'content-type': 'text/plain' },
      body: { incident: { status: 'acknowledged' } },
      status: 200,
      mutation: true,
      fault: 'none',
    });
    expect(problems.join('\n')).toMatch(/required header From is missing/);
    expect(problems.join('\n')).toMatch(/header Content-Type/);
    expect(problems.join('\n')).toMatch(/query parameter bogus is not declared/);
    expect(problems.join('\n')).toMatch(/body: \/incident must have required property 'type'/);
  });
});
