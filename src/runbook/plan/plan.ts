import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { LiveState } from '../live-state.js';
import type { AcknowledgementResult } from '../steps/preflight-acknowledgement.js';
import { findStranded, type PlanFinding } from '../steps/verify-stranded.js';
import { countsOf, type PlannedItem, planItems, type SummaryCounts } from './actions.js';
import { type TimelineBar, timelineBars } from './timeline.js';

/** The acknowledgement as checked on a pull request. */
export interface PullRequestAcknowledgement extends AcknowledgementResult {
  pullRequest: number;
  headSha: string;
  url: string;
}

/** Everything a renderer needs: the diff of manifest and live state, decided once. */
export interface Plan {
  /** The manifest as the user named it. */
  file: string;
  handover: Handover;
  readAt: string;
  items: PlannedItem[];
  findings: PlanFinding[];
  counts: SummaryCounts;
  timeline: TimelineBar[];
  /** Present when plan ran against a pull request. */
  acknowledgement?: PullRequestAcknowledgement;
}

/** Pure: the same manifest and the same world always give the same plan. */
export function buildPlan(file: string, handover: Handover, config: HandoverConfig, live: LiveState): Plan {
  const items = planItems(handover, config, live);
  return {
    file,
    handover,
    readAt: live.readAt,
    items,
    findings: findStranded(handover, config, live),
    counts: countsOf(items),
    timeline: timelineBars(handover, config, live),
  };
}

export function strandedCount(plan: Plan): number {
  return plan.findings.filter((f) => f.severity === 'error' && f.section !== 'permissions').length;
}

/** Permissions apply's preflight would stop on (src/runbook/permissions.ts). */
export function missingPermissionCount(plan: Plan): number {
  return plan.findings.filter((f) => f.severity === 'error' && f.section === 'permissions').length;
}

/**
 * Exit 0 only when nothing would be stranded, apply has every permission plan can check, and, on a pull
 * request, the acknowledgement is there.
 */
export function planSucceeded(plan: Plan): boolean {
  const ackOk = plan.acknowledgement?.ok ?? true;
  return strandedCount(plan) === 0 && missingPermissionCount(plan) === 0 && ackOk;
}

/**
 * What blocks the merge, one sentence each, naming exactly which it is: work that would be stranded, a
 * missing acknowledgement, or both. Empty when the plan succeeds. The headline of every rendering and
 * the action's annotation come from here.
 */
export function planBlockers(plan: Plan, findingsAre: 'above' | 'below' = 'below'): string[] {
  const blockers: string[] = [];
  const stranded = strandedCount(plan);
  if (stranded > 0)
    blockers.push(
      `${stranded} ${stranded === 1 ? 'problem' : 'problems'} would leave work stranded: fix the manifest (see the findings ${findingsAre}) and run plan again.`,
    );
  const missing = missingPermissionCount(plan);
  if (missing > 0)
    blockers.push(
      `${missing} missing ${missing === 1 ? 'permission' : 'permissions'} would stop apply before its first write: grant ${missing === 1 ? 'it' : 'them'} (see the findings ${findingsAre}) and run plan again.`,
    );
  const ack = plan.acknowledgement;
  if (ack && !ack.ok) {
    const why = ack.problems.map((problem) => problem.message).join(' ');
    blockers.push(
      `The acknowledgement is missing: ${why || 'the incoming admin has not approved the final commit.'}`,
    );
  }
  return blockers;
}
