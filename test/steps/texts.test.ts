import { describe, expect, it } from 'vitest';
import type { Handover } from '../../src/manifest/types.js';
import type { AcknowledgementInfo, Person } from '../../src/runbook/runtime/context.js';
import {
  acknowledgementNote,
  acknowledgementSentence,
  markedNote,
  statusNote,
} from '../../src/runbook/steps/incidents-notes.js';
import { pullRequestSource } from '../../src/runbook/steps/preflight.js';
import { detailsLines, splitIntoParts, summaryText } from '../../src/runbook/steps/summary-text.js';
import { engineeringIssueUrl } from '../../src/runbook/steps/tickets.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { ALICE_TO_BOB } from '../support/handover.js';

const alice: Person = { ...SEED_ADMINS.alice };
const bob: Person = { ...SEED_ADMINS.bob };
const verified: AcknowledgementInfo = {
  verified: true,
  pullRequest: 12,
  approver: 'bob',
  approvedSha: 'abc1234def5678abc1234def5678abc1234def56',
  mergedAt: '2026-11-26T14:00:00Z',
};
const unverified: AcknowledgementInfo = {
  verified: false,
  pullRequest: null,
  approver: null,
  approvedSha: null,
  mergedAt: null,
};

function handover(overrides: Partial<Handover> = {}): Handover {
  return {
    apiVersion: 'handover/v1',
    kind: 'Handover',
    ...ALICE_TO_BOB,
    incidents: [
      {
        id: 'Q1ABCDEF12345',
        title: 'EU API p99 latency above 2s',
        status: {
          hypothesis: 'Connection pool exhaustion on the read replicas.',
          lastAction: 'Raised pool size from 50 to 80 on replica 2.',
          nextAction: 'Watch p99 for 30 minutes, then fail over.',
        },
      },
    ],
    tickets: [{ id: 'SUP-4411', disposition: 'waiting_on_customer' }],
    rollouts: [
      {
        flag: 'billing-v2-ledger',
        state: 'ramping',
        rampPercent: 25,
        lastErrorRatePercent: 0.42,
        nextStep: 'Ramp to 50% tomorrow if the error rate stays low.',
      },
    ],
    ...overrides,
  };
}

describe('the summary post', () => {
  it('is exactly the runbook sentence, with real mentions and a fixed UTC time', () => {
    const text = summaryText(
      { outgoing: alice, incoming: bob },
      '2026-11-26T16:00:00.000Z',
      { incidents: 2, tickets: 3, rollouts: 1 },
      verified,
    );
    expect(text).toBe(
      'On-call: <@U0ALICE> → <@U0BOB> as of 2026-11-26 16:00 UTC. 2 incidents reassigned, 3 tickets reassigned, 1 rollouts in flight. Details in the thread.',
    );
  });

  it('adds a line saying the acknowledgement was not verified', () => {
    const text = summaryText(
      { outgoing: alice, incoming: bob },
      '2026-11-26T16:00:00Z',
      { incidents: 0, tickets: 0, rollouts: 0 },
      unverified,
    );
    expect(text.split('\n')[0]).toMatch(/^On-call: .* Details in the thread\.$/);
    expect(text.split('\n')[1]).toContain('acknowledgement NOT verified');
  });
});

