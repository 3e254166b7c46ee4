import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../format.js';
import { renderJournalJson } from '../../journal/index.js';
import type { Journal } from '../../journal/types.js';
import type { GitHubProvider } from '../../providers/types.js';
import type { Candidate } from './candidates.js';
import {
  type JournalRecord,
  journalMarker,
  type RecordOutcome,
  renderJournalComment,
} from './journal-record.js';

/** The record of what became of a candidate, for its pull request. */
export function recordFor(
  candidate: Candidate,
  outcome: RecordOutcome,
  journal: Journal | null,
  runUrl: string | undefined,
  at: Date,
  ledger: { journalSha256?: string | null; manualBy?: string | null; heldBehind: string[] },
): JournalRecord {
  return {
    manifest: candidate.path,
    id: journal?.id ?? null,
    outcome,
    // The merged bytes, also when nothing ran (a refusal): a later run accepts a record only for them.
    manifestSha256: candidate.manifestSha256 ?? journal?.manifestSha256 ?? null,
    journalSha256: ledger.journalSha256 ?? null,
    pullRequest: candidate.status.pull?.number ?? 0,
    commit: candidate.commit,
    runUrl: runUrl ?? null,
    at: at.toISOString(),
    manualBy: ledger.manualBy ?? null,
    heldBehind: ledger.heldBehind,
  };
}

/**
 * Writes the record as the marked comment on the pull request (created once, then updated). Returns why it
 * could not, or null: a lost record means a later run would apply the handover again — harmless on its own
 * (apply repeats nothing) but out of order if a newer handover has run since — so the caller fails the run.
 */
export async function recordOnPullRequest(
  github: GitHubProvider,
  record: JournalRecord,
  markdown: string,
  ledgerKey: string,
): Promise<string | null> {
  try {
    await github.upsertMarkedComment(
      record.pullRequest,
      journalMarker(record.manifest),
      renderJournalComment(record, markdown, ledgerKey),
    );
    return null;
  } catch (error) {
    return `could not record the outcome of ${record.manifest} on pull request #${record.pullRequest} (${errorMessage(error)}): record it by re-running this workflow`;
  }
}

/**
 * The journal as `<id>.json` in `dir` (the artifact the workflow uploads). Journals never hold a secret.
 * Returns the SHA-256 of the bytes written, which the ledger record carries: the artifact can be checked
 * against the record.
 */
export function writeJournalFile(dir: string, journal: Journal): string {
  mkdirSync(dir, { recursive: true });
  const name = `${journal.id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
  const bytes = Buffer.from(renderJournalJson(journal), 'utf8');
  writeFileSync(join(dir, name), bytes, { mode: 0o600 });
  return createHash('sha256').update(bytes).digest('hex');
}
