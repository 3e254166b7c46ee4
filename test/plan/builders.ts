/** Small builders for the pure parts of plan and init: a roster of three, a manifest, a live world. */
import type { HandoverConfig } from '../../src/config/types.js';
import type { Handover } from '../../src/manifest/types.js';
import type {
  GhPullFile,
  GhPullRequest,
  GhReview,
  ImpersonationSession,
  PdIncident,
  Rollout,
  Ticket,
} from '../../src/providers/types.js';
import type { LiveState } from '../../src/runbook/live-state.js';
import { ALICE_TO_BOB } from '../support/handover.js';

export const NOW = new Date('2026-11-26T15:00:00Z');

export function config(): HandoverConfig {
  const person = (handle: string, n: number) => ({
    github: `${handle}-nv`,
    pagerduty: `PUSR00${n}`,
    slack: `U0${handle.toUpperCase()}`,
    email: `${handle}@novavms.example`,
    tracker: handle,
  });
  return {
    pagerduty: { serviceId: 'PSVC001', scheduleId: 'PSCH001' },
    slack: { channel: 'C0PLATOPS', channelName: 'novavms-platform-ops' },
    platform: { url: 'http://127.0.0.1:1/api/v1' },
    roster: { alice: person('alice', 1), bob: person('bob', 2), dana: person('dana', 3) },
  };
}

const STATUS = {
  hypothesis: 'Connection pool exhaustion on the read replicas.',
  lastAction: 'Raised the pool size from 50 to 80 at 14:40 UTC.',
  nextAction: 'Watch p99 for thirty minutes, then fail over.',
};

export function handover(overrides: Partial<Handover> = {}): Handover {
  return {
    apiVersion: 'handover/v1',
    kind: 'Handover',
    ...ALICE_TO_BOB,
    incidents: [{ id: 'Q1', title: 'EU API latency', status: STATUS }],
    tickets: [{ id: 'SUP-1', disposition: 'waiting_on_customer' }],
    rollouts: [
      {
        flag: 'ledger',
        state: 'ramping',
        rampPercent: 25,
        lastErrorRatePercent: 0.42,
        nextStep: 'Ramp to 50% tomorrow if errors stay low.',
      },
    ],
    ...overrides,
  };
}

export function incident(id: string, overrides: Partial<PdIncident> = {}): PdIncident {
  return {
    id,
    title: `Incident ${id}`,
    status: 'acknowledged',
    serviceId: 'PSVC001',
    assigneeIds: ['PUSR001'],
    htmlUrl: `https://novalien.pagerduty.com/incidents/${id}`,
    createdAt: '2026-11-26T12:00:00Z',
    ...overrides,
  };
}

export function ticket(id: string, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id,
    title: `Ticket ${id}`,
    assignee: 'alice',
    pinned: true,
    status: 'pending',
    waitingOn: 'customer',
    labels: [],
    links: [],
    updatedAt: '2026-11-26T12:00:00Z',
    ...overrides,
  };
}

export function session(id: string, overrides: Partial<ImpersonationSession> = {}): ImpersonationSession {
  return {
    id,
    admin: 'alice',
    ticketId: null,
    status: 'open',
    startedAt: '2026-11-26T14:00:00Z',
    endedAt: null,
    ...overrides,
  };
}

export function rollout(flag: string, overrides: Partial<Rollout> = {}): Rollout {
  return {
    flag,
    state: 'ramping',
    rampPercent: 25,
    errorRatePercent: 0.42,
    owner: 'alice',
    annotations: [],
    ...overrides,
  };
}

/** A world that matches `handover()` exactly: nothing stranded. */
export function live(overrides: Partial<LiveState> = {}): LiveState {
  const q1 = incident('Q1', { title: 'EU API latency' });
  const sup1 = ticket('SUP-1');
  return {
    readAt: NOW.toISOString(),
    openIncidents: [q1],
    manifestIncidents: new Map([['Q1', q1]]),
    pinnedTickets: [sup1],
    manifestTickets: new Map([['SUP-1', sup1]]),
    openSessions: [],
    rollouts: [rollout('ledger')],
    onCalls: [
      { userId: 'PUSR001', start: '2026-11-23T16:00:00Z', end: '2026-11-30T16:00:00Z', escalationLevel: 1 },
    ],
    overrides: [],
    ...overrides,
  };
}

export const HEAD = 'abc1234def5678abc1234def5678abc1234def56';
export const OLD = '0001111222333444555666777888999aaabbbccc';
export const MANIFEST_PATH = 'handovers/2026/2026-11-26-alice-to-bob.yaml';

export function pull(overrides: Partial<GhPullRequest> = {}): GhPullRequest {
  return {
    number: 7,
    title: 'Handover alice to bob',
    state: 'open',
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    headSha: HEAD,
    headRef: 'handover/alice-to-bob',
    baseRef: 'main',
    author: 'alice-nv',
    htmlUrl: 'https://github.com/novavms/oncall/pull/7',
    ...overrides,
  };
}

let reviewId = 0;
export function review(user: string | null, state: GhReview['state'], commitId = HEAD): GhReview {
  reviewId += 1;
  return { id: reviewId, user, state, commitId, submittedAt: '2026-11-26T15:00:00Z' };
}

export function added(filename = MANIFEST_PATH): GhPullFile {
  return { filename, status: 'added', previousFilename: null };
}
