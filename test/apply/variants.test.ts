import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_EVENTS } from '../../src/runbook/runtime/context.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import {
  CHANNEL,
  createWorld,
  endState,
  fullManifest,
  mutations,
  NOW,
  postsOf,
  type World,
} from './world.js';

const { alice, bob, dana } = SEED_ADMINS;
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function outcomesOf(result: {
  journal: { actions: { step: string; action: string; outcome: string }[] } | null;
}) {
  return (result.journal?.actions ?? []).map((a) => `${a.step}/${a.action}/${a.outcome}`);
}

describe('a planned handover', () => {
  it('executes the runbook and a second run repeats nothing', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const first = await world.apply();
    expect(first.exitCode).toBe(0);
    expect(first.journal?.outcome).toBe('done');
    expect(first.journal?.acknowledgementVerified).toBe(true);
    expect(first.journal?.approver).toBe('bob');
    expect(first.journal?.pullRequest).toBe(world.pullNumber);
    expect(first.counts).toEqual({ incidents: 3, tickets: 3, rollouts: 2 });

    const { pagerduty, platform, slack } = world.sandbox.emulators;
    // Step 1: bob is primary for the window.
    expect(pagerduty.overrides(SEED_IDS.pagerdutyScheduleId).map((o) => [o.userId, o.start, o.end])).toEqual([
      [bob.pagerduty, '2026-11-26T16:00:00Z', '2026-11-26T18:00:00Z'],
    ]);
    // Step 2: every incident reassigned to bob, acknowledged, one status note from alice, one ack note from bob.
    for (const id of [
      SEED_INCIDENTS.euApiLatency,
      SEED_INCIDENTS.buildRunnerDisk,
      SEED_INCIDENTS.adminCertificate,
    ]) {
      const incident = pagerduty.incident(id)!;
      expect(incident.status).toBe('acknowledged');
      expect(incident.assignments.map((a) => a.userId)).toEqual([bob.pagerduty]);
      const ours = incident.notes.filter((n) => n.content.includes('handover 2026-11-26-alice-to-bob'));
      expect(ours.map((n) => [n.userId, n.content.split('\n').at(-1)])).toEqual([
        [alice.pagerduty, 'handover 2026-11-26-alice-to-bob · status'],
        [bob.pagerduty, 'handover 2026-11-26-alice-to-bob · ack'],
      ]);
      expect(ours[1]!.content).toContain(
        `Acknowledged by bob via approval of PR #${world.pullNumber} at commit`,
      );
    }
    // The note is posted From alice, the acknowledgement From bob.
    const fromHeaders = world.sandbox.requests
      .filter((r) => r.service === 'pagerduty' && r.mutation && r.path.endsWith('/notes'))
      .map((r) => r.headers.from);
    expect(new Set(fromHeaders)).toEqual(new Set([alice.email, bob.email]));
    // The other team's incident and dana's are untouched.
    expect(pagerduty.incident(SEED_INCIDENTS.invoiceRendering)!.assignments.map((a) => a.userId)).toEqual([
      alice.pagerduty,
    ]);
    expect(pagerduty.incident(SEED_INCIDENTS.sessionErrors)!.assignments.map((a) => a.userId)).toEqual([
      dana.pagerduty,
    ]);

    // Step 3: tickets moved, labelled or linked, the session ended first; other sessions untouched.
    expect(platform.ticket(PLATFORM_SEED.ticketWaitingOnCustomer)).toMatchObject({
      assignee: 'bob',
      labels: ['storage', 'waiting_on_customer'],
    });
    expect(platform.ticket(PLATFORM_SEED.ticketWaitingOnEngineering)!.links).toEqual([
      { url: PLATFORM_SEED.engineeringIssueUrl, kind: 'engineering_issue' },
    ]);
    expect(platform.ticket(PLATFORM_SEED.ticketActive)!.assignee).toBe('bob');
    expect(platform.session(PLATFORM_SEED.sessionOnActiveTicket)!.status).toBe('ended');
    expect(platform.session(PLATFORM_SEED.sessionNotOnPinnedTicket)!.status).toBe('open');
    expect(platform.session(PLATFORM_SEED.sessionOfDana)!.status).toBe('open');
    const endIndex = world.sandbox.requests.findIndex((r) => r.path.endsWith('/end'));
    const moveIndex = world.sandbox.requests.findIndex(
      (r) => r.method === 'PATCH' && r.path === `/tickets/${PLATFORM_SEED.ticketActive}`,
    );
    expect(endIndex).toBeGreaterThanOrEqual(0);
    expect(endIndex).toBeLessThan(moveIndex);

    // Step 4: annotations by alice, owned by bob.
    const ledger = platform.rollout(PLATFORM_SEED.rolloutRamping)!;
    expect(ledger.owner).toBe('bob');
    expect(ledger.annotations.at(-1)).toMatchObject({
      rampPercent: 25,
      lastErrorRatePercent: 0.42,
      author: 'alice',
    });

    // Step 5: the summary in the runbook's words, the details in its thread, both with metadata.
    const [summary] = postsOf(world.sandbox, SLACK_EVENTS.summary);
    expect(summary?.text).toBe(
      'On-call: <@U0ALICE> → <@U0BOB> as of 2026-11-26 16:00 UTC. 3 incidents reassigned, 3 tickets reassigned, 2 rollouts in flight. Details in the thread.',
    );
    expect(summary?.metadata?.event_payload).toMatchObject({ handover_id: '2026-11-26-alice-to-bob' });
    expect(summary?.flags).toMatchObject({ linkNames: 'false', unfurlLinks: 'false', parse: 'none' });
    const [details] = postsOf(world.sandbox, SLACK_EVENTS.details);
    expect(details?.threadTs).toBe(summary?.ts);
    expect(details?.text).toContain('SUP-4432');
    expect(slack.messages(CHANNEL).filter((m) => m.metadata !== null)).toHaveLength(2);

    // A second run: every action already done, not one mutating request.
    const before = endState(world.sandbox);
    const requestsBefore = world.sandbox.requests.length;
    const second = await world.apply();
    expect(second.exitCode).toBe(0);
    expect(world.sandbox.requests.slice(requestsBefore).filter((r) => r.mutation)).toEqual([]);
    expect(endState(world.sandbox)).toEqual(before);
    const outcomes = second.journal!.actions.filter((a) => a.step !== 'preflight' && a.step !== 'verify');
    expect(outcomes.every((a) => a.outcome === 'already-done')).toBe(true);
  });

  it('logs one group per step and writes each action on its own line', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const result = await world.apply();
    const groups = result.log.filter((l) => l.kind === 'group').map((l) => l.text);
    expect(groups).toEqual([
      'Step 0 · Preflight',
      'Step 1 · Freeze PagerDuty assignments',
      'Step 2 · Incidents',
      'Step 3 · Pinned tickets',
      'Step 4 · Rollouts in flight',
      'Step 5 · Summary in Slack',
      'Step 7 · Verify nothing is stranded',
    ]);
    expect(result.log.filter((l) => l.kind === 'info')).toHaveLength(result.journal!.actions.length);
  });

  it('skips a resolved incident, a closed ticket and a finished rollout with a warning', async () => {
    world = await createWorld({
      manifest: fullManifest(),
      arrange: (sandbox) => {
        sandbox.emulators.pagerduty.resolveIncident(SEED_INCIDENTS.adminCertificate, alice.pagerduty);
        sandbox.emulators.platform.setTicket(PLATFORM_SEED.ticketWaitingOnCustomer, { status: 'closed' });
        sandbox.emulators.platform.setRollout(PLATFORM_SEED.rolloutPaused, { state: 'rolled_back' });
      },
    });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(result.counts).toEqual({ incidents: 2, tickets: 2, rollouts: 1 });
    const skipped = result.journal!.actions.filter((a) => a.outcome === 'skipped').map((a) => a.target);
    expect(skipped).toEqual([
      `incident "${SEED_INCIDENTS.adminCertificate}"`,
      `ticket "${PLATFORM_SEED.ticketWaitingOnCustomer}"`,
      `rollout "${PLATFORM_SEED.rolloutPaused}"`,
    ]);
    expect(result.log.filter((l) => l.kind === 'warning')).toHaveLength(3);
    expect(postsOf(world.sandbox, SLACK_EVENTS.summary)[0]?.text).toContain(
      '2 incidents reassigned, 2 tickets reassigned, 1 rollouts in flight',
    );
  });

  it('fails naming each item left stranded with the outgoing admin', async () => {
    const manifest = fullManifest();
    manifest.incidents = manifest.incidents.slice(1); // omits the EU latency incident
    manifest.tickets = manifest.tickets.filter((t) => t.disposition !== 'active'); // omits the active ticket
    world = await createWorld({ manifest });
    const result = await world.apply();
    expect(result.exitCode).toBe(1);
    const stranded = result.journal!.actions.filter((a) => a.step === 'verify' && a.outcome === 'failed');
    expect(stranded.map((a) => a.target).sort()).toEqual([
      `incident "${SEED_INCIDENTS.euApiLatency}"`,
      `ticket "${PLATFORM_SEED.ticketActive}"`,
    ]);
    expect(stranded.every((a) => a.failure === 'failure')).toBe(true);
  });
});

