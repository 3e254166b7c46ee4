/**
 * Impersonation sessions the manifest does not list. Tokens are per-human (runbook, step 3): whatever
 * the manifest says, no ticket may move while its old owner still has a session open on it. Apply
 * reads the outgoing admin's sessions once per run, ends every one open on a ticket it moves, and step
 * 6 audits them like the listed ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createProviders } from '../../src/providers/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { createWorld, endState, fullManifest, type ManifestInput, mutations, type World } from './world.js';

const { alice, dana } = SEED_ADMINS;
const ACTIVE = PLATFORM_SEED.ticketActive;
const ENGINEERING = PLATFORM_SEED.ticketWaitingOnEngineering;
const LATE_SESSION = 'imp_01LATE';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The seed manifest, but SUP-4432 no longer lists alice's open session on it. */
function withoutListedSession(overrides: Partial<ManifestInput> = {}): ManifestInput {
  const manifest = fullManifest(overrides);
  manifest.tickets = manifest.tickets.map((t) =>
    t.id === ACTIVE ? { id: ACTIVE, disposition: 'waiting_on_customer' as const } : t,
  );
  return manifest;
}

/** alice opens a session on a ticket the manifest hands over, after the manifest (and plan) were written. */
function openLateSession(sandbox: Sandbox): void {
  sandbox.emulators.platform.addSession({ id: LATE_SESSION, admin: alice.tracker, ticketId: ENGINEERING });
}

/** Step 3's reads of the outgoing admin's sessions (verify's fresh read of the open ones aside). */
const sessionReads = (w: World) =>
  w.sandbox.requests.filter(
    (r) =>
      r.service === 'platform' &&
      r.method === 'GET' &&
      r.path === '/impersonation-sessions' &&
      !r.query.includes('status=open'),
  );
const endRequests = (w: World, sessionId: string) =>
  w.sandbox.requests.filter(
    (r) => r.method === 'POST' && r.path === `/impersonation-sessions/${sessionId}/end`,
  );
const moveIndex = (w: World, ticketId: string) =>
  w.sandbox.requests.findIndex((r) => r.method === 'PATCH' && r.path === `/tickets/${ticketId}`);

describe('an open session of the outgoing admin on a ticket the manifest moves but does not list', () => {
  it.each([
    {
      case: 'already open when the manifest was written',
      manifest: withoutListedSession,
      arrange: undefined,
      session: PLATFORM_SEED.sessionOnActiveTicket,
      ticket: ACTIVE,
    },
    {
      case: 'opened after plan ran',
      manifest: () => fullManifest(),
      arrange: openLateSession,
      session: LATE_SESSION,
      ticket: ENGINEERING,
    },
  ])('$case: is ended before the ticket moves, and a re-run repeats nothing', async (scenario) => {
    world = await createWorld({ manifest: scenario.manifest(), arrange: scenario.arrange });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);

    const { platform } = world.sandbox.emulators;
    expect(platform.session(scenario.session)?.status).toBe('ended');
    expect(platform.ticket(scenario.ticket)?.assignee).toBe('bob');
    const [end] = endRequests(world, scenario.session);
    expect(end).toBeDefined();
    expect(world.sandbox.requests.indexOf(end!)).toBeLessThan(moveIndex(world, scenario.ticket));
    // Logged as done, saying why a session the manifest does not name was ended.
    const ended = result.journal!.actions.find((a) => a.target === `session "${scenario.session}"`);
    expect(ended).toMatchObject({ step: 'tickets', action: 'end impersonation session', outcome: 'done' });
    expect(ended?.detail).toContain(`not listed in the manifest, opened on ticket "${scenario.ticket}"`);
    expect(ended?.detail).toContain('impersonation tokens are per-human');
    // Sessions on no ticket of this handover, and other admins', stay as they were.
    expect(platform.session(PLATFORM_SEED.sessionNotOnPinnedTicket)?.status).toBe('open');
    expect(platform.session(PLATFORM_SEED.sessionOfDana)?.status).toBe('open');
    // The session list is read once for the whole step, not per ticket.
    expect(sessionReads(world)).toHaveLength(1);

    const before = endState(world.sandbox);
    const count = mutations(world.sandbox).length;
    const second = await world.apply();
    expect(second.exitCode).toBe(0);
    expect(mutations(world.sandbox)).toHaveLength(count);
    expect(endState(world.sandbox)).toEqual(before);
    expect(second.journal!.actions.find((a) => a.target === `session "${scenario.session}"`)).toMatchObject({
      outcome: 'already-done',
    });
  });

  it('in a dry run, says it would end the session and changes nothing', async () => {
    world = await createWorld({ manifest: withoutListedSession() });
    const result = await world.apply({ dryRun: true });
    expect(result.exitCode).toBe(0);
    expect(mutations(world.sandbox)).toEqual([]);
    const session = result.journal!.actions.find(
      (a) => a.target === `session "${PLATFORM_SEED.sessionOnActiveTicket}"`,
    );
    expect(session).toMatchObject({ outcome: 'skipped' });
    expect(session?.detail).toMatch(/^dry run: would end alice's session \(not listed in the manifest/);
  });

  it('moves no ticket while the session list cannot be read, and a re-run finishes once it can', async () => {
    world = await createWorld({ manifest: withoutListedSession() });
    // The session list is the tickets step's first platform request: fail it on every retry (5 attempts).
    // Apply's one read before its first write (src/preflight/reachability.ts) takes the first 5xx, and the
    // read of the token's scopes (src/runbook/platform-reach.ts) the next 5, which it survives as "cannot tell".
    world.sandbox.faults.set({ platform: { serverErrorNext: 11 } });
    const failed = await world.apply();
    expect(failed.exitCode).toBe(1);
    expect(sessionReads(world).length).toBeGreaterThan(0);
    expect(sessionReads(world).every((r) => r.status >= 500)).toBe(true);
    const { platform } = world.sandbox.emulators;
    for (const ticket of world.manifest.tickets) {
      expect(platform.ticket(ticket.id)?.assignee, ticket.id).toBe('alice');
      const action = failed.journal!.actions.find((a) => a.target === `ticket "${ticket.id}"`);
      expect(action, ticket.id).toMatchObject({ outcome: 'failed', failure: 'error' });
      expect(action?.detail).toContain("could not list alice's impersonation sessions");
    }
    expect(platform.session(PLATFORM_SEED.sessionOnActiveTicket)?.status).toBe('open');

    world.sandbox.faults.set({});
    const again = await world.apply();
    expect(again.exitCode).toBe(0);
    expect(platform.session(PLATFORM_SEED.sessionOnActiveTicket)?.status).toBe('ended');
    expect(platform.ticket(ACTIVE)?.assignee).toBe('bob');
  });
});

