import { describe, expect, it } from 'vitest';
import type { Handover } from '../../src/manifest/types.js';
import type { LiveState } from '../../src/runbook/live-state.js';
import { findStranded, type PlanFinding } from '../../src/runbook/steps/verify-stranded.js';
import { config, handover, incident, live, rollout, session, ticket } from './builders.js';

type Case = {
  name: string;
  manifest?: Partial<Handover>;
  world?: Partial<LiveState>;
  expected: Array<Pick<PlanFinding, 'severity' | 'rule' | 'target'>>;
};

const q1 = incident('Q1', { title: 'EU API latency' });
const sup1 = ticket('SUP-1');

const cases: Case[] = [
  { name: 'a manifest that matches the world finds nothing', expected: [] },
  {
    name: 'an open incident of the outgoing admin that the manifest omits would be stranded',
    world: { openIncidents: [q1, incident('Q2')] },
    expected: [{ severity: 'error', rule: 'incident.omitted', target: 'Q2' }],
  },
  {
    name: 'a triggered incident assigned to the outgoing admin among others still counts',
    world: {
      openIncidents: [q1, incident('Q2', { status: 'triggered', assigneeIds: ['PUSR003', 'PUSR001'] })],
    },
    expected: [{ severity: 'error', rule: 'incident.omitted', target: 'Q2' }],
  },
  {
    name: "someone else's open incident in the service is context, not part of the handover",
    world: { openIncidents: [q1, incident('Q4', { assigneeIds: ['PUSR003'] })] },
    expected: [{ severity: 'info', rule: 'incident.not-outgoing', target: 'Q4' }],
  },
  {
    name: 'a listed incident that is already resolved is skipped with a warning',
    world: {
      openIncidents: [],
      manifestIncidents: new Map([['Q1', { ...q1, status: 'resolved' as const }]]),
    },
    expected: [{ severity: 'warning', rule: 'incident.resolved', target: 'Q1' }],
  },
  {
    name: 'a listed incident PagerDuty does not know is a warning',
    world: { openIncidents: [], manifestIncidents: new Map([['Q1', null]]) },
    expected: [{ severity: 'warning', rule: 'incident.unknown', target: 'Q1' }],
  },
  {
    name: 'a listed incident of another service is a warning',
    world: {
      openIncidents: [],
      manifestIncidents: new Map([['Q1', { ...q1, serviceId: 'PSVC002' }]]),
    },
    expected: [{ severity: 'warning', rule: 'incident.other-service', target: 'Q1' }],
  },
  {
    name: 'a listed incident assigned to someone else is a warning',
    world: {
      openIncidents: [{ ...q1, assigneeIds: ['PUSR003'] }],
      manifestIncidents: new Map([['Q1', { ...q1, assigneeIds: ['PUSR003'] }]]),
    },
    expected: [{ severity: 'warning', rule: 'incident.not-outgoing', target: 'Q1' }],
  },
  {
    name: 'a pinned ticket of the outgoing admin that the manifest omits would be stranded',
    world: { pinnedTickets: [sup1, ticket('SUP-2', { status: 'open' })] },
    expected: [{ severity: 'error', rule: 'ticket.omitted', target: 'SUP-2' }],
  },
  {
    name: 'a listed ticket that is closed is skipped with a warning',
    world: {
      pinnedTickets: [],
      manifestTickets: new Map([['SUP-1', { ...sup1, status: 'closed' as const }]]),
    },
    expected: [{ severity: 'warning', rule: 'ticket.closed', target: 'SUP-1' }],
  },
  {
    name: 'a listed ticket the tracker does not know is a warning',
    world: { pinnedTickets: [], manifestTickets: new Map([['SUP-1', null]]) },
    expected: [{ severity: 'warning', rule: 'ticket.unknown', target: 'SUP-1' }],
  },
  {
    name: 'a listed ticket assigned to someone else is a warning',
    world: { pinnedTickets: [], manifestTickets: new Map([['SUP-1', { ...sup1, assignee: 'dana' }]]) },
    expected: [{ severity: 'warning', rule: 'ticket.not-outgoing', target: 'SUP-1' }],
  },
  {
    name: 'an open impersonation session on a listed ticket that the manifest does not list is an error',
    world: { openSessions: [session('imp_1', { ticketId: 'SUP-1' })] },
    expected: [{ severity: 'error', rule: 'session.unlisted', target: 'imp_1' }],
  },
  {
    name: 'a listed session that is not open is a warning',
    manifest: { tickets: [{ id: 'SUP-1', disposition: 'active', impersonationSession: 'imp_gone' }] },
    expected: [{ severity: 'warning', rule: 'session.not-open', target: 'imp_gone' }],
  },
  {
    name: 'a listed session opened on another ticket is a warning',
    manifest: { tickets: [{ id: 'SUP-1', disposition: 'active', impersonationSession: 'imp_1' }] },
    world: { openSessions: [session('imp_1', { ticketId: 'SUP-9' })] },
    expected: [{ severity: 'warning', rule: 'session.other-ticket', target: 'imp_1' }],
  },
  {
    name: 'a listed open session on its ticket is fine',
    manifest: { tickets: [{ id: 'SUP-1', disposition: 'active', impersonationSession: 'imp_1' }] },
    world: { openSessions: [session('imp_1', { ticketId: 'SUP-1' })] },
    expected: [],
  },
  {
    name: 'a session on no ticket of the handover is context on a rotation',
    world: { openSessions: [session('imp_2', { ticketId: 'SUP-77' })] },
    expected: [{ severity: 'info', rule: 'session.left-open', target: 'imp_2' }],
  },
  {
    name: 'a session on no ticket of the handover is a warning on a departure',
    manifest: { reason: 'departure' },
    world: { openSessions: [session('imp_2')] },
    expected: [{ severity: 'warning', rule: 'session.left-open', target: 'imp_2' }],
  },
  {
    name: 'a compromised emergency ends every open session',
    manifest: {
      variant: 'emergency',
      emergency: { cause: 'compromised' },
      window: { end: '2026-11-26T18:00:00Z' },
    },
    world: { openSessions: [session('imp_1', { ticketId: 'SUP-1' }), session('imp_2')] },
    expected: [
      { severity: 'info', rule: 'session.ended-compromised', target: 'imp_1' },
      { severity: 'info', rule: 'session.ended-compromised', target: 'imp_2' },
    ],
  },
  {
    name: 'a rollout in flight that the manifest omits would be stranded, whoever owns it',
    world: { rollouts: [rollout('ledger'), rollout('routing', { state: 'paused', owner: 'dana' })] },
    expected: [{ severity: 'error', rule: 'rollout.omitted', target: 'routing' }],
  },
  {
    name: 'a listed rollout that has finished is skipped with a warning',
    world: { rollouts: [rollout('ledger', { state: 'complete', rampPercent: 100 })] },
    expected: [{ severity: 'warning', rule: 'rollout.finished', target: 'ledger' }],
  },
  {
    name: 'a listed rollout that was rolled back is skipped with a warning',
    world: { rollouts: [rollout('ledger', { state: 'rolled_back' })] },
    expected: [{ severity: 'warning', rule: 'rollout.finished', target: 'ledger' }],
  },
  {
    name: 'a listed rollout the console does not know is a warning',
    world: { rollouts: [] },
    expected: [{ severity: 'warning', rule: 'rollout.unknown', target: 'ledger' }],
  },
  {
    name: 'a ramp that moved since the manifest was written is drift',
    world: { rollouts: [rollout('ledger', { rampPercent: 50 })] },
    expected: [{ severity: 'warning', rule: 'rollout.drift', target: 'ledger' }],
  },
  {
    name: 'an error rate that moved is drift',
    world: { rollouts: [rollout('ledger', { errorRatePercent: 0.9 })] },
    expected: [{ severity: 'warning', rule: 'rollout.drift', target: 'ledger' }],
  },
  {
    name: 'an error rate within a hundredth of a percent is not drift',
    world: { rollouts: [rollout('ledger', { errorRatePercent: 0.421 })] },
    expected: [],
  },
  {
    name: 'a rollout paused since the manifest was written is drift',
    world: { rollouts: [rollout('ledger', { state: 'paused' })] },
    expected: [{ severity: 'warning', rule: 'rollout.drift', target: 'ledger' }],
  },
  {
    name: 'a window that has already ended cannot be overridden',
    manifest: { window: { start: '2026-11-26T10:00:00Z', end: '2026-11-26T12:00:00Z' } },
    expected: [
      { severity: 'error', rule: 'window.ended', target: '2026-11-26T10:00:00Z → 2026-11-26T12:00:00Z' },
    ],
  },
  {
    name: 'weekly rotation: auto-rotation already covers the window, no override needed',
    manifest: { variant: 'weekly-rotation' },
    world: {
      onCalls: [
        { userId: 'PUSR001', start: '2026-11-19T16:00:00Z', end: '2026-11-26T16:00:00Z', escalationLevel: 1 },
        { userId: 'PUSR002', start: '2026-11-26T16:00:00Z', end: '2026-12-03T16:00:00Z', escalationLevel: 1 },
      ],
    },
    expected: [
      {
        severity: 'info',
        rule: 'window.rotation-covers',
        target: '2026-11-26T16:00:00Z → 2026-11-26T18:00:00Z',
      },
    ],
  },
  {
    name: 'weekly rotation: auto-rotation leaves a gap, an override will be made',
    manifest: { variant: 'weekly-rotation' },
    world: {
      onCalls: [
        { userId: 'PUSR002', start: '2026-11-26T17:00:00Z', end: '2026-12-03T16:00:00Z', escalationLevel: 1 },
      ],
    },
    expected: [
      {
        severity: 'warning',
        rule: 'window.rotation-gap',
        target: '2026-11-26T16:00:00Z → 2026-11-26T18:00:00Z',
      },
    ],
  },
  {
    name: 'an existing override for the incoming admin is reported so nobody makes a second one',
    world: {
      overrides: [
        { id: 'POV1', start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z', userId: 'PUSR002' },
      ],
    },
    expected: [
      {
        severity: 'info',
        rule: 'window.override-exists',
        target: '2026-11-26T16:00:00Z → 2026-11-26T18:00:00Z',
      },
    ],
  },
  {
    name: 'an override for the incoming admin that a newer override of someone else overtakes is a warning: apply overrides again',
    world: {
      overrides: [
        { id: 'POV1', start: '2026-11-26T12:00:00Z', end: '2026-11-26T20:00:00Z', userId: 'PUSR002' },
        { id: 'POV2', start: '2026-11-26T16:30:00Z', end: '2026-11-26T17:00:00Z', userId: 'PUSR003' },
      ],
      onCalls: [
        { userId: 'PUSR002', start: '2026-11-26T12:00:00Z', end: '2026-11-26T16:30:00Z', escalationLevel: 1 },
        { userId: 'PUSR003', start: '2026-11-26T16:30:00Z', end: '2026-11-26T17:00:00Z', escalationLevel: 1 },
        { userId: 'PUSR002', start: '2026-11-26T17:00:00Z', end: '2026-11-26T20:00:00Z', escalationLevel: 1 },
      ],
    },
    expected: [
      {
        severity: 'warning',
        rule: 'window.override-superseded',
        target: '2026-11-26T16:00:00Z → 2026-11-26T18:00:00Z',
      },
    ],
  },
  {
    name: 'mid-shift outage: an unresolved outage is an error (apply defers)',
    manifest: { variant: 'mid-shift-outage', outage: { incident: 'Q9', lead: 'alice' } },
    world: {
      openIncidents: [q1, incident('Q9')],
      outageIncident: incident('Q9'),
    },
    expected: [{ severity: 'error', rule: 'outage.unresolved', target: 'Q9' }],
  },
  {
    name: 'mid-shift outage: a resolved outage lets the handover go ahead',
    manifest: { variant: 'mid-shift-outage', outage: { incident: 'Q9', lead: 'alice' } },
    world: { outageIncident: incident('Q9', { status: 'resolved' }) },
    expected: [{ severity: 'info', rule: 'outage.resolved', target: 'Q9' }],
  },
  {
    name: 'mid-shift outage: an outage PagerDuty does not know is a warning',
    manifest: { variant: 'mid-shift-outage', outage: { incident: 'Q9', lead: 'bob' } },
    world: { outageIncident: null },
    expected: [{ severity: 'warning', rule: 'outage.unknown', target: 'Q9' }],
  },
];

describe('findStranded compares the manifest with the live world', () => {
  it.each(cases)('$name', ({ manifest, world, expected }) => {
    const findings = findStranded(handover(manifest), config(), live(world));
    expect(findings.map(({ severity, rule, target }) => ({ severity, rule, target }))).toEqual(expected);
  });

  it('names the omitted item and what to do in its message', () => {
    const [finding] = findStranded(
      handover(),
      config(),
      live({ openIncidents: [q1, incident('Q2', { title: 'Disk full on runner 7' })] }),
    );
    expect(finding?.message).toContain('Q2 "Disk full on runner 7"');
    expect(finding?.message).toContain('assigned to alice');
    expect(finding?.message).toMatch(/add it under incidents/);
  });

  it('lists errors first, then warnings, then context', () => {
    const findings = findStranded(
      handover(),
      config(),
      live({
        openIncidents: [q1, incident('Q4', { assigneeIds: ['PUSR003'] }), incident('Q2')],
        rollouts: [rollout('ledger', { rampPercent: 30 })],
      }),
    );
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warning', 'info']);
  });

  it('does not count the outage incident as an omitted incident', () => {
    const findings = findStranded(
      handover({ variant: 'mid-shift-outage', outage: { incident: 'Q9', lead: 'alice' } }),
      config(),
      live({ openIncidents: [q1, incident('Q9')], outageIncident: incident('Q9') }),
    );
    expect(findings.map((f) => f.rule)).toEqual(['outage.unresolved']);
  });
});