describe('a weekly rotation', () => {
  // The seed rotation hands over from alice to bob on Monday 2026-11-30 at 16:00 UTC.
  it('makes no override when auto-rotation already puts the incoming admin on call, and says so', async () => {
    world = await createWorld({
      manifest: fullManifest({
        id: '2026-11-30-alice-to-bob',
        variant: 'weekly-rotation',
        window: { start: '2026-11-30T16:00:00Z', end: '2026-11-30T18:00:00Z' },
      }),
    });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const freeze = result.journal!.actions.find((a) => a.step === 'freeze')!;
    expect(freeze.outcome).toBe('skipped');
    expect(freeze.detail).toContain('auto-rotation already puts bob on call for the whole window');
    expect(world.sandbox.emulators.pagerduty.overrides(SEED_IDS.pagerdutyScheduleId)).toEqual([]);
    // As of the window's start: no override to take the time from.
    expect(postsOf(world.sandbox, SLACK_EVENTS.summary)[0]?.text).toContain('as of 2026-11-30 16:00 UTC');
  });

  it('overrides when the rotation does not cover the window', async () => {
    world = await createWorld({
      manifest: fullManifest({
        id: '2026-11-30-alice-to-bob',
        variant: 'weekly-rotation',
        window: { start: '2026-11-30T14:00:00Z', end: '2026-11-30T16:30:00Z' },
      }),
    });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(result.journal!.actions.find((a) => a.step === 'freeze')?.outcome).toBe('done');
    expect(
      world.sandbox.emulators.pagerduty
        .overrides(SEED_IDS.pagerdutyScheduleId)
        .map((o) => [o.userId, o.start]),
    ).toEqual([[bob.pagerduty, '2026-11-30T14:00:00Z']]);
  });
});

