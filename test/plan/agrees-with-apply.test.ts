/**
 * Plan says what apply will do; apply then does it. Each world below is read by plan (readLiveState,
 * findStranded, planItems through the real providers) and then handed over by apply, both against the
 * same sandbox over HTTP: the two must agree on the freeze and on the sessions ended before a ticket moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createProviders } from '../../src/providers/index.js';
import type { PdOverride } from '../../src/providers/types.js';
import { readLiveState } from '../../src/runbook/live-state.js';
import { planItems } from '../../src/runbook/plan/actions.js';
import { findStranded } from '../../src/runbook/steps/verify-stranded.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { createWorld, fullManifest, type ManifestInput, NOW, type World } from '../apply/world.js';

const { bob, dana } = SEED_ADMINS;
const SCHEDULE = SEED_IDS.pagerdutyScheduleId;
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** What plan reads and concludes, exactly as `handover plan` does, at the sandbox's pinned "now". */
async function plan(w: World) {
  const providers = createProviders(w.env, w.config, { need: ['pagerduty', 'platform'] });
  const handover = { apiVersion: 'handover/v1' as const, kind: 'Handover' as const, ...w.manifest };
  const live = await readLiveState(providers, w.config, handover, NOW);
  return { findings: findStranded(handover, w.config, live), items: planItems(handover, w.config, live) };
}

/** Overrides made through the real client, in order: PagerDuty's newest override wins where two overlap. */
async function makeOverrides(w: World, overrides: Array<Omit<PdOverride, 'id'>>): Promise<void> {
  const { pagerduty } = createProviders(w.env, w.config, { need: ['pagerduty'] });
  for (const override of overrides) await pagerduty.createOverride(SCHEDULE, override);
}

const bobAllAfternoon = { start: '2026-11-26T12:00:00Z', end: '2026-11-26T20:00:00Z', userId: bob.pagerduty };
const danaInside = { start: '2026-11-26T16:30:00Z', end: '2026-11-26T17:00:00Z', userId: dana.pagerduty };
const weekly = (window: ManifestInput['window']) =>
  fullManifest({ id: '2026-11-30-alice-to-bob', variant: 'weekly-rotation', window });

describe('plan and apply agree about the freeze', () => {
  it.each([
    {
      case: 'no override yet: one is made',
      manifest: fullManifest(),
      overrides: [],
      rule: null,
      planned: 'override',
      applied: 'done',
    },
    {
      case: "bob's covering override, then a newer one of dana's inside the window: a new override is made",
      manifest: fullManifest(),
      overrides: [bobAllAfternoon, danaInside],
      rule: 'window.override-superseded',
      planned: 'override',
      applied: 'done',
    },
    {
      case: "dana's override, then bob's newer covering one: bob's stands",
      manifest: fullManifest(),
      overrides: [danaInside, bobAllAfternoon],
      rule: 'window.override-exists',
      planned: 'skip',
      applied: 'already-done',
    },
    {
      case: 'weekly rotation that already puts bob on call: no override',
      manifest: weekly({ start: '2026-11-30T16:00:00Z', end: '2026-11-30T18:00:00Z' }),
      overrides: [],
      rule: 'window.rotation-covers',
      planned: 'skip',
      applied: 'skipped',
    },
    {
      case: 'weekly rotation with a gap: an override is made',
      manifest: weekly({ start: '2026-11-30T14:00:00Z', end: '2026-11-30T16:30:00Z' }),
      overrides: [],
      rule: 'window.rotation-gap',
      planned: 'override',
      applied: 'done',
    },
  ])('$case', async ({ manifest, overrides, rule, planned, applied }) => {
    world = await createWorld({ manifest });
    await makeOverrides(world, overrides);

    const { findings, items } = await plan(world);
    const windowRules = findings.filter((f) => f.section === 'window').map((f) => f.rule);
    expect(windowRules).toEqual(rule ? [rule] : []);
    const item = items.find((i) => i.section === 'window')!;
    expect(item.skipped === null ? 'override' : 'skip').toBe(planned);

    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(result.journal!.actions.find((a) => a.step === 'freeze')?.outcome).toBe(applied);
  });
});

describe('plan and apply agree about sessions the manifest does not list', () => {
  it('plan shows the session ended before the ticket moves, and apply ends it', async () => {
    const manifest = fullManifest();
    manifest.tickets = manifest.tickets.map((t) =>
      t.id === PLATFORM_SEED.ticketActive ? { id: t.id, disposition: 'waiting_on_customer' as const } : t,
    );
    world = await createWorld({ manifest });

    const { findings, items } = await plan(world);
    expect(findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.target])).toEqual([
      ['session.unlisted', PLATFORM_SEED.sessionOnActiveTicket],
    ]);
    const ticket = items.find((i) => i.section === 'tickets' && i.target === PLATFORM_SEED.ticketActive)!;
    expect(ticket.actions.slice(0, 2)).toEqual([
      `end alice's impersonation session ${PLATFORM_SEED.sessionOnActiveTicket}, open on this ticket (not listed in the manifest)`,
      'reassign to bob',
    ]);

    const result = await world.apply();
    expect(result.exitCode).toBe(0);
    expect(world.sandbox.emulators.platform.session(PLATFORM_SEED.sessionOnActiveTicket)?.status).toBe(
      'ended',
    );
  });
});
