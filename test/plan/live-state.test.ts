import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import type { HandoverConfig } from '../../src/config/types.js';
import { createProviders } from '../../src/providers/index.js';
import type { Providers } from '../../src/providers/types.js';
import { readLiveState } from '../../src/runbook/live-state.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { handover } from './builders.js';

/** readLiveState through the real providers against the sandbox's seed world. */
describe('readLiveState reads the part of the world a handover touches', () => {
  let sandbox: Sandbox;
  let config: HandoverConfig;
  let providers: Providers;
  const now = new Date();
  const window = {
    start: new Date(now.getTime() + 15 * 60_000).toISOString(),
    end: new Date(now.getTime() + 135 * 60_000).toISOString(),
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    const parsed = parseConfig(sandbox.configYaml(), 'handover.config.yaml');
    if (!parsed.config) throw new Error(JSON.stringify(parsed.diagnostics));
    config = parsed.config;
    providers = createProviders(sandbox.env(), config, { need: ['pagerduty', 'platform'] });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('finds the open incidents of the service, the pinned tickets, sessions and rollouts in flight', async () => {
    const live = await readLiveState(
      providers,
      config,
      handover({ incidents: [], tickets: [], rollouts: [], window }),
      now,
    );
    expect(live.openIncidents.map((i) => i.id).sort()).toEqual(
      [
        SEED_INCIDENTS.euApiLatency,
        SEED_INCIDENTS.buildRunnerDisk,
        SEED_INCIDENTS.adminCertificate,
        SEED_INCIDENTS.sessionErrors,
      ].sort(),
    );
    // Another team's incident assigned to alice is never part of it.
    expect(live.openIncidents.map((i) => i.id)).not.toContain(SEED_INCIDENTS.invoiceRendering);
    expect(live.pinnedTickets.map((t) => t.id)).toEqual([
      PLATFORM_SEED.ticketWaitingOnCustomer,
      PLATFORM_SEED.ticketWaitingOnEngineering,
      PLATFORM_SEED.ticketActive,
    ]);
    expect(live.openSessions.map((s) => s.id).sort()).toEqual(
      [PLATFORM_SEED.sessionNotOnPinnedTicket, PLATFORM_SEED.sessionOnActiveTicket].sort(),
    );
    expect(live.rollouts.map((r) => r.flag)).toEqual([
      PLATFORM_SEED.rolloutRamping,
      PLATFORM_SEED.rolloutPaused,
    ]);
    expect(live.onCalls.length).toBeGreaterThan(0);
    expect(live.readAt).toBe(now.toISOString());
    expect(live.outageIncident).toBeUndefined();
  });

  it('looks up what the manifest names, answering null for what the services do not know', async () => {
    const manifest = handover({
      window,
      incidents: [{ id: SEED_INCIDENTS.backupFailure }, { id: 'QNOSUCHINCIDENT' }],
      tickets: [
        { id: PLATFORM_SEED.ticketClosedPinned, disposition: 'waiting_on_customer' },
        { id: 'SUP-999999', disposition: 'waiting_on_customer' },
      ],
      rollouts: [
        {
          flag: PLATFORM_SEED.rolloutComplete,
          state: 'ramping',
          rampPercent: 1,
          lastErrorRatePercent: 0,
          nextStep: 'a b c',
        },
        {
          flag: 'no-such-flag',
          state: 'ramping',
          rampPercent: 1,
          lastErrorRatePercent: 0,
          nextStep: 'a b c',
        },
      ],
      variant: 'mid-shift-outage',
      outage: { incident: SEED_INCIDENTS.controlPlaneOutage, lead: 'alice' },
    });
    const live = await readLiveState(providers, config, manifest, now);
    expect(live.manifestIncidents.get(SEED_INCIDENTS.backupFailure)?.status).toBe('resolved');
    expect(live.manifestIncidents.get('QNOSUCHINCIDENT')).toBeNull();
    expect(live.manifestTickets.get(PLATFORM_SEED.ticketClosedPinned)?.status).toBe('closed');
    expect(live.manifestTickets.get('SUP-999999')).toBeNull();
    expect(live.rollouts.find((r) => r.flag === PLATFORM_SEED.rolloutComplete)?.state).toBe('complete');
    expect(live.rollouts.find((r) => r.flag === 'no-such-flag')).toBeUndefined();
    expect(live.outageIncident?.status).toBe('resolved');
  });

  it('only reads: plan changes nothing in the world', async () => {
    const before = sandbox.requests.length;
    await readLiveState(providers, config, handover({ window }), now);
    const made = sandbox.requests.slice(before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((request) => request.mutation)).toEqual([]);
  });
});