describe('an emergency handover', () => {
  const emergency = (cause: 'incapacitated' | 'compromised') =>
    fullManifest({
      id: '2026-11-26-alice-to-bob-emergency',
      variant: 'emergency',
      emergency: { cause },
      window: { end: '2026-11-26T23:00:00Z' },
      incidents: [
        { id: SEED_INCIDENTS.euApiLatency, title: 'EU API p99 latency above 2s' },
        { id: SEED_INCIDENTS.buildRunnerDisk },
        { id: SEED_INCIDENTS.adminCertificate },
      ],
    });

  it('overrides from now, posts a context digest and flags incidents without status', async () => {
    world = await createWorld({
      manifest: emergency('incapacitated'),
      // Someone else opens it while alice is out; bob approves.
      pull: { author: dana.github, approver: bob.github },
    });
    const first = await world.apply();
    expect(first.exitCode).toBe(0);
    const { pagerduty } = world.sandbox.emulators;
    expect(pagerduty.overrides(SEED_IDS.pagerdutyScheduleId).map((o) => [o.userId, o.start, o.end])).toEqual([
      [bob.pagerduty, '2026-11-26T15:00:00Z', '2026-11-26T23:00:00Z'],
    ]);
    const note = pagerduty.incident(SEED_INCIDENTS.buildRunnerDisk)!.notes[0]!.content;
    expect(note).toContain('No status paragraph was available');
    expect(note).toContain("Written by handover on alice's behalf: alice is unavailable.");

    const [summary] = postsOf(world.sandbox, SLACK_EVENTS.summary);
    expect(summary?.text).toContain('as of 2026-11-26 15:00 UTC');
    const [digest] = postsOf(world.sandbox, SLACK_EVENTS.digest);
    expect(digest?.threadTs).toBe(summary?.ts);
    expect(digest?.text).toContain(`*Incident ${SEED_INCIDENTS.euApiLatency}* · PagerDuty log`);
    expect(digest?.text).toContain(`*Ticket ${PLATFORM_SEED.ticketActive}* · comments`);
    expect(digest?.text).toContain('the last hour');
    expect(digest?.text).toContain('Impersonating the tenant'); // a ticket comment
    // Reposted chatter never pings anyone again.
    expect(digest?.text).not.toMatch(/<@(?!U0BOB>)/);
    const [catchUp] = postsOf(world.sandbox, SLACK_EVENTS.catchUp);
    expect(catchUp?.threadTs).toBeNull();
    expect(catchUp?.text).toContain('Team-wide catch-up');
    expect(catchUp?.text).toContain(SEED_INCIDENTS.buildRunnerDisk);

    // Re-run twenty minutes later: "now" has moved, the first override still covers the rest.
    const before = endState(world.sandbox);
    const count = mutations(world.sandbox).length;
    const later = new Date(NOW.getTime() + 20 * 60_000);
    const second = await world.apply({ now: () => later });
    expect(second.exitCode).toBe(0);
    expect(mutations(world.sandbox)).toHaveLength(count);
    expect(endState(world.sandbox)).toEqual(before);
    expect(second.journal!.actions.find((a) => a.step === 'freeze')?.outcome).toBe('already-done');
  });

  it('ends every open session of a compromised admin and checks the audit log', async () => {
    world = await createWorld({ manifest: emergency('compromised'), pull: { author: dana.github } });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const { platform } = world.sandbox.emulators;
    const alicesOpen = platform.sessions().filter((s) => s.admin === 'alice' && s.status === 'open');
    expect(alicesOpen).toEqual([]);
    expect(platform.session(PLATFORM_SEED.sessionOfDana)?.status).toBe('open');
    const audited = result.journal!.actions.filter((a) => a.step === 'audit' && a.outcome === 'done');
    expect(audited.map((a) => a.target).sort()).toEqual(
      [
        PLATFORM_SEED.sessionEnded,
        PLATFORM_SEED.sessionNotOnPinnedTicket,
        PLATFORM_SEED.sessionOnActiveTicket,
      ]
        .map((id) => `session "${id}"`)
        .sort(),
    );
  });
});

