import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformProvider } from '../../src/providers/platform.js';
import type { RetryPolicy } from '../../src/providers/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PATTERNS } from '../../src/sandbox/platform/requests.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import type { FaultSettings } from '../../src/sandbox/types.js';
import { loadPlatformOpenApi, type PlatformOpenApi } from './platform-openapi.js';

const S = PLATFORM_SEED;
const NOW = new Date('2026-11-26T15:00:00.000Z');

let api: PlatformOpenApi;
let sandbox: Sandbox;

beforeAll(() => {
  api = loadPlatformOpenApi();
});
beforeEach(async () => {
  sandbox = await startSandbox({ now: () => NOW });
});
afterEach(async () => {
  await sandbox.close();
});

interface Call {
  method: string;
  /** Path and query below the API root. */
  path: string;
  body?: unknown;
  /** `null`: send no Authorization header. */
  token?: string | null;
}

async function send(call: Call): Promise<{ status: number; headers: Headers; body: unknown }> {
  const token = call.token === undefined ? sandbox.tokens.platform : call.token;
  const response = await fetch(`${sandbox.urls.platform}${call.path}`, {
    method: call.method,
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const annotation = {
  rampPercent: 25,
  lastErrorRatePercent: 0.42,
  nextStep: 'Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%.',
  author: 'alice',
};
const link = { url: S.engineeringIssueUrl, kind: 'engineering_issue' };

interface Case {
  name: string;
  call: Call;
  status: number;
  /** Calls made first (their answers are checked against the contract too). */
  before?: Call[];
  faults?: FaultSettings;
}

const cases: Case[] = [
  {
    name: 'the pinned-ticket view',
    call: { method: 'GET', path: '/tickets?assignee=alice&pinned=true' },
    status: 200,
  },
  { name: 'a page of tickets with a cursor', call: { method: 'GET', path: '/tickets?limit=2' }, status: 200 },
  { name: 'a bad pinned filter', call: { method: 'GET', path: '/tickets?pinned=yes' }, status: 400 },
  { name: 'a misspelt filter', call: { method: 'GET', path: '/tickets?asignee=alice' }, status: 400 },
  { name: 'a limit out of range', call: { method: 'GET', path: '/tickets?limit=1000' }, status: 400 },
  { name: 'a forged cursor', call: { method: 'GET', path: '/tickets?cursor=bm9wZQ' }, status: 400 },
  { name: 'no token', call: { method: 'GET', path: '/tickets', token: null }, status: 401 },
  { name: 'a wrong token', call: { method: 'GET', path: '/tickets', token: 'nope' }, status: 401 },
  { name: 'one ticket', call: { method: 'GET', path: `/tickets/${S.ticketActive}` }, status: 200 },
  { name: 'a missing ticket', call: { method: 'GET', path: '/tickets/SUP-9999' }, status: 404 },
  {
    name: 'reassigning and relabelling',
    call: {
      method: 'PATCH',
      path: `/tickets/${S.ticketWaitingOnCustomer}`,
      body: { assignee: 'bob', labels: ['waiting_on_customer'] },
    },
    status: 200,
  },
  {
    name: 'an unknown field in a patch',
    call: {
      method: 'PATCH',
      path: `/tickets/${S.ticketWaitingOnCustomer}`,
      body: { assignee: 'bob', colour: 'red' },
    },
    status: 400,
  },
  {
    name: 'a body that is not JSON',
    call: { method: 'PATCH', path: `/tickets/${S.ticketActive}`, body: 'bob' },
    status: 400,
  },
  {
    name: 'linking an engineering issue',
    call: { method: 'POST', path: `/tickets/${S.ticketWaitingOnEngineering}/links`, body: link },
    status: 201,
  },
  {
    name: 'linking it again',
    before: [{ method: 'POST', path: `/tickets/${S.ticketWaitingOnEngineering}/links`, body: link }],
    call: { method: 'POST', path: `/tickets/${S.ticketWaitingOnEngineering}/links`, body: link },
    status: 200,
  },
  {
    name: 'a link that is not an http URL',
    call: {
      method: 'POST',
      path: `/tickets/${S.ticketWaitingOnEngineering}/links`,
      body: { ...link, url: 'javascript:alert(1)' },
    },
    status: 400,
  },
  {
    name: "a ticket's comments",
    call: { method: 'GET', path: `/tickets/${S.ticketActive}/comments` },
    status: 200,
  },
  {
    name: "a missing ticket's comments",
    call: { method: 'GET', path: '/tickets/SUP-9999/comments' },
    status: 404,
  },
  {
    name: 'open sessions',
    call: { method: 'GET', path: '/impersonation-sessions?admin=alice&status=open' },
    status: 200,
  },
  { name: 'sessions of nobody', call: { method: 'GET', path: '/impersonation-sessions' }, status: 400 },
  {
    name: 'ending a session',
    call: { method: 'POST', path: `/impersonation-sessions/${S.sessionOnActiveTicket}/end` },
    status: 200,
  },
  {
    name: 'ending an ended session',
    call: { method: 'POST', path: `/impersonation-sessions/${S.sessionEnded}/end` },
    status: 409,
  },
  {
    name: 'ending a missing session',
    call: { method: 'POST', path: '/impersonation-sessions/imp_nope/end' },
    status: 404,
  },
  {
    name: 'ending a session with a body',
    call: {
      method: 'POST',
      path: `/impersonation-sessions/${S.sessionOnActiveTicket}/end`,
      body: { token: 'x' },
    },
    status: 400,
  },
  {
    name: 'rollouts in flight',
    call: { method: 'GET', path: '/rollouts?state=ramping,paused' },
    status: 200,
  },
  { name: 'every rollout', call: { method: 'GET', path: '/rollouts' }, status: 200 },
  { name: 'an unknown rollout state', call: { method: 'GET', path: '/rollouts?state=flying' }, status: 400 },
  {
    name: 'annotating',
    call: { method: 'POST', path: `/rollouts/${S.rolloutRamping}/annotations`, body: annotation },
    status: 201,
  },
  {
    name: 'a ramp above 100%',
    call: {
      method: 'POST',
      path: `/rollouts/${S.rolloutRamping}/annotations`,
      body: { ...annotation, rampPercent: 101 },
    },
    status: 400,
  },
  {
    name: 'annotating a missing rollout',
    call: { method: 'POST', path: '/rollouts/no-such-flag/annotations', body: annotation },
    status: 404,
  },
  {
    name: 'taking the annotation over',
    call: { method: 'PUT', path: `/rollouts/${S.rolloutRamping}/annotation-owner`, body: { owner: 'bob' } },
    status: 200,
  },
  {
    name: 'an owner the platform does not know',
    call: {
      method: 'PUT',
      path: `/rollouts/${S.rolloutRamping}/annotation-owner`,
      body: { owner: 'mallory' },
    },
    status: 400,
  },
  {
    name: 'the audit trail of ended sessions',
    call: {
      method: 'GET',
      path: '/audit-log?action=platform.impersonation_ended&actor=alice&since=2026-11-01T00:00:00Z',
    },
    status: 200,
  },
  {
    name: 'an audit time that is not a time',
    call: { method: 'GET', path: '/audit-log?since=yesterday' },
    status: 400,
  },
  { name: 'a path the API does not have', call: { method: 'GET', path: '/users' }, status: 404 },
  {
    name: 'a method the path does not take',
    call: { method: 'DELETE', path: `/tickets/${S.ticketActive}` },
    status: 405,
  },
  {
    name: 'a rate limit',
    faults: { platform: { rateLimitNext: 1 } },
    call: { method: 'GET', path: '/rollouts' },
    status: 429,
  },
  {
    name: 'a server failure',
    faults: { platform: { serverErrorNext: 1 } },
    call: { method: 'GET', path: '/rollouts' },
    status: 500,
  },
];

describe('the platform emulator answers as schemas/platform-api.openapi.yaml says', () => {
  it.each(cases)('$name → $status', async ({ call, status, before, faults }) => {
    for (const earlier of before ?? []) {
      const answer = await send(earlier);
      expect(
        api.checkResponse(earlier.method, pathOf(earlier), answer.status, answer.headers, answer.body),
      ).toEqual([]);
    }
    if (faults) sandbox.faults.set(faults);
    const answer = await send(call);
    expect(answer.status).toBe(status);
    expect(api.checkResponse(call.method, pathOf(call), answer.status, answer.headers, answer.body)).toEqual(
      [],
    );
  });

  it('a request outside the token scopes answers 403 forbidden with X-Token-Scopes, as declared', async () => {
    sandbox.emulators.platform.setTokenScopes(['tickets:read']);
    const calls: Call[] = [
      { method: 'PATCH', path: `/tickets/${S.ticketActive}`, body: { assignee: 'bob' } },
      { method: 'POST', path: `/tickets/${S.ticketActive}/links`, body: link },
      { method: 'POST', path: `/impersonation-sessions/${S.sessionOnActiveTicket}/end` },
      { method: 'POST', path: `/rollouts/${S.rolloutRamping}/annotations`, body: annotation },
      { method: 'PUT', path: `/rollouts/${S.rolloutRamping}/annotation-owner`, body: { owner: 'bob' } },
      {
        method: 'GET',
        path: '/audit-log?action=platform.impersonation_ended&actor=alice&since=2026-11-01T00:00:00Z',
      },
    ];
    for (const call of calls) {
      const answer = await send(call);
      expect([call.path, answer.status]).toEqual([call.path, 403]);
      expect(answer.headers.get('x-token-scopes')).toBe('tickets:read');
      expect(
        api.checkResponse(call.method, pathOf(call), answer.status, answer.headers, answer.body),
      ).toEqual([]);
    }
    const read = await send({ method: 'GET', path: `/tickets/${S.ticketActive}` });
    expect([read.status, read.headers.get('x-token-scopes')]).toEqual([200, 'tickets:read']);
  });

  it('pages carry a cursor that leads to the rest, and only with the same filters', async () => {
    const first = await send({ method: 'GET', path: '/tickets?assignee=alice&limit=2' });
    const cursor = (first.body as { nextCursor: string }).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await send({ method: 'GET', path: `/tickets?assignee=alice&limit=2&cursor=${cursor}` });
    expect(second.status).toBe(200);
    const other = await send({ method: 'GET', path: `/tickets?assignee=dana&limit=2&cursor=${cursor}` });
    expect(other.status).toBe(400);
  });

  it('the 401 answer tells the client how to authenticate', async () => {
    const answer = await send({ method: 'GET', path: '/rollouts', token: null });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
});

describe('the contract itself', () => {
  const endpoints = [
    ['get', '/tickets'],
    ['get', '/tickets/{id}'],
    ['patch', '/tickets/{id}'],
    ['post', '/tickets/{id}/links'],
    ['get', '/tickets/{id}/comments'],
    ['get', '/impersonation-sessions'],
    ['post', '/impersonation-sessions/{id}/end'],
    ['get', '/rollouts'],
    ['post', '/rollouts/{flag}/annotations'],
    ['put', '/rollouts/{flag}/annotation-owner'],
    ['get', '/audit-log'],
  ] as const;

  it('has exactly the endpoints of docs/design.md#the-platform-admin-api', () => {
    const documented = Object.entries(api.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((key) => ['get', 'post', 'patch', 'put', 'delete'].includes(key))
        .map((method) => [method, path]),
    );
    expect(documented.sort()).toEqual(endpoints.map(([m, p]) => [m, p]).sort());
  });

  it('never has a token field: impersonation tokens are per-human and never travel', () => {
    const names: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (record.properties && typeof record.properties === 'object')
          names.push(...Object.keys(record.properties));
        Object.values(record).forEach(walk);
      }
    };
    walk(api.doc.components);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => /token/i.test(name))).toEqual([]);
  });

  it('every answer is documented with an error body for each error status', () => {
    for (const [method, path] of endpoints) {
      const responses = Object.keys(api.paths[path]![method]!.responses);
      expect(responses, `${method} ${path}`).toEqual(expect.arrayContaining(['401', '429', '500']));
    }
  });

  it.each(Object.entries(PATTERNS))(
    'the emulator checks %s with the pattern the contract documents',
    (name, pattern) => {
      const schemaName = {
        handle: 'Handle',
        ticketId: 'TicketId',
        sessionId: 'SessionId',
        flag: 'Flag',
        label: 'Label',
        auditAction: 'AuditAction',
      }[name]!;
      const schema = (api.doc.components as { schemas: Record<string, { pattern: string }> }).schemas[
        schemaName
      ]!;
      expect(pattern.source).toBe(schema.pattern);
    },
  );
});

describe('the emulator refuses what the contract refuses', () => {
  const refusals: Array<[string, string, string, unknown]> = [
    ['an empty patch', 'PATCH', `/tickets/${S.ticketActive}`, {}],
    ['labels that are not a list', 'PATCH', `/tickets/${S.ticketActive}`, { labels: 'billing' }],
    ['a label twice', 'PATCH', `/tickets/${S.ticketActive}`, { labels: ['a', 'a'] }],
    ['a label with spaces', 'PATCH', `/tickets/${S.ticketActive}`, { labels: ['waiting on customer'] }],
    ['an assignee with capitals', 'PATCH', `/tickets/${S.ticketActive}`, { assignee: 'Bob' }],
    [
      'a link of another kind',
      'POST',
      `/tickets/${S.ticketActive}/links`,
      { url: S.engineeringIssueUrl, kind: 'duplicate' },
    ],
    ['a link without a url', 'POST', `/tickets/${S.ticketActive}/links`, { kind: 'engineering_issue' }],
    [
      'an annotation without a next step',
      'POST',
      `/rollouts/${S.rolloutRamping}/annotations`,
      { ...annotation, nextStep: undefined },
    ],
    [
      'a negative error rate',
      'POST',
      `/rollouts/${S.rolloutRamping}/annotations`,
      { ...annotation, lastErrorRatePercent: -1 },
    ],
    [
      'a ramp given as text',
      'POST',
      `/rollouts/${S.rolloutRamping}/annotations`,
      { ...annotation, rampPercent: '25' },
    ],
    [
      'an annotation with a token',
      'POST',
      `/rollouts/${S.rolloutRamping}/annotations`,
      { ...annotation, token: 'x' },
    ],
    ['an owner list', 'PUT', `/rollouts/${S.rolloutRamping}/annotation-owner`, { owner: ['bob'] }],
  ];

  it.each(refusals)('%s', async (_name, method, path, body) => {
    const json = JSON.parse(JSON.stringify(body)) as unknown;
    expect(api.checkRequestBody(method, path, json)).not.toEqual([]);
    const answer = await send({ method, path, body: json });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_request', message: expect.any(String) } });
  });
});

describe('the provider speaks the contract', () => {
  it('every request body it sends is one the contract accepts', async () => {
    const retry: RetryPolicy = {
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      timeoutMs: 5000,
      sleep: async () => {},
      random: () => 0,
    };
    const platform = createPlatformProvider({
      baseUrl: sandbox.urls.platform,
      token: sandbox.tokens.platform,
      retry,
      concurrency: 2,
    });
    await platform.listTickets({ assignee: 'alice', pinned: true });
    await platform.getTicket(S.ticketActive);
    await platform.updateTicket(S.ticketWaitingOnCustomer, {
      assignee: 'bob',
      labels: ['waiting_on_customer'],
    });
    await platform.updateTicket(S.ticketActive, { assignee: 'bob' });
    await platform.addTicketLink(S.ticketWaitingOnEngineering, {
      url: S.engineeringIssueUrl,
      kind: 'engineering_issue',
    });
    await platform.listTicketComments(S.ticketActive);
    await platform.listImpersonationSessions({ admin: 'alice', status: 'open' });
    await platform.endImpersonationSession(S.sessionOnActiveTicket);
    await platform.listRollouts(['ramping', 'paused']);
    await platform.annotateRollout(S.rolloutRamping, annotation);
    await platform.setAnnotationOwner(S.rolloutRamping, 'bob');
    await platform.listAuditEvents({
      action: 'platform.impersonation_ended',
      actor: 'alice',
      since: NOW.toISOString(),
    });

    const sent = sandbox.requests.filter((r) => r.service === 'platform');
    expect(sent).toHaveLength(12);
    for (const request of sent) {
      expect(request.status, `${request.method} ${request.path}`).toBeLessThan(300);
      expect(api.checkRequestBody(request.method, request.path, request.body)).toEqual([]);
      expect(request.headers.accept).toBe('application/json');
    }
  });
});

function pathOf(call: Call): string {
  return call.path.split('?')[0]!;
}
