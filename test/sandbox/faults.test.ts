import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import type { FaultSettings } from '../../src/sandbox/types.js';

const S = PLATFORM_SEED;
const START = Date.parse('2026-11-26T15:00:00.000Z');

let sandbox: Sandbox;
let clock: number;

beforeEach(async () => {
  clock = START;
  sandbox = await startSandbox({ now: () => new Date(clock) });
});
afterEach(async () => {
  await sandbox.close();
});

/** One platform API request over HTTP; the answer's status and Retry-After. */
async function platform(
  method: string,
  path: string,
  body?: unknown,
  token = sandbox.tokens.platform,
): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await fetch(`${sandbox.urls.platform}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}

/** A mutating request to another service: PagerDuty counts every POST as a mutation, whatever it answers. */
async function pagerDutyMutation(): Promise<void> {
  const response = await fetch(`${sandbox.urls.pagerduty}/incidents/QNOSUCHINCIDENT/notes`, {
    method: 'POST',
    headers: {
      authorization: `Token token=${sandbox.tokens.pagerduty}`,
      accept: 'application/vnd.pagerduty+json;version=2',
      'content-type': 'application/json',
      from: 'alice@novavms.example',
    },
    body: JSON.stringify({ note: { content: 'counted' } }),
  });
  await response.arrayBuffer();
}

async function putFaults(settings: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  return { status: response.status, body: await response.json() };
}

const statuses = async (n: number, path = '/rollouts') => {
  const seen: number[] = [];
  for (let i = 0; i < n; i += 1) seen.push((await platform('GET', path)).status);
  return seen;
};

describe('sandbox faults, injected over HTTP', () => {
  it('rateLimitNext answers the next N requests of that service 429 with Retry-After, then recovers', async () => {
    expect((await putFaults({ platform: { rateLimitNext: 2 } })).status).toBe(200);
    const first = await platform('GET', '/rollouts');
    expect(first).toMatchObject({ status: 429, retryAfter: '1', body: { error: { code: 'rate_limited' } } });
    expect(await statuses(2)).toEqual([429, 200]);
  });

  it('a fault of one service leaves the others alone', async () => {
    sandbox.faults.set({ pagerduty: { rateLimitNext: 5, serverErrorNext: 5 } });
    expect(await statuses(3)).toEqual([200, 200, 200]);
  });

  it('serverErrorNext answers the service’s own 500', async () => {
    sandbox.faults.set({ platform: { serverErrorNext: 1 } });
    const failed = await platform('GET', '/rollouts');
    expect(failed).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect(await statuses(1)).toEqual([200]);
  });

  it('a rate-limit window counts requests per token on the sandbox clock', async () => {
    sandbox.faults.set({ platform: { rateLimit: { requests: 2, windowMs: 60_000 } } });
    expect(await statuses(2)).toEqual([200, 200]);
    expect((await platform('GET', '/rollouts')).retryAfter).toBe('60');
    clock += 15_000;
    const later = await platform('GET', '/rollouts');
    expect(later).toMatchObject({ status: 429, retryAfter: '45' });
    // A request without valid credentials is refused before it can use up the window.
    expect((await platform('GET', '/rollouts', undefined, 'wrong')).status).toBe(401);
    clock += 45_000;
    expect(await statuses(3)).toEqual([200, 200, 429]);
  });

  it('errorRate draws from a seeded generator: the same seed fails the same requests', async () => {
    const settings: FaultSettings = { platform: { errorRate: 0.3 }, seed: 42 };
    sandbox.faults.set(settings);
    const first = await statuses(30);
    sandbox.faults.set(settings);
    const second = await statuses(30);
    sandbox.faults.set({ ...settings, seed: 43 });
    const third = await statuses(30);
    expect(second).toEqual(first);
    expect(third).not.toEqual(first);
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(18);
  });

  it("failMutation 'before' fails the Nth mutation counted across services, changing nothing", async () => {
    sandbox.faults.set({ failMutation: { nth: 2, mode: 'before' } });
    await pagerDutyMutation(); // mutation 1
    expect((await platform('GET', `/tickets/${S.ticketActive}`)).status).toBe(200); // a read: not counted
    const failed = await platform('PATCH', `/tickets/${S.ticketActive}`, { assignee: 'bob' }); // mutation 2
    expect(failed).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect(sandbox.emulators.platform.ticket(S.ticketActive)?.assignee).toBe('alice');
    expect((await platform('PATCH', `/tickets/${S.ticketActive}`, { assignee: 'bob' })).status).toBe(200);
    expect(sandbox.emulators.platform.ticket(S.ticketActive)?.assignee).toBe('bob');
    expect(sandbox.requests.map((r) => [r.service, r.mutation, r.fault])).toEqual([
      ['pagerduty', true, 'none'],
      ['platform', false, 'none'],
      ['platform', true, 'fail-before'],
      ['platform', true, 'none'],
    ]);
    expect(sandbox.faults.mutationCount).toBe(3);
  });

  it("failMutation 'after' applies the change and still answers 500", async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'after' } });
    const failed = await platform('POST', `/impersonation-sessions/${S.sessionOnActiveTicket}/end`);
    expect(failed.status).toBe(500);
    expect(sandbox.emulators.platform.session(S.sessionOnActiveTicket)?.status).toBe('ended');
    const retried = await platform('POST', `/impersonation-sessions/${S.sessionOnActiveTicket}/end`);
    expect(retried).toMatchObject({ status: 409, body: { error: { code: 'session_not_open' } } });
  });

  it('PUT /_sandbox/faults refuses settings that would silently inject nothing, keeping the old ones', async () => {
    await putFaults({ platform: { rateLimitNext: 1 } });
    for (const wrong of [
      { platfrom: { rateLimitNext: 1 } },
      { platform: { rateLimitNxt: 1 } },
      { platform: { rateLimit: { requests: '2', windowMs: 1000 } } },
      { failMutation: { nth: 0, mode: 'before' } },
      [1],
    ]) {
      const answer = await putFaults(wrong);
      expect(answer.status, JSON.stringify(wrong)).toBe(400);
      expect(answer.body).toMatchObject({ error: { message: expect.any(String) } });
    }
    const current = await (await fetch(`${sandbox.url}/_sandbox/faults`)).json();
    expect(current).toEqual({ platform: { rateLimitNext: 1 } });
  });

  it('the fault settings in force show what is left of a countdown', async () => {
    await putFaults({ platform: { rateLimitNext: 3 } });
    await statuses(1);
    expect(await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()).toEqual({
      platform: { rateLimitNext: 2 },
    });
    const cleared = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT' });
    expect(await cleared.json()).toEqual({});
    expect(await statuses(1)).toEqual([200]);
  });
});
