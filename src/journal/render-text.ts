import { shortSha } from '../format.js';
import { countOutcomes, describeCounts, describeFailures } from './counts.js';
import { type ActionOutcome, type Journal, type JournalAction, STEP_TITLES, STEPS } from './types.js';

/** A fixed-width tag per outcome so log lines line up and can be grepped. */
export const OUTCOME_TAGS: Record<ActionOutcome, string> = {
  done: '[done]        ',
  'already-done': '[already-done]',
  skipped: '[skipped]     ',
  failed: '[FAILED]      ',
  deferred: '[deferred]    ',
};

/**
 * One log line for one action. Every field of a journal action is already a single line (the recorder
 * guarantees it) and untrusted values inside it are JSON-encoded, so the line starts with our tag and
 * can never become a workflow command.
 */
export function formatActionLine(action: JournalAction): string {
  const kind = action.outcome === 'failed' ? ` (${action.failure ?? 'failure'})` : '';
  return `${OUTCOME_TAGS[action.outcome]} ${action.target} · ${action.action}${kind}: ${action.detail}`;
}

/**
 * What became of the acknowledgement. When it was not verified, the preflight's `acknowledgement`
 * action tells why: skipped on purpose (--skip-approval-check), refused by the check, or never reached
 * because preflight stopped earlier (an invalid manifest, a roster gap, missing tokens). The summary
 * must name the real reason: blaming a flag the user did not pass sends them looking in the wrong place.
 */
export function describeAcknowledgement(journal: Journal): string {
  if (!journal.acknowledgementVerified) {
    const check = journal.actions.find((a) => a.step === 'preflight' && a.action === 'acknowledgement');
    if (check?.outcome === 'skipped')
      return 'acknowledgement NOT verified (applied with --skip-approval-check)';
    if (check?.outcome === 'failed')
      return 'acknowledgement NOT verified: the approval check did not pass (see the acknowledgement line above)';
    return 'acknowledgement NOT verified: preflight stopped before the approval check';
  }
  return `acknowledged by ${journal.approver} via approval of PR #${journal.pullRequest} at commit ${shortSha(journal.approvedSha)}`;
}

/** The closing lines of a run: outcome, counts, and what kind of trouble there was. */
export function renderJournalSummary(journal: Journal): string {
  const counts = countOutcomes(journal.actions);
  const lines = [
    `handover ${journal.id}: ${journal.dryRun ? 'dry run, ' : ''}${journal.outcome} (${describeCounts(counts)})`,
    describeAcknowledgement(journal),
  ];
  const failures = describeFailures(journal.actions);
  if (failures) lines.push(`${failures}: see the [FAILED] lines above`);
  if (journal.outcome === 'deferred')
    lines.push('deferred: nothing was changed; re-run apply once the outage incident is resolved');
  return `${lines.join('\n')}\n`;
}

/** The whole journal as plain text, grouped by step: for terminals and log files. */
export function renderJournalText(journal: Journal): string {
  const out: string[] = [];
  for (const step of STEPS) {
    const actions = journal.actions.filter((a) => a.step === step);
    if (actions.length === 0) continue;
    out.push(STEP_TITLES[step]);
    for (const action of actions) out.push(`  ${formatActionLine(action)}`);
  }
  return `${out.join('\n')}\n${renderJournalSummary(journal)}`;
}

export function renderJournalJson(journal: Journal): string {
  return `${JSON.stringify(journal, null, 2)}\n`;
}
