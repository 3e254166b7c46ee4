import type { HandoverConfig, RosterEntry } from '../../config/types.js';
import type { JournalRecorder } from '../../journal/recorder.js';
import type { StepName } from '../../journal/types.js';
import type { Handover } from '../../manifest/types.js';
import type { Providers, RetryPolicy, SlackMessage } from '../../providers/types.js';
import type { StepLogs } from './step-logs.js';

/** A roster admin with every identity the steps need. */
export interface Person extends RosterEntry {
  handle: string;
}

/** How the acknowledgement was established in preflight; every note and post cites it. */
export interface AcknowledgementInfo {
  verified: boolean;
  pullRequest: number | null;
  /** Roster handle of the approving admin. */
  approver: string | null;
  approvedSha: string | null;
  /** When the pull request was merged: apply cannot have run for this handover before then. */
  mergedAt: string | null;
  /** The approver pushed the approved commit too (possible only in an emergency; recorded, not refused). */
  approverPushedHead?: boolean;
}

/** Everything a step needs, built once by applyHandover. Steps never construct clients themselves. */
export interface ApplyContext {
  handover: Handover;
  config: HandoverConfig;
  outgoing: Person;
  incoming: Person;
  /** For reads. */
  read: Providers;
  /**
   * The same providers, named for writes: steps call them only inside `StepRun.perform`, which is where
   * dry runs stop and where a write whose answer was lost is read back before it is tried again.
   */
  write: Providers;
  dryRun: boolean;
  /** The clock of the run; `--now` pins it. */
  now: () => Date;
  startedAt: Date;
  acknowledgement: AcknowledgementInfo;
  retry: RetryPolicy;
  /** Items of one step in flight at once (the providers bound requests per service on top). */
  itemConcurrency: number;
  journal: JournalRecorder;
  logs: StepLogs;
  /** The step and item outcomes later steps depend on (summary counts, audit of ended sessions). */
  results: StepResults;
}

export interface ItemResult {
  id: string;
  /** What the summary calls the item: the manifest's or the service's title, when there is one. */
  title: string | null;
  /** False when the item was skipped (resolved, closed, finished) or failed. */
  covered: boolean;
  failed: boolean;
}

export interface StepResults {
  /** The override's start when one exists for this handover: the summary's "as of" time. */
  overrideStart: string | null;
  incidents: ItemResult[];
  tickets: ItemResult[];
  rollouts: ItemResult[];
  /** Impersonation sessions this handover ended (or found ended), for the audit check. */
  endedSessions: string[];
  /** The summary post, once found or made: the digest replies in its thread. */
  summaryTs: string | null;
  /**
   * When this handover's own traces (its marked notes, its annotations) were created: the summary can
   * only have been posted after the earliest of them, which bounds the Slack history a re-run reads.
   */
  traceTimes: string[];
  /** The channel history read by the summary step (since the bound), reused by the digest. */
  channelHistory: SlackMessage[] | null;
  /** The `oldest` bound (ms) that history was read with. */
  channelHistorySince: number | null;
  /** Replies in the summary's thread, as read before the details were posted. */
  summaryReplies: SlackMessage[];
  /** Steps whose actions included a failure. */
  failedSteps: Set<StepName>;
}

export function emptyResults(): StepResults {
  return {
    overrideStart: null,
    incidents: [],
    tickets: [],
    rollouts: [],
    endedSessions: [],
    summaryTs: null,
    traceTimes: [],
    channelHistory: null,
    channelHistorySince: null,
    summaryReplies: [],
    failedSteps: new Set(),
  };
}

/** The marker line that lets a re-run find a note this handover posted (docs/design.md#what-apply-does: no second note). */
export function noteMarker(handoverId: string, kind: 'status' | 'ack'): string {
  return `handover ${handoverId} · ${kind}`;
}

/** Slack message metadata event types of the posts apply makes; a re-run finds them by these. */
export const SLACK_EVENTS = {
  summary: 'handover_summary',
  details: 'handover_details',
  digest: 'handover_digest',
  catchUp: 'handover_catch_up',
} as const;
