import { describe, expect, it } from 'vitest';
import { cleanTitle, type DraftRequest, draftManifest, PLACEHOLDER } from '../../src/init/draft.js';
import { config, incident, live, rollout, session, ticket } from '../plan/builders.js';
import { ALICE_TO_BOB } from '../support/handover.js';

const request: DraftRequest = { ...ALICE_TO_BOB };

describe('init lists every open incident of the outgoing admin', () => {
  it('with its id, title and a status paragraph to fill in; others’ incidents stay out', () => {
    const draft = draftManifest(
      request,
      config(),
      live({
        openIncidents: [
          incident('Q2', { createdAt: '2026-11-26T14:00:00Z', title: 'Disk full' }),
          incident('Q1', { createdAt: '2026-11-26T10:00:00Z', title: 'Latency' }),
          incident('Q4', { assigneeIds: ['PUSR003'] }),
        ],
      }),
    );
    expect(draft.manifest.incidents).toEqual([
      {
        id: 'Q1',
        title: 'Latency',
        status: {
          hypothesis: PLACEHOLDER.hypothesis,
          lastAction: PLACEHOLDER.lastAction,
          nextAction: PLACEHOLDER.nextAction,
        },
      },
      {
        id: 'Q2',
        title: 'Disk full',
        status: {
          hypothesis: PLACEHOLDER.hypothesis,
          lastAction: PLACEHOLDER.lastAction,
          nextAction: PLACEHOLDER.nextAction,
        },
      },
    ]);
    expect(draft.comments).toContainEqual({
      path: ['incidents', 0],
      text: 'https://novalien.pagerduty.com/incidents/Q1 (acknowledged since 2026-11-26T10:00:00Z)',
    });
  });

  it('leaves the status out in an emergency', () => {
    const draft = draftManifest(
      { ...request, variant: 'emergency', cause: 'incapacitated', window: { end: request.window.end } },
      config(),
      live(),
    );
    expect(draft.manifest.incidents).toEqual([{ id: 'Q1', title: 'EU API latency' }]);
    expect(draft.manifest.emergency).toEqual({ cause: 'incapacitated' });
  });

  it('leaves the outage incident to the outage block during a mid-shift outage', () => {
    const draft = draftManifest(
      { ...request, variant: 'mid-shift-outage', outage: { incident: 'Q9', lead: 'alice' } },
      config(),
      live({ openIncidents: [incident('Q1'), incident('Q9')] }),
    );
    expect((draft.manifest.incidents as Array<{ id: string }>).map((i) => i.id)).toEqual(['Q1']);
    expect(draft.manifest.outage).toEqual({ incident: 'Q9', lead: 'alice' });
  });
});

describe('init derives each ticket’s disposition from the tracker', () => {
  it.each([
    [
      'waiting on a customer',
      ticket('T-1', { waitingOn: 'customer' }),
      [],
      { id: 'T-1', disposition: 'waiting_on_customer' },
      0,
    ],
    [
      'waiting on engineering, with the linked issue',
      ticket('T-1', {
        waitingOn: 'engineering',
        links: [{ url: 'https://github.com/o/r/issues/5', kind: 'engineering_issue' }],
      }),
      [],
      {
        id: 'T-1',
        disposition: 'waiting_on_engineering',
        engineeringIssue: 'https://github.com/o/r/issues/5',
      },
      0,
    ],
    [
      'waiting on engineering, no issue linked yet',
      ticket('T-1', { waitingOn: 'engineering' }),
      [],
      { id: 'T-1', disposition: 'waiting_on_engineering', engineeringIssue: PLACEHOLDER.engineeringIssue },
      1,
    ],
    [
      'with an open impersonation session: active, whatever it waits on',
      ticket('T-1', { waitingOn: 'customer' }),
      [session('imp_1', { ticketId: 'T-1' })],
      { id: 'T-1', disposition: 'active', impersonationSession: 'imp_1' },
      0,
    ],
    [
      'nothing known',
      ticket('T-1', { waitingOn: null }),
      [],
      { id: 'T-1', disposition: PLACEHOLDER.disposition },
      1,
    ],
  ])('%s', (_name, pinned, sessions, expected, placeholders) => {
    const draft = draftManifest(
      request,
      config(),
      live({ openIncidents: [], rollouts: [], pinnedTickets: [pinned], openSessions: sessions }),
    );
    expect(draft.manifest.tickets).toEqual([expected]);
    expect(draft.counts.placeholders).toBe(placeholders);
  });
});

describe('init copies rollouts in flight with their live numbers', () => {
  it('lists ramping and paused rollouts, never finished ones', () => {
    const draft = draftManifest(
      request,
      config(),
      live({
        openIncidents: [],
        pinnedTickets: [],
        rollouts: [
          rollout('ledger', { rampPercent: 30, errorRatePercent: 0.5 }),
          rollout('routing', { state: 'paused', rampPercent: 10, errorRatePercent: 1.8 }),
          rollout('done', { state: 'complete' }),
        ],
      }),
    );
    expect(draft.manifest.rollouts).toEqual([
      {
        flag: 'ledger',
        state: 'ramping',
        rampPercent: 30,
        lastErrorRatePercent: 0.5,
        nextStep: PLACEHOLDER.nextStep,
      },
      {
        flag: 'routing',
        state: 'paused',
        rampPercent: 10,
        lastErrorRatePercent: 1.8,
        nextStep: PLACEHOLDER.nextStep,
      },
    ]);
    expect(draft.counts).toEqual({ incidents: 0, tickets: 0, rollouts: 2, placeholders: 2 });
  });
});

describe('cleanTitle', () => {
  it.each([
    ['EU API latency', 'EU API latency'],
    ['two\nlines', 'two lines'],
    ['bell\u0007 and \u202Ebidi', 'bell and bidi'],
    ['x'.repeat(400), `${'x'.repeat(299)}…`],
  ])('%j → %j', (input, expected) => {
    expect(cleanTitle(input)).toBe(expected);
  });
});