describe('a mid-shift outage', () => {
  it('defers while the outage is unresolved, then hands over and names the lead', async () => {
    const outageId = 'Q7OUTAGE00002';
    world = await createWorld({
      manifest: fullManifest({
        id: '2026-11-26-alice-to-bob-outage',
        variant: 'mid-shift-outage',
        outage: { incident: outageId, lead: 'alice' },
      }),
      arrange: (sandbox) => {
        sandbox.emulators.pagerduty.addIncident({
          id: outageId,
          title: 'Platform outage: eu-west API unavailable',
          assigneeIds: [alice.pagerduty, bob.pagerduty],
          status: 'acknowledged',
        });
      },
    });
    const deferred = await world.apply();
    expect(deferred.exitCode).toBe(3);
    expect(deferred.journal?.outcome).toBe('deferred');
    expect(mutations(world.sandbox)).toEqual([]);
    expect(outcomesOf(deferred)).toEqual([
      'preflight/acknowledgement/done',
      'preflight/wait for the outage/deferred',
    ]);

    world.sandbox.emulators.pagerduty.resolveIncident(outageId, alice.pagerduty);
    const done = await world.apply();
    expect(done.exitCode).toBe(0);
    const [details] = postsOf(world.sandbox, SLACK_EVENTS.details);
    expect(details?.text).toContain('Outage lead: <@U0ALICE> led during the outage');
  });
});

