/**
 * The journal of one `apply` run: what was done to which object, with what outcome (docs/design.md#what-apply-does).
 * `apply --journal FILE` writes it as JSON; its field names are part of the contract.
 */

/** The steps of docs/design.md#what-apply-does in the order they run (and are rendered), plus the emergency digest. */
export const STEPS = [
  'preflight',
  'freeze',
  'incidents',
  'tickets',
  'rollouts',
  'summary',
  'digest',
  'audit',
  'verify',
] as const;
export type StepName = (typeof STEPS)[number];

export const STEP_TITLES: Record<StepName, string> = {
  preflight: 'Step 0 · Preflight',
  freeze: 'Step 1 · Freeze PagerDuty assignments',
  incidents: 'Step 2 · Incidents',
  tickets: 'Step 3 · Pinned tickets',
  rollouts: 'Step 4 · Rollouts in flight',
  summary: 'Step 5 · Summary in Slack',
  digest: 'Step 5b · Emergency context digest',
  audit: 'Step 6 · Audit check',
  verify: 'Step 7 · Verify nothing is stranded',
};

/** What became of one action (docs/design.md#what-apply-does). */
export const ACTION_OUTCOMES = ['done', 'already-done', 'skipped', 'failed', 'deferred'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

/**
 * Why a failed action failed. A `failure` is a precondition or a user's input that is not met (no
 * approval, a stranded incident, a session that is not the outgoing admin's): fixing it is the user's
 * move. An `error` is a service that broke (a 5xx that would not clear, a timeout): re-running later
 * may be all it takes.
 */
export type FailureKind = 'failure' | 'error';

export interface JournalAction {
  step: StepName;
  /** The object acted on, e.g. `incident Q1ABCDEF12345`, `ticket SUP-4411`, `channel C0PLATOPS`. */
  target: string;
  /** What was (or would have been) done, e.g. `reassign`, `post status note`. */
  action: string;
  outcome: ActionOutcome;
  /** One line for a human: what happened and why. Never a secret. */
  detail: string;
  /** When the outcome was recorded (ISO 8601). */
  at: string;
  /** Present on failed actions only. */
  failure?: FailureKind;
}

/**
 * The run as a whole: done, failed (any failed action), or deferred (mid-shift outage still open);
 * `running` in a journal written while the run was still going (a run killed mid-way leaves that, with
 * `finishedAt` the time of its last action).
 */
export type JournalOutcome = FinishedOutcome | 'running';
export type FinishedOutcome = 'done' | 'failed' | 'deferred';

export interface Journal {
  /** The handover id (the manifest's `id`). */
  id: string;
  startedAt: string;
  finishedAt: string;
  outcome: JournalOutcome;
  actions: JournalAction[];
  /** SHA-256 of the manifest file as applied, so a journal names exactly what it executed. */
  manifestSha256: string;
  /** The pull request that carried the manifest, or null when the approval check was skipped. */
  pullRequest: number | null;
  /** Roster handle of the admin whose approval is the acknowledgement; null when not verified. */
  approver: string | null;
  /** The commit that approval was given on. */
  approvedSha: string | null;
  /** False when applied with --skip-approval-check (or when the check refused). */
  acknowledgementVerified: boolean;
  /** A dry run reads and records what it would do; it changes nothing. */
  dryRun: boolean;
}

/** The journal of a run that finished: what `apply` returns and prints. */
export type FinishedJournal = Journal & { outcome: FinishedOutcome };
