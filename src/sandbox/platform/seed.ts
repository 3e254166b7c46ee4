import { SEED_ADMINS } from '../roster.js';
import type { PlatformState } from './model.js';

/**
 * The ids of the seed world that tests, the demo and docs refer to. The three pinned tickets and the
 * in-flight rollout match the example manifest of docs/design.md#the-manifest.
 */
export const PLATFORM_SEED = {
  /** alice, pinned, waiting on a customer reply. */
  ticketWaitingOnCustomer: 'SUP-4411',
  /** alice, pinned, waiting on engineering, no engineering issue linked yet. */
  ticketWaitingOnEngineering: 'SUP-4420',
  /** alice, pinned, active, with alice's open impersonation session `sessionOnActiveTicket`. */
  ticketActive: 'SUP-4432',
  /** alice, pinned, closed. */
  ticketClosedPinned: 'SUP-4301',
  /** alice, not pinned (one with an open session of hers, one waiting on a customer). */
  ticketsUnpinned: ['SUP-4390', 'SUP-4395'],
  /** dana, pinned. */
  ticketOfDana: 'SUP-4450',
  /** bob, not pinned. */
  ticketOfBob: 'SUP-4460',
  sessionOnActiveTicket: 'imp_01HZX3',
  /** alice's other open session, on an unpinned ticket. */
  sessionNotOnPinnedTicket: 'imp_01HZX7',
  /** alice's ended session (ended five days ago; its audit event is in the log). */
  sessionEnded: 'imp_01HZW1',
  /** dana's open session: a handover from alice must never touch it. */
  sessionOfDana: 'imp_01HZX9',
  rolloutRamping: 'billing-v2-ledger',
  rolloutPaused: 'eu-west-read-replica-routing',
  rolloutComplete: 'vm-snapshot-compression',
  rolloutRolledBack: 'console-nav-redesign',
  engineeringIssueUrl: 'https://github.com/novavms/platform/issues/812',
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The seed world, its timestamps relative to the sandbox clock so that "the last hour" means something. */
export function seedPlatformState(now: Date): PlatformState {
  const at = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
  const { alice, bob, dana } = SEED_ADMINS;
  const S = PLATFORM_SEED;

  return {
    users: [alice.tracker, bob.tracker, dana.tracker],
    tickets: [
      {
        id: S.ticketClosedPinned,
        title: 'SSO login loops back to the sign-in page for okta tenants',
        assignee: alice.tracker,
        pinned: true,
        status: 'closed',
        waitingOn: null,
        labels: ['auth', 'resolved'],
        links: [],
        updatedAt: at(5 * DAY),
      },
      {
        id: 'SUP-4390',
        title: 'Raise the VM quota for globex-prod from 200 to 350 vCPUs',
        assignee: alice.tracker,
        pinned: false,
        status: 'open',
        waitingOn: null,
        labels: ['quota'],
        links: [],
        updatedAt: at(3 * HOUR),
      },
      {
        id: 'SUP-4395',
        title: 'Invoice PDF shows the wrong VAT number for initech-de',
        assignee: alice.tracker,
        pinned: false,
        status: 'pending',
        waitingOn: 'customer',
        labels: ['billing', 'waiting_on_customer'],
        links: [],
        updatedAt: at(2 * DAY),
      },
      {
        id: S.ticketWaitingOnCustomer,
        title: 'Snapshot export to S3 fails with AccessDenied for umbrella-corp',
        assignee: alice.tracker,
        pinned: true,
        status: 'pending',
        waitingOn: 'customer',
        labels: ['storage'],
        links: [],
        updatedAt: at(20 * HOUR),
      },
      {
        id: S.ticketWaitingOnEngineering,
        title: 'Live migration stalls at 99% on hosts with more than 1 TB RAM',
        assignee: alice.tracker,
        pinned: true,
        status: 'pending',
        waitingOn: 'engineering',
        labels: ['compute'],
        links: [],
        updatedAt: at(6 * HOUR),
      },
      {
        id: S.ticketActive,
        title: 'Billing dashboard double-counts reserved instances for acme-corp',
        assignee: alice.tracker,
        pinned: true,
        status: 'open',
        waitingOn: null,
        labels: ['billing'],
        links: [],
        updatedAt: at(40 * MINUTE),
      },
      {
        id: S.ticketOfDana,
        title: 'Custom domain DNS takes over an hour to propagate for hooli',
        assignee: dana.tracker,
        pinned: true,
        status: 'open',
        waitingOn: null,
        labels: ['networking'],
        links: [],
        updatedAt: at(90 * MINUTE),
      },
      {
        id: S.ticketOfBob,
        title: 'Audit export CSV is missing the tenant column',
        assignee: bob.tracker,
        pinned: false,
        status: 'open',
        waitingOn: null,
        labels: ['audit'],
        links: [],
        updatedAt: at(DAY),
      },
    ],
    comments: [
      {
        ticketId: S.ticketWaitingOnCustomer,
        id: 'cmt_4411a',
        author: alice.tracker,
        body: 'Asked umbrella-corp to confirm the bucket policy grants s3:PutObject to our export role.',
        createdAt: at(22 * HOUR),
      },
      {
        ticketId: S.ticketWaitingOnCustomer,
        id: 'cmt_4411b',
        author: 'jmiller.umbrella',
        body: 'Checking with our cloud team, will get back to you tomorrow.',
        createdAt: at(20 * HOUR),
      },
      {
        ticketId: S.ticketWaitingOnEngineering,
        id: 'cmt_4420a',
        author: alice.tracker,
        body: 'Reproduced on host cmp-eu-114 (1.5 TB): dirty page rate outpaces the copy at the last pass.',
        createdAt: at(7 * HOUR),
      },
      {
        ticketId: S.ticketWaitingOnEngineering,
        id: 'cmt_4420b',
        author: alice.tracker,
        body: 'Compute team is looking at it; issue to be linked once filed.',
        createdAt: at(6 * HOUR),
      },
      {
        ticketId: S.ticketActive,
        id: 'cmt_4432a',
        author: 'finance.acme',
        body: 'Our November invoice lists 48 reserved instances; we only bought 24.',
        createdAt: at(3 * HOUR),
      },
      {
        ticketId: S.ticketActive,
        id: 'cmt_4432b',
        author: alice.tracker,
        body: 'Impersonating the tenant to compare the dashboard with the ledger export.',
        createdAt: at(45 * MINUTE),
      },
    ],
    sessions: [
      {
        id: S.sessionEnded,
        admin: alice.tracker,
        ticketId: S.ticketClosedPinned,
        status: 'ended',
        startedAt: at(5 * DAY + 2 * HOUR),
        endedAt: at(5 * DAY),
      },
      {
        id: 'imp_01HZW5',
        admin: dana.tracker,
        ticketId: null,
        status: 'ended',
        startedAt: at(2 * DAY + HOUR),
        endedAt: at(2 * DAY),
      },
      {
        id: S.sessionNotOnPinnedTicket,
        admin: alice.tracker,
        ticketId: 'SUP-4390',
        status: 'open',
        startedAt: at(3 * HOUR),
        endedAt: null,
      },
      {
        id: S.sessionOfDana,
        admin: dana.tracker,
        ticketId: S.ticketOfDana,
        status: 'open',
        startedAt: at(80 * MINUTE),
        endedAt: null,
      },
      {
        id: S.sessionOnActiveTicket,
        admin: alice.tracker,
        ticketId: S.ticketActive,
        status: 'open',
        startedAt: at(45 * MINUTE),
        endedAt: null,
      },
    ],
    rollouts: [
      {
        flag: S.rolloutRamping,
        state: 'ramping',
        rampPercent: 25,
        errorRatePercent: 0.42,
        owner: alice.tracker,
        annotations: [
          {
            id: 'ann_ledger1',
            rampPercent: 10,
            lastErrorRatePercent: 0.31,
            nextStep: 'Ramp to 25% on Monday if the error rate stays under 0.5%.',
            author: alice.tracker,
            createdAt: at(3 * DAY),
          },
        ],
      },
      {
        flag: S.rolloutPaused,
        state: 'paused',
        rampPercent: 10,
        errorRatePercent: 1.8,
        owner: alice.tracker,
        annotations: [],
      },
      {
        flag: S.rolloutComplete,
        state: 'complete',
        rampPercent: 100,
        errorRatePercent: 0.05,
        owner: bob.tracker,
        annotations: [],
      },
      {
        flag: S.rolloutRolledBack,
        state: 'rolled_back',
        rampPercent: 0,
        errorRatePercent: 3.1,
        owner: dana.tracker,
        annotations: [
          {
            id: 'ann_nav1',
            rampPercent: 50,
            lastErrorRatePercent: 3.1,
            nextStep: 'Rolled back: client errors on Safari 16. Fix in console#2210 before retrying.',
            author: dana.tracker,
            createdAt: at(4 * DAY),
          },
        ],
      },
    ],
    audit: [
      event(
        'aud_0001',
        'platform.impersonation_started',
        alice.tracker,
        S.sessionEnded,
        at(5 * DAY + 2 * HOUR),
      ),
      event('aud_0002', 'platform.impersonation_ended', alice.tracker, S.sessionEnded, at(5 * DAY)),
      event('aud_0003', 'platform.impersonation_started', dana.tracker, 'imp_01HZW5', at(2 * DAY + HOUR)),
      event('aud_0004', 'platform.impersonation_ended', dana.tracker, 'imp_01HZW5', at(2 * DAY)),
      event('aud_0005', 'platform.flag_ramped', alice.tracker, S.rolloutRamping, at(DAY)),
      event(
        'aud_0006',
        'platform.impersonation_started',
        alice.tracker,
        S.sessionNotOnPinnedTicket,
        at(3 * HOUR),
      ),
      event('aud_0007', 'platform.impersonation_started', dana.tracker, S.sessionOfDana, at(80 * MINUTE)),
      event(
        'aud_0008',
        'platform.impersonation_started',
        alice.tracker,
        S.sessionOnActiveTicket,
        at(45 * MINUTE),
      ),
    ],
  };
}

function event(id: string, action: string, actor: string, target: string, at: string) {
  return { id, action, actor, target, at };
}
