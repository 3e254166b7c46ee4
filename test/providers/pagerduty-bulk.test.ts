/**
 * The PagerDuty provider's bulk update (PUT /incidents), the account's log and per-request pacing,
 * through @pagerduty/pdjs against the sandbox over real HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../src/providers/pacing.js';
import { bulkRefusals } from '../../src/providers/pagerduty.js';
import { ProviderError } from '../../src/providers/types.js';
import { incidentsWithNotes, startLogRead } from '../../src/runbook/steps/incidents-doubt.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { pagerDutyProvider } from '../sandbox/pagerduty-helpers.js';
import { rejection, requestsTo, startClockedSandbox } from '../support/sandbox.js';

const { alice, bob } = SEED_ADMINS;
let sandbox: Sandbox;
let clock: { now: Date };
beforeEach(async () => {
  ({ sandbox, clock } = await startClockedSandbox());
});
afterEach(() => sandbox.close());

const puts = () => requestsTo(sandbox, 'pagerduty').filter((r) => r.method === 'PUT');

describe('bulk update (PUT /incidents)', () => {
  it('reassigns many incidents in one request, as the From user', async () => {
    const ids = Array.from({ length: 120 }, (_, n) =>
      sandbox.emulators.pagerduty.addIncident({ title: `Storm ${n}`, assigneeIds: [alice.pagerduty] }),
    );
    const { provider } = pagerDutyProvider(sandbox);
    const updated = await provider.updateIncidents(
      ids.map((id) => ({ id, assigneeId: bob.pagerduty })),
      alice.email,
    );
    expect(updated.map((i) => i.id)).toEqual(ids);
    expect(updated.every((i) => i.assigneeIds.join() === bob.pagerduty)).toBe(true);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.headers.from).toBe(alice.email);
    const acknowledged = await provider.updateIncidents(
      ids.slice(0, 3).map((id) => ({ id, status: 'acknowledged' as const })),
      bob.email,
    );
    expect(acknowledged.map((i) => i.status)).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);
  });

  it('a refusal changes nothing and names each refused incident, so the rest can be sent again', async () => {
    const { pagerduty } = sandbox.emulators;
    pagerduty.resolveIncident(SEED_INCIDENTS.buildRunnerDisk, alice.pagerduty);
    const { provider } = pagerDutyProvider(sandbox);
    const error = await rejection(
      provider.updateIncidents(
        [SEED_INCIDENTS.euApiLatency, SEED_INCIDENTS.buildRunnerDisk, 'QNOSUCH'].map((id) => ({
          id,
          assigneeId: bob.pagerduty,
        })),
        alice.email,
      ),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('invalid');
    expect([...bulkRefusals(error as ProviderError)]).toEqual([
      [SEED_INCIDENTS.buildRunnerDisk, 'Incident Already Resolved'],
      ['QNOSUCH', 'Not Found'],
    ]);
    expect(pagerduty.incident(SEED_INCIDENTS.euApiLatency)?.assignments.map((a) => a.userId)).not.toEqual([
      bob.pagerduty,
    ]);
    expect(puts()).toHaveLength(1); // a 400 is not retried
  });

  it('refuses more than 250 incidents before sending anything', async () => {
    const { provider } = pagerDutyProvider(sandbox);
    const updates = Array.from({ length: 251 }, (_, n) => ({ id: `Q${n}`, assigneeId: bob.pagerduty }));
    const error = await rejection(provider.updateIncidents(updates, alice.email));
    expect((error as ProviderError).kind).toBe('invalid');
    expect(puts()).toHaveLength(0);
  });

  it('a bulk update that landed although the answer was a 500 is read back, not sent again', async () => {
    sandbox.faults.set({ failMutation: { nth: 1, mode: 'after' } });
    const ids = Array.from({ length: 5 }, (_, n) =>
      sandbox.emulators.pagerduty.addIncident({ title: `Storm ${n}`, assigneeIds: [alice.pagerduty] }),
    );
    const { provider } = pagerDutyProvider(sandbox, { retry: { sleep: async () => {} } });
    const updated = await provider.updateIncidents(
      ids.map((id) => ({ id, assigneeId: bob.pagerduty })),
      alice.email,
    );
    expect(updated.map((i) => i.assigneeIds)).toEqual(ids.map(() => [bob.pagerduty]));
    expect(puts()).toHaveLength(1);
  });
});

describe("the account's log (GET /log_entries)", () => {
  it('lists notes since a time with the incident each is about', async () => {
    const since = clock.now.toISOString();
    sandbox.emulators.pagerduty.addNote(SEED_INCIDENTS.euApiLatency, bob.pagerduty, 'looking');
    const { provider } = pagerDutyProvider(sandbox);
    const entries = await provider.listAccountLogEntries(since, 1000);
    const notes = entries.filter((e) => e.type === 'annotate_log_entry');
    expect(notes).toEqual([
      expect.objectContaining({ incidentId: SEED_INCIDENTS.euApiLatency, agentId: bob.pagerduty }),
    ]);
  });

  it('refuses, after one page, to read more than it was allowed', async () => {
    for (let n = 0; n < 150; n += 1)
      sandbox.emulators.pagerduty.addNote(SEED_INCIDENTS.euApiLatency, bob.pagerduty, `n ${n}`);
    const { provider } = pagerDutyProvider(sandbox);
    const since = new Date(clock.now.getTime() - 3_600_000).toISOString();
    const error = await rejection(provider.listAccountLogEntries(since, 120));
    expect((error as ProviderError).kind).toBe('invalid');
    expect((error as ProviderError).message).toContain('more than 120 results');
    expect(requestsTo(sandbox, 'pagerduty')).toHaveLength(1);
  });

  it('asks for the pages an expected length fills together with the first, and reads on past them', async () => {
    for (let n = 0; n < 330; n += 1)
      sandbox.emulators.pagerduty.addNote(SEED_INCIDENTS.euApiLatency, bob.pagerduty, `n ${n}`);
    const since = new Date(clock.now.getTime() - 3_600_000).toISOString();
    const expected = await pagerDutyProvider(sandbox).provider.listAccountLogEntries(since, 1000);
    expect(expected.length).toBeGreaterThan(330);
    sandbox.requests.length = 0;

    // Every request waits at the gate: what was asked before any answer came is what was sent at once.
    let asked = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { provider } = pagerDutyProvider(sandbox, {
      concurrency: 8,
      pace: async () => {
        asked += 1;
        await gate;
      },
    });
    const reading = provider.listAccountLogEntries(since, 1000, 250);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toBe(3); // offsets 0, 100 and 200; 300 only once the first page tells the total
    open();
    expect(await reading).toEqual(expected);
    const offsets = requestsTo(sandbox, 'pagerduty').map((r) => new URLSearchParams(r.query).get('offset'));
    expect(offsets.sort()).toEqual(['0', '100', '200', '300']);
  });

  it('a guess past the end costs an empty page and changes nothing', async () => {
    const since = clock.now.toISOString();
    sandbox.emulators.pagerduty.addNote(SEED_INCIDENTS.euApiLatency, bob.pagerduty, 'looking');
    const { provider } = pagerDutyProvider(sandbox);
    const entries = await provider.listAccountLogEntries(since, 1000, 500);
    expect(entries.filter((e) => e.type === 'annotate_log_entry')).toHaveLength(1);
    expect(requestsTo(sandbox, 'pagerduty')).toHaveLength(5);
  });
});

describe("step 2's log read, started from the list's first page", () => {
  const HOUR = 3_600_000;
  /** Incident A, a note on it an hour later, then incident B an hour after that. */
  function annotatedThenNewer() {
    const pd = sandbox.emulators.pagerduty;
    const a = pd.addIncident({ title: 'Older', assigneeIds: [alice.pagerduty] });
    clock.now = new Date(clock.now.getTime() + HOUR);
    pd.addNote(a, alice.pagerduty, 'a note from before the newer incident');
    clock.now = new Date(clock.now.getTime() + HOUR);
    const b = pd.addIncident({ title: 'Newer', assigneeIds: [alice.pagerduty] });
    return { a, b };
  }

  it("lists the service's incidents oldest first, as it asks with sort_by", async () => {
    const { a, b } = annotatedThenNewer();
    const { provider } = pagerDutyProvider(sandbox);
    let first: string[] = [];
    const listed = await provider.listIncidents(
      { serviceIds: [SEED_IDS.pagerdutyServiceId], statuses: ['triggered', 'acknowledged'] },
      { onFirstPage: (page) => (first = page.map((i) => i.id)) },
    );
    const times = listed.map((i) => Date.parse(i.createdAt));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(listed.map((i) => i.id).indexOf(a)).toBeLessThan(listed.map((i) => i.id).indexOf(b));
    expect(first).toEqual(listed.map((i) => i.id).slice(0, first.length));
    expect(requestsTo(sandbox, 'pagerduty')[0]!.query).toContain('sort_by=created_at%3Aasc');
  });

  it('uses a read that reaches back far enough, and reads again from an older incident than it started from', async () => {
    const { a, b } = annotatedThenNewer();
    const { provider } = pagerDutyProvider(sandbox);
    const [older, newer] = await Promise.all([provider.getIncident(a), provider.getIncident(b)]);
    const logReads = () => requestsTo(sandbox, 'pagerduty').filter((r) => r.path === '/log_entries').length;

    // Started from the newer incident, the read misses the note on the older one: read again from it.
    const late = startLogRead(provider, Date.parse(newer!.createdAt), 2);
    await late.entries;
    expect(await incidentsWithNotes(provider, [older!, newer!], () => {}, late)).toEqual(new Set([a]));
    expect(logReads()).toBe(2);

    // Started from the older one, it is used as it is.
    const early = startLogRead(provider, Date.parse(older!.createdAt), 2);
    expect(await incidentsWithNotes(provider, [older!, newer!], () => {}, early)).toEqual(new Set([a]));
    expect(logReads()).toBe(3);
  });

  it('the emulator refuses a sort_by PagerDuty does not offer', async () => {
    const response = await fetch(`${sandbox.urls.pagerduty}/incidents?sort_by=title`, {
      headers: { authorization: `Token token=${sandbox.tokens.pagerduty}` },
    });
    expect(response.status).toBe(400);
    const desc = await fetch(`${sandbox.urls.pagerduty}/incidents?sort_by=created_at:desc&limit=100`, {
      headers: { authorization: `Token token=${sandbox.tokens.pagerduty}` },
    });
    const body = (await desc.json()) as { incidents: Array<{ created_at: string }> };
    const times = body.incidents.map((i) => Date.parse(i.created_at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });
});

describe('pacing', () => {
  it('waits for the limiter before every HTTP request, pages of a list included', async () => {
    for (let n = 0; n < 230; n += 1)
      sandbox.emulators.pagerduty.addIncident({ title: `Storm ${n}`, assigneeIds: [alice.pagerduty] });
    let taken = 0;
    const limiter = new SlidingWindowLimiter({ requests: 1000, windowMs: 1000 });
    const { provider } = pagerDutyProvider(sandbox, {
      pace: async () => {
        taken += 1;
        await limiter.take();
      },
    });
    const listed = await provider.listIncidents({ serviceIds: [SEED_IDS.pagerdutyServiceId] });
    expect(listed.length).toBeGreaterThanOrEqual(230);
    expect(taken).toBe(requestsTo(sandbox, 'pagerduty').length);
    expect(taken).toBeGreaterThanOrEqual(3);
  });
});
