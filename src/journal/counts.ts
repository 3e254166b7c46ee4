import { plural } from '../format.js';
import { ACTION_OUTCOMES, type ActionOutcome, type JournalAction } from './types.js';

export type OutcomeCounts = Record<ActionOutcome, number>;

/** How many actions ended in each outcome. Pure. */
export function countOutcomes(actions: readonly JournalAction[]): OutcomeCounts {
  const counts = Object.fromEntries(ACTION_OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
  for (const action of actions) counts[action.outcome] += 1;
  return counts;
}

/** "12 done, 3 already done, 1 skipped, 0 failed" (deferred only when there is one). */
export function describeCounts(counts: OutcomeCounts): string {
  const parts = [
    `${counts.done} done`,
    `${counts['already-done']} already done`,
    `${counts.skipped} skipped`,
    `${counts.failed} failed`,
  ];
  if (counts.deferred > 0) parts.push(`${counts.deferred} deferred`);
  return parts.join(', ');
}

/** Failed actions split by kind, so a reader knows whether to fix an input or retry later. */
export function describeFailures(actions: readonly JournalAction[]): string | null {
  const failed = actions.filter((a) => a.outcome === 'failed');
  if (failed.length === 0) return null;
  const failures = failed.filter((a) => a.failure !== 'error').length;
  const errors = failed.length - failures;
  const parts: string[] = [];
  if (failures > 0) parts.push(`${plural(failures, 'failure')} (a precondition or input to fix)`);
  if (errors > 0) parts.push(`${plural(errors, 'error')} (a service broke; re-run once it recovers)`);
  return parts.join(' and ');
}
