import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformProvider, isSessionNotOpen, PlatformApiError } from '../../src/providers/platform.js';
import { type PlatformProvider, ProviderError, type RetryPolicy } from '../../src/providers/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import type { FaultSettings } from '../../src/sandbox/types.js';
import { recordingRetry } from '../support/retry.js';
import { rejection, requestsTo } from '../support/sandbox.js';

const NOW = new Date('2026-11-26T15:00:00.000Z');
const S = PLATFORM_SEED;

let sandbox: Sandbox;
let sleeps: number[];
let platform: PlatformProvider;

function provider(token = sandbox.tokens.platform, retry: Partial<RetryPolicy> = {}) {
  const recorded = recordingRetry(retry);
  sleeps = recorded.sleeps;
  return createPlatformProvider({
    baseUrl: sandbox.urls.platform,
    token,
    retry: recorded.policy,
    concurrency: 4,
  });
}

function platformRequests() {
  return requestsTo(sandbox, 'platform');
}

function setFaults(settings: FaultSettings) {
  sandbox.faults.set(settings);
}

async function failure(promise: Promise<unknown>): Promise<PlatformApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(PlatformApiError);
  expect(error).toBeInstanceOf(ProviderError);
  return error as PlatformApiError;
}

beforeEach(async () => {
  sandbox = await startSandbox({ now: () => NOW });
  platform = provider();
});

afterEach(async () => {
  await sandbox.close();
});

describe('platform provider: reading the tracker', () => {
  it("lists the outgoing admin's pinned tickets in every disposition, closed ones included", async () => {
    const tickets = await platform.listTickets({ assignee: 'alice', pinned: true });
    expect(tickets.map((t) => [t.id, t.status, t.waitingOn])).toEqual([
      [S.ticketClosedPinned, 'closed', null],
      [S.ticketWaitingOnCustomer, 'pending', 'customer'],
      [S.ticketWaitingOnEngineering, 'pending', 'engineering'],
      [S.ticketActive, 'open', null],
    ]);
    expect(tickets.every((t) => t.assignee === 'alice' && t.pinned)).toBe(true);
  });

  it('without the pinned filter also lists unpinned tickets', async () => {
    const tickets = await platform.listTickets({ assignee: 'alice' });
    expect(tickets.map((t) => t.id)).toEqual(expect.arrayContaining([...S.ticketsUnpinned]));
    expect(tickets.some((t) => t.assignee !== 'alice')).toBe(false);
  });

  it('follows every page of a long list', async () => {
    for (let n = 1; n <= 230; n += 1) {
      sandbox.emulators.platform.addTicket({ id: `LOAD-${n}`, assignee: 'bob', pinned: true });
    }
    const tickets = await platform.listTickets({ assignee: 'bob', pinned: true });
    expect(tickets).toHaveLength(230);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(230);
    expect(tickets[0]!.id).toBe('LOAD-1');
    expect(tickets.at(-1)!.id).toBe('LOAD-230');
    const pages = platformRequests().filter((r) => r.path === '/tickets');
    expect(pages).toHaveLength(3);
    expect(pages[0]!.query).not.toContain('cursor=');
    expect(pages[1]!.query).toContain('cursor=');
  });

  it('reads one ticket, and names a missing one without retrying', async () => {
    expect((await platform.getTicket(S.ticketActive)).title).toMatch(/acme-corp/);
    const error = await failure(platform.getTicket('SUP-9999'));
    expect(error).toMatchObject({ kind: 'not-found', status: 404, code: 'not_found', call: 'tickets.get' });
    expect(error.message).toContain('SUP-9999');
    expect(sleeps).toEqual([]);
  });

  it("lists a ticket's comments oldest first", async () => {
    const comments = await platform.listTicketComments(S.ticketWaitingOnCustomer);
    expect(comments.map((c) => c.author)).toEqual(['alice', 'jmiller.umbrella']);
    expect(Date.parse(comments[0]!.createdAt)).toBeLessThan(Date.parse(comments[1]!.createdAt));
  });
});

