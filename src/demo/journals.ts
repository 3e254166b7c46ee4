import { readFileSync } from 'node:fs';
import type { ActionOutcome, Journal, JournalAction, StepName } from '../journal/index.js';

/** Reading back the journals apply wrote (`--journal`), and summing them up for the narration. */

/** The steps whose actions are checks rather than changes: they run again, and say `done`, every time. */
const CHECK_STEPS: ReadonlySet<StepName> = new Set(['preflight', 'verify']);

export function readJournal(path: string): Journal {
  return JSON.parse(readFileSync(path, 'utf8')) as Journal;
}

export function outcomeCounts(journal: Journal): string {
  const counts = new Map<ActionOutcome, number>();
  for (const action of journal.actions) counts.set(action.outcome, (counts.get(action.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
}

/** Actions of a re-run that changed something, or tried to: a converged re-run has none. */
export function changesNotAlreadyDone(journal: Journal): JournalAction[] {
  return journal.actions.filter(
    (action) => !CHECK_STEPS.has(action.step) && action.outcome !== 'already-done',
  );
}