describe('a session the manifest lists on another ticket than the one it was opened on', () => {
  it('is ended once, before either ticket moves', async () => {
    const manifest = withoutListedSession();
    manifest.tickets = manifest.tickets.map((t) =>
      t.id === ENGINEERING ? { ...t, impersonationSession: PLATFORM_SEED.sessionOnActiveTicket } : t,
    );
    world = await createWorld({ manifest });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const ends = endRequests(world, PLATFORM_SEED.sessionOnActiveTicket);
    expect(ends).toHaveLength(1);
    const endAt = world.sandbox.requests.indexOf(ends[0]!);
    expect(endAt).toBeLessThan(moveIndex(world, ACTIVE));
    expect(endAt).toBeLessThan(moveIndex(world, ENGINEERING));
    expect(
      result.journal!.actions.filter((a) => a.target === `session "${PLATFORM_SEED.sessionOnActiveTicket}"`),
    ).toHaveLength(1);
  });
});

describe('a departure with a session the manifest does not list', () => {
  it('audits the session it ended on a moved ticket, and warns only about sessions left open elsewhere', async () => {
    world = await createWorld({ manifest: fullManifest({ reason: 'departure' }), arrange: openLateSession });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const audit = result.journal!.actions.filter((a) => a.step === 'audit');
    expect(audit.map((a) => [a.target, a.outcome]).sort()).toEqual(
      [
        [`session "${PLATFORM_SEED.sessionOnActiveTicket}"`, 'done'],
        [`session "${LATE_SESSION}"`, 'done'],
      ].sort(),
    );
    const warnings = result.log.filter((l) => l.kind === 'warning' && l.text.includes('still has'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.text).toContain(PLATFORM_SEED.sessionNotOnPinnedTicket);
    expect(warnings[0]?.text).not.toContain(LATE_SESSION);
  });

  it('still audits a session on a moved ticket that an earlier, interrupted run already ended', async () => {
    world = await createWorld({ manifest: withoutListedSession({ reason: 'departure' }) });
    // The first run ended the session and died before step 6 (here: ended through the real client).
    const { platform } = createProviders(world.env, world.config, { need: ['platform'] });
    await platform.endImpersonationSession(PLATFORM_SEED.sessionOnActiveTicket);

    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const target = `session "${PLATFORM_SEED.sessionOnActiveTicket}"`;
    expect(
      result.journal!.actions.filter((a) => a.target === target).map((a) => [a.step, a.outcome]),
    ).toEqual([
      ['tickets', 'already-done'],
      ['audit', 'done'],
    ]);
  });
});

describe('a compromised account with a session the manifest does not list', () => {
  it('ends each session exactly once, whichever part of step 3 finds it first', async () => {
    const manifest = withoutListedSession({
      id: '2026-11-26-alice-to-bob-emergency',
      variant: 'emergency',
      emergency: { cause: 'compromised' },
      window: { end: '2026-11-26T23:00:00Z' },
    });
    manifest.incidents = manifest.incidents.map(({ id }) => ({ id }));
    world = await createWorld({ manifest, arrange: openLateSession, pull: { author: dana.github } });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    for (const id of [
      PLATFORM_SEED.sessionOnActiveTicket,
      LATE_SESSION,
      PLATFORM_SEED.sessionNotOnPinnedTicket,
    ]) {
      expect(endRequests(world, id), id).toHaveLength(1);
      expect(
        result.journal!.actions.filter((a) => a.step === 'tickets' && a.target === `session "${id}"`),
        id,
      ).toHaveLength(1);
    }
  });
});
