import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, ImpersonationSession, Rollout, Ticket } from '../../src/providers/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';

const S = PLATFORM_SEED;
const NOW = new Date('2026-11-26T15:00:00.000Z');
let clock = NOW.getTime();
let sandbox: Sandbox;

beforeEach(async () => {
  clock = NOW.getTime();
  sandbox = await startSandbox({ now: () => new Date(clock) });
});
afterEach(async () => {
  await sandbox.close();
});

async function api<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sandbox.urls.platform}${path}`, {
    method,
    headers: { authorization: `Bearer ${sandbox.tokens.platform}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

describe('the platform seed world', () => {
  it('gives alice pinned tickets in every disposition the runbook names', () => {
    const platform = sandbox.emulators.platform;
    const pinnedOfAlice = platform.tickets().filter((t) => t.assignee === 'alice' && t.pinned);
    expect(pinnedOfAlice.map((t) => [t.id, t.status, t.waitingOn, t.links.length])).toEqual([
      [S.ticketClosedPinned, 'closed', null, 0],
      [S.ticketWaitingOnCustomer, 'pending', 'customer', 0],
      [S.ticketWaitingOnEngineering, 'pending', 'engineering', 0],
      [S.ticketActive, 'open', null, 0],
    ]);
    expect(platform.session(S.sessionOnActiveTicket)).toMatchObject({
      admin: 'alice',
      ticketId: S.ticketActive,
      status: 'open',
    });
    const unpinnedOfAlice = platform.tickets().filter((t) => t.assignee === 'alice' && !t.pinned);
    expect(unpinnedOfAlice.map((t) => t.id)).toEqual([...S.ticketsUnpinned]);
    expect(platform.ticket(S.ticketOfDana)).toMatchObject({ assignee: 'dana', pinned: true });
  });

  it('has open sessions on and off pinned tickets, ended ones, and another admin’s', () => {
    const sessions = sandbox.emulators.platform.sessions();
    const pinned = new Set(
      sandbox.emulators.platform
        .tickets()
        .filter((t) => t.pinned)
        .map((t) => t.id),
    );
    const aliceOpen = sessions.filter((s) => s.admin === 'alice' && s.status === 'open');
    expect(aliceOpen.map((s) => pinned.has(s.ticketId ?? ''))).toEqual(expect.arrayContaining([true, false]));
    expect(sessions.filter((s) => s.status === 'ended').length).toBeGreaterThanOrEqual(2);
    expect(sandbox.emulators.platform.session(S.sessionOfDana)).toMatchObject({
      admin: 'dana',
      status: 'open',
    });
  });

  it('has rollouts in all four states with ramp and error rates, and an older audit trail', () => {
    const rollouts = sandbox.emulators.platform.rollouts();
    expect(rollouts.map((r) => r.state).sort()).toEqual(['complete', 'paused', 'ramping', 'rolled_back']);
    expect(sandbox.emulators.platform.rollout(S.rolloutRamping)).toMatchObject({
      rampPercent: 25,
      errorRatePercent: 0.42,
    });
    const audit = sandbox.emulators.platform.auditLog();
    expect(audit.length).toBeGreaterThan(4);
    expect(audit.every((e) => Date.parse(e.at) < NOW.getTime())).toBe(true);
    expect(sandbox.emulators.platform.comments(S.ticketActive).length).toBeGreaterThan(0);
  });
});

describe('the platform emulator', () => {
  it('hands out copies: changing one never changes the world', () => {
    const ticket = sandbox.emulators.platform.ticket(S.ticketActive)!;
    ticket.assignee = 'mallory';
    ticket.labels.push('tampered');
    expect(sandbox.emulators.platform.ticket(S.ticketActive)).toMatchObject({
      assignee: 'alice',
      labels: ['billing'],
    });
  });

  it('a patch that changes nothing leaves updatedAt alone', async () => {
    const before = sandbox.emulators.platform.ticket(S.ticketActive)!;
    clock += 60_000;
    const same = await api<Ticket>('PATCH', `/tickets/${S.ticketActive}`, {
      assignee: 'alice',
      labels: ['billing'],
    });
    expect(same.body.updatedAt).toBe(before.updatedAt);
    const changed = await api<Ticket>('PATCH', `/tickets/${S.ticketActive}`, { labels: [] });
    expect(changed.body).toMatchObject({ labels: [], updatedAt: new Date(clock).toISOString() });
  });

  it("ending another admin's session records that admin as the audit actor", async () => {
    expect((await api('POST', `/impersonation-sessions/${S.sessionOfDana}/end`)).status).toBe(200);
    const events = await api<{ items: AuditEvent[] }>(
      'GET',
      `/audit-log?action=platform.impersonation_ended&actor=dana&since=${encodeURIComponent(NOW.toISOString())}`,
    );
    expect(events.body.items).toEqual([
      {
        id: expect.any(String),
        action: 'platform.impersonation_ended',
        actor: 'dana',
        target: S.sessionOfDana,
        at: NOW.toISOString(),
      },
    ]);
  });

  it('sessions are listed per human, oldest first', async () => {
    sandbox.emulators.platform.addSession({ admin: 'bob', startedAt: '2026-11-26T14:00:00.000Z' });
    const generated = sandbox.emulators.platform.addSession({ admin: 'bob', ticketId: S.ticketOfBob });
    expect(generated.id).toMatch(/^imp_/);
    const listed = await api<{ items: ImpersonationSession[] }>('GET', '/impersonation-sessions?admin=bob');
    expect(listed.body.items.map((s) => s.startedAt)).toEqual([
      '2026-11-26T14:00:00.000Z',
      NOW.toISOString(),
    ]);
  });

  it('setRollout and addRollout arrange what the rollout list shows', async () => {
    sandbox.emulators.platform.setRollout(S.rolloutPaused, { state: 'ramping', rampPercent: 20 });
    sandbox.emulators.platform.addRollout({
      flag: 'gpu-scheduler-v2',
      state: 'paused',
      rampPercent: 5,
      owner: 'dana',
    });
    const listed = await api<{ items: Rollout[] }>('GET', '/rollouts?state=ramping,paused');
    expect(listed.body.items.map((r) => [r.flag, r.rampPercent])).toEqual([
      [S.rolloutRamping, 25],
      [S.rolloutPaused, 20],
      ['gpu-scheduler-v2', 5],
    ]);
  });

  it('refuses to restore something that is not a saved world', () => {
    expect(() => sandbox.emulators.platform.restore(undefined)).toThrow(/missing or not an object/);
    expect(() => sandbox.emulators.platform.restore({ tickets: [] })).toThrow(/no 'users' list/);
    expect(sandbox.emulators.platform.tickets().length).toBeGreaterThan(0);
  });
});