describe('platform provider: changing tickets', () => {
  it('reassigns a ticket and replaces its labels', async () => {
    const ticket = await platform.updateTicket(S.ticketWaitingOnCustomer, {
      assignee: 'bob',
      labels: ['storage', 'waiting_on_customer'],
    });
    expect(ticket).toMatchObject({ assignee: 'bob', labels: ['storage', 'waiting_on_customer'] });
    expect(ticket.updatedAt).toBe(NOW.toISOString());
    const replaced = await platform.updateTicket(S.ticketWaitingOnCustomer, {
      labels: ['waiting_on_customer'],
    });
    expect(replaced.labels).toEqual(['waiting_on_customer']);
    expect(sandbox.emulators.platform.ticket(S.ticketWaitingOnCustomer)?.assignee).toBe('bob');
  });

  it('refuses to assign a ticket to someone the platform does not know, without retrying', async () => {
    const error = await failure(platform.updateTicket(S.ticketActive, { assignee: 'bbo' }));
    expect(error).toMatchObject({
      kind: 'invalid',
      status: 400,
      code: 'invalid_request',
      object: S.ticketActive,
    });
    expect(error.detail).toContain("'bbo'");
    expect(platformRequests().filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(sandbox.emulators.platform.ticket(S.ticketActive)?.assignee).toBe('alice');
  });

  it('links an engineering issue once, however often it is asked', async () => {
    const link = { url: S.engineeringIssueUrl, kind: 'engineering_issue' as const };
    const first = await platform.addTicketLink(S.ticketWaitingOnEngineering, link);
    const second = await platform.addTicketLink(S.ticketWaitingOnEngineering, link);
    expect(first.links).toEqual([link]);
    expect(second.links).toEqual([link]);
    expect(platformRequests().map((r) => r.status)).toEqual([201, 200]);
  });
});

describe('platform provider: impersonation sessions', () => {
  it("lists only one admin's open sessions", async () => {
    const sessions = await platform.listImpersonationSessions({ admin: 'alice', status: 'open' });
    expect(sessions.map((s) => [s.id, s.ticketId])).toEqual([
      [S.sessionNotOnPinnedTicket, 'SUP-4390'],
      [S.sessionOnActiveTicket, S.ticketActive],
    ]);
    const all = await platform.listImpersonationSessions({ admin: 'alice' });
    expect(all.map((s) => s.id)).toContain(S.sessionEnded);
    expect(all.some((s) => s.admin !== 'alice')).toBe(false);
  });

  it('ends a session and the audit log names the human whose session it was', async () => {
    const ended = await platform.endImpersonationSession(S.sessionOnActiveTicket);
    expect(ended).toMatchObject({ status: 'ended', endedAt: NOW.toISOString(), admin: 'alice' });
    expect(JSON.stringify(ended)).not.toMatch(/token/i);
    const events = await platform.listAuditEvents({
      action: 'platform.impersonation_ended',
      actor: 'alice',
      since: NOW.toISOString(),
    });
    expect(events).toEqual([
      expect.objectContaining({ actor: 'alice', target: S.sessionOnActiveTicket, at: NOW.toISOString() }),
    ]);
    expect(sandbox.emulators.platform.session(S.sessionOfDana)?.status).toBe('open');
  });

  it('reports ending an already-ended session as session_not_open, distinguishable and not retried', async () => {
    const error = await failure(platform.endImpersonationSession(S.sessionEnded));
    expect(isSessionNotOpen(error)).toBe(true);
    expect(error).toMatchObject({
      kind: 'invalid',
      status: 409,
      call: 'impersonation.end',
      object: S.sessionEnded,
    });
    expect(sleeps).toEqual([]);
    expect(isSessionNotOpen(await failure(platform.getTicket('SUP-9999')))).toBe(false);
  });

  it('a 500 after the session was really ended surfaces as session_not_open on the retry, with one audit event', async () => {
    setFaults({ failMutation: { nth: 1, mode: 'after' } });
    const error = await failure(platform.endImpersonationSession(S.sessionOnActiveTicket));
    expect(isSessionNotOpen(error)).toBe(true);
    expect(platformRequests().map((r) => [r.status, r.fault])).toEqual([
      [500, 'fail-after'],
      [409, 'none'],
    ]);
    const endedEvents = sandbox.emulators.platform
      .auditLog()
      .filter((e) => e.action === 'platform.impersonation_ended' && e.target === S.sessionOnActiveTicket);
    expect(endedEvents).toHaveLength(1);
  });
});

describe('platform provider: rollouts and the audit log', () => {
  it('lists the rollouts in flight, and nothing for no states', async () => {
    const inFlight = await platform.listRollouts(['ramping', 'paused']);
    expect(inFlight.map((r) => [r.flag, r.state, r.rampPercent, r.errorRatePercent])).toEqual([
      [S.rolloutRamping, 'ramping', 25, 0.42],
      [S.rolloutPaused, 'paused', 10, 1.8],
    ]);
    const finished = await platform.listRollouts(['complete', 'rolled_back']);
    expect(finished.map((r) => r.flag).sort()).toEqual([S.rolloutRolledBack, S.rolloutComplete].sort());
    const before = platformRequests().length;
    expect(await platform.listRollouts([])).toEqual([]);
    expect(platformRequests()).toHaveLength(before);
  });

  it('annotates a rollout and hands its annotation to the incoming admin', async () => {
    const annotation = await platform.annotateRollout(S.rolloutRamping, {
      rampPercent: 25,
      lastErrorRatePercent: 0.42,
      nextStep: 'Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%.',
      author: 'alice',
    });
    expect(annotation).toMatchObject({ rampPercent: 25, author: 'alice', createdAt: NOW.toISOString() });
    const rollout = await platform.setAnnotationOwner(S.rolloutRamping, 'bob');
    expect(rollout.owner).toBe('bob');
    expect(rollout.annotations.at(-1)).toEqual(annotation);
    expect(rollout.annotations).toHaveLength(2);
  });

  it('filters the audit log by action, actor and time', async () => {
    const all = await platform.listAuditEvents({
      action: 'platform.impersonation_ended',
      actor: 'alice',
      since: '2026-01-01T00:00:00Z',
    });
    expect(all.map((e) => e.target)).toEqual([S.sessionEnded]);
    const recent = await platform.listAuditEvents({
      action: 'platform.impersonation_ended',
      actor: 'alice',
      since: new Date(NOW.getTime() - 60 * 60_000).toISOString(),
    });
    expect(recent).toEqual([]);
  });
});

describe('platform provider: retries and failures', () => {
  it('waits out a 429 as Retry-After says, then makes exactly one change', async () => {
    setFaults({ platform: { rateLimitNext: 2 } });
    await platform.annotateRollout(S.rolloutPaused, {
      rampPercent: 10,
      lastErrorRatePercent: 1.8,
      nextStep: 'Resume at 10% once replica lag is under 2s.',
      author: 'alice',
    });
    expect(sleeps).toEqual([1000, 1000]);
    expect(platformRequests().map((r) => r.status)).toEqual([429, 429, 201]);
    expect(sandbox.emulators.platform.rollout(S.rolloutPaused)?.annotations).toHaveLength(1);
  });

  it('never appends an annotation twice: after a 500 it fails at once, saying why', async () => {
    setFaults({ failMutation: { nth: 1, mode: 'after' } });
    const error = await failure(
      platform.annotateRollout(S.rolloutPaused, {
        rampPercent: 10,
        lastErrorRatePercent: 1.8,
        nextStep: 'Resume at 10% once replica lag is under 2s.',
        author: 'alice',
      }),
    );
    expect(error).toMatchObject({ kind: 'server', status: 500, call: 'rollouts.annotate' });
    expect(error.detail).toContain('may have taken effect');
    expect(sleeps).toEqual([]);
    expect(platformRequests()).toHaveLength(1);
    expect(sandbox.emulators.platform.rollout(S.rolloutPaused)?.annotations).toHaveLength(1);
  });

  it('retries a 5xx with growing backoff', async () => {
    setFaults({ platform: { serverErrorNext: 2 } });
    const ticket = await platform.updateTicket(S.ticketActive, { assignee: 'bob' });
    expect(ticket.assignee).toBe('bob');
    expect(sleeps).toEqual([50, 100]);
    expect(platformRequests().map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('gives up after the last attempt with a server error', async () => {
    setFaults({ platform: { serverErrorNext: 10 } });
    const error = await failure(platform.getTicket(S.ticketActive));
    expect(error).toMatchObject({ kind: 'server', status: 500, code: 'internal' });
    expect(platformRequests()).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it('a wrong token is an auth failure that never repeats the token', async () => {
    const secret = 'platform-secret-token-that-must-not-leak';
    const error = await failure(provider(secret).listTickets({ assignee: 'alice' }));
    expect(error).toMatchObject({ kind: 'auth', status: 401, code: 'unauthorized' });
    expect(sleeps).toEqual([]);
    for (const text of [
      error.message,
      error.detail,
      String(error),
      error.stack ?? '',
      JSON.stringify(error),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.stringify(sandbox.requests)).not.toContain(secret);
  });

  it('without a token the refusal says how to send one', async () => {
    const error = await failure(provider('').listTickets({ assignee: 'alice' }));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.detail).toContain('Authorization: Bearer');
  });

  it('an answer that breaks the contract fails at once, naming the field', async () => {
    const state = sandbox.emulators.platform.snapshot();
    const ticket = state.tickets.find((t) => t.id === S.ticketActive)!;
    (ticket as unknown as Record<string, unknown>).pinned = 'yes';
    sandbox.emulators.platform.restore(state);
    const error = await failure(platform.getTicket(S.ticketActive));
    expect(error).toMatchObject({ kind: 'server', status: 200 });
    expect(error.detail).toContain('ticket.pinned');
    expect(platformRequests()).toHaveLength(1);
  });

  it('a service that does not answer in time is a timeout', async () => {
    setFaults({ platform: { latencyMs: 400 } });
    const slow = provider(sandbox.tokens.platform, { timeoutMs: 40, maxAttempts: 1 });
    const error = await failure(slow.getTicket(S.ticketActive));
    expect(error).toMatchObject({ kind: 'timeout', status: undefined });
  });

  it('a service nobody listens on is a network failure, reported at once (a refused connection is not retried)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const recorded = recordingRetry({ maxAttempts: 2 });
    const offline = createPlatformProvider({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      token: 'offline-token',
      retry: recorded.policy,
      concurrency: 1,
    });
    const error = await failure(offline.listRollouts(['ramping']));
    expect(error).toMatchObject({ kind: 'network', status: undefined });
    expect(error.detail).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain('offline-token');
    expect(recorded.sleeps).toHaveLength(0);
  });
});