describe('the details reply', () => {
  const hostile = '<!channel> <@U123> <https://evil.example|click> @here & <#C999> <!subteam^S1>';
  const evil = handover({
    incidents: [
      {
        id: 'Q1ABCDEF12345',
        title: hostile,
        status: { hypothesis: hostile, lastAction: `::error::${hostile}`, nextAction: '| table | break |' },
      },
    ],
    tickets: [{ id: 'SUP-4420', disposition: 'waiting_on_engineering', engineeringIssue: 'owner/repo#7' }],
    rollouts: [
      {
        flag: 'billing-v2-ledger',
        state: 'paused',
        rampPercent: 10,
        lastErrorRatePercent: 1,
        nextStep: hostile,
      },
    ],
  });
  const text = detailsLines({
    handover: evil,
    outgoing: alice,
    incoming: bob,
    lead: null,
    ack: verified,
    window: { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z' },
    incidents: [{ id: 'Q1ABCDEF12345', title: hostile, covered: true, failed: false }],
    tickets: [{ id: 'SUP-4420', title: hostile, covered: true, failed: false }],
    rollouts: [{ id: 'billing-v2-ledger', title: null, covered: true, failed: false }],
  }).join('\n');

  it('cannot ping the channel, mention anyone or inject a link from manifest or service text', () => {
    expect(text).not.toMatch(/<!/);
    expect(text).not.toMatch(/<#/);
    expect(text).not.toMatch(/<https?:/);
    // The only mentions are the ones we build: the incoming admin.
    expect([...text.matchAll(/<@([A-Z0-9]+)>/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['U0BOB']));
    expect(text).not.toContain('<@U123>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp;');
  });

  it('links the engineering issue as a URL built from owner/repo#N', () => {
    expect(text).toContain('https://github.com/owner/repo/issues/7');
  });

  it('names the lead of a mid-shift outage', () => {
    const lines = detailsLines({
      handover: handover({
        variant: 'mid-shift-outage',
        outage: { incident: 'Q9OUTAGE00001', lead: 'alice' },
      }),
      outgoing: alice,
      incoming: bob,
      lead: alice,
      ack: verified,
      window: { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z' },
      incidents: [],
      tickets: [],
      rollouts: [],
    });
    expect(lines).toContain('Outage lead: <@U0ALICE> led during the outage');
  });

  it('records in the thread an emergency approver who also pushed the approved commit', () => {
    const details = (ack: AcknowledgementInfo) =>
      detailsLines({
        handover: handover({ variant: 'emergency', emergency: { cause: 'incapacitated' } }),
        outgoing: alice,
        incoming: bob,
        lead: null,
        ack,
        window: { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z' },
        incidents: [],
        tickets: [],
        rollouts: [],
      }).join('\n');
    expect(details({ ...verified, approverPushedHead: true })).toContain(
      ':warning: bob also pushed the approved commit: allowed only in an emergency',
    );
    expect(details(verified)).not.toContain('also pushed');
  });
});

describe('splitting long replies', () => {
  it.each([
    [['a', 'b', 'c'], 100, ['a\nb\nc']],
    [['aaaa', 'bbbb', 'cccc'], 9, ['aaaa\nbbbb', 'cccc']],
    [['x'.repeat(20)], 10, [`${'x'.repeat(9)}…`]],
    [[], 10, ['']],
  ])('splits %j at %i characters', (lines, max, parts) => {
    expect(splitIntoParts(lines, max)).toEqual(parts);
  });
});

describe('notes on the incident', () => {
  it('carries the three parts of the status and a marker a re-run finds', () => {
    const h = handover();
    const note = statusNote(h, h.incidents[0]!, { outgoing: alice, incoming: bob }, verified);
    expect(note.split('\n')).toEqual([
      'Handover 2026-11-26-alice-to-bob: alice → bob',
      'Hypothesis: Connection pool exhaustion on the read replicas.',
      'Last action: Raised pool size from 50 to 80 on replica 2.',
      'Next action: Watch p99 for 30 minutes, then fail over.',
      'handover 2026-11-26-alice-to-bob · status',
    ]);
  });

  it('says plainly when the acknowledgement was not verified', () => {
    const h = handover();
    expect(statusNote(h, h.incidents[0]!, { outgoing: alice, incoming: bob }, unverified)).toContain(
      'acknowledgement NOT verified',
    );
    expect(acknowledgementNote(h.id, bob, unverified)).toContain('acknowledgement NOT verified');
  });

  it('cites the approval', () => {
    expect(acknowledgementSentence(bob, verified)).toBe(
      'Acknowledged by bob via approval of PR #12 at commit abc1234',
    );
    expect(acknowledgementSentence(bob, { ...verified, approver: 'dana' })).toBe(
      'Acknowledged for bob by dana via approval of PR #12 at commit abc1234',
    );
  });

  it('is not fooled by manifest text that imitates the other marker', () => {
    const h = handover();
    const forged = handover({
      incidents: [
        {
          id: 'Q1ABCDEF12345',
          status: {
            hypothesis: 'a b c',
            lastAction: 'd e f',
            nextAction: 'g h i\nhandover 2026-11-26-alice-to-bob · ack',
          },
        },
      ],
    });
    const note = statusNote(forged, forged.incidents[0]!, { outgoing: alice, incoming: bob }, verified);
    const notes = [{ id: 'N1', content: note, userId: 'PUSR001', createdAt: '2026-11-26T15:00:00Z' }];
    expect(markedNote(notes, `handover ${h.id} · ack`)).toBeUndefined();
    expect(markedNote(notes, `handover ${h.id} · status`)?.id).toBe('N1');
  });
});

describe('engineering issue references', () => {
  it.each([
    ['novavms/platform#812', 'https://github.com/novavms/platform/issues/812'],
    ['https://github.com/novavms/platform/issues/812', 'https://github.com/novavms/platform/issues/812'],
    ['https://jira.example/browse/ENG-1', 'https://jira.example/browse/ENG-1'],
  ])('%s → %s', (reference, url) => {
    expect(engineeringIssueUrl(reference)).toBe(url);
  });
});

describe('where the pull request comes from', () => {
  const sha = 'a'.repeat(40);
  const noFile = () => {
    throw new Error('no file');
  };
  it.each([
    [
      'an explicit number wins',
      { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' },
      7,
      { kind: 'number', number: 7 },
    ],
    [
      'a push in Actions uses GITHUB_SHA',
      { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_SHA: sha },
      undefined,
      { kind: 'push', sha },
    ],
    [
      'a pull_request event is no source',
      { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_SHA: sha },
      undefined,
      { kind: 'none' },
    ],
    ['outside Actions there is none', { GITHUB_SHA: sha }, undefined, { kind: 'none' }],
  ] as const)('%s', (_name, env, number, expected) => {
    expect(pullRequestSource(env, number, noFile)).toMatchObject(expected);
  });

  it('reads the commit from the push event payload', () => {
    const after = 'b'.repeat(40);
    const source = pullRequestSource(
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: '/event.json',
        GITHUB_SHA: sha,
      },
      undefined,
      () => JSON.stringify({ after, head_commit: { id: 'c'.repeat(40) } }),
    );
    expect(source).toEqual({ kind: 'push', sha: after });
  });
});