describe('a departure', () => {
  it('checks the audit log for every session it ended', async () => {
    world = await createWorld({ manifest: fullManifest({ reason: 'departure' }) });
    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    const audit = result.journal!.actions.filter((a) => a.step === 'audit');
    expect(audit.map((a) => [a.target, a.outcome])).toEqual([
      [`session "${PLATFORM_SEED.sessionOnActiveTicket}"`, 'done'],
    ]);
    expect(
      result.log.some((l) => l.kind === 'warning' && l.text.includes(PLATFORM_SEED.sessionNotOnPinnedTicket)),
    ).toBe(true);
  });

  it('fails when the audit log does not show a session ending', async () => {
    const manifest = fullManifest({ reason: 'departure' });
    manifest.tickets[2] = { ...manifest.tickets[2]!, impersonationSession: 'imp_01HZZZ' };
    world = await createWorld({
      manifest,
      arrange: (sandbox) => {
        // Ended outside the platform's session service: the audit log has no trace of it.
        sandbox.emulators.platform.addSession({
          id: 'imp_01HZZZ',
          admin: 'alice',
          ticketId: PLATFORM_SEED.ticketActive,
          status: 'ended',
        });
      },
    });
    const result = await world.apply();
    expect(result.exitCode).toBe(1);
    const failed = result.journal!.actions.filter((a) => a.outcome === 'failed');
    expect(failed.map((a) => [a.step, a.target])).toEqual([['audit', 'session "imp_01HZZZ"']]);
    expect(failed[0]?.detail).toContain('platform.impersonation_ended');
  });

  it("refuses to end a session that is not the outgoing admin's, and leaves the ticket", async () => {
    const manifest = fullManifest();
    manifest.tickets[2] = { ...manifest.tickets[2]!, impersonationSession: PLATFORM_SEED.sessionOfDana };
    world = await createWorld({ manifest });
    const result = await world.apply();
    expect(result.exitCode).toBe(1);
    const { platform } = world.sandbox.emulators;
    expect(platform.session(PLATFORM_SEED.sessionOfDana)?.status).toBe('open');
    expect(platform.ticket(PLATFORM_SEED.ticketActive)?.assignee).toBe('alice');
    const refused = result.journal!.actions.find(
      (a) => a.target === `session "${PLATFORM_SEED.sessionOfDana}"`,
    );
    expect(refused).toMatchObject({ outcome: 'failed', failure: 'failure' });
    expect(refused?.detail).toContain('sessions are per-human');
    // The rest still happened, but the summary waits for every item.
    expect(platform.ticket(PLATFORM_SEED.ticketWaitingOnCustomer)?.assignee).toBe('bob');
    expect(postsOf(world.sandbox, SLACK_EVENTS.summary)).toEqual([]);
  });
});
