import { createHash } from 'node:crypto';
import type { HandoverConfig } from '../../config/types.js';
import { errorMessage, shortSha } from '../../format.js';
import { loadManifestBytes } from '../../manifest/index.js';
import { type GhPullRequest, type GitHubProvider, ProviderError } from '../../providers/types.js';
import { evaluateAcknowledgement } from '../../runbook/steps/preflight-acknowledgement.js';
import type { AddedManifest, GitHistory } from './git-history.js';
import {
  isFinal,
  type JournalRecord,
  journalMarker,
  judgeRecord,
  parseJournalRecord,
} from './journal-record.js';
import { mergingPullRequest } from './push-check.js';

/**
 * A merged handover left unfinished for longer than this is not executed by itself: long enough to catch up
 * runs that concurrency dropped or that failed and were not re-run for a while (two weekly rotations);
 * short enough that a forgotten handover is not applied after the rota has moved on. It is held — named in
 * an annotation on every run — until a deliberate manual run executes it or a newer handover finishes.
 * (Commit dates can be written by anyone: this only ever holds a handover, never hides one.)
 */
export const STALE_AFTER_DAYS = 14;

/** Regular files in a git tree; anything else (a symbolic link, a submodule) is never a manifest. */
const REGULAR_FILE_MODES = new Set(['100644', '100755']);

/** What a run will do with one manifest found in the history. */
export type CandidateStatus =
  /** A journal record says it is done, or was refused: left alone. */
  | { kind: 'finished'; pull: GhPullRequest; record: JournalRecord }
  /** Checked: merged through a pull request that added only it, unchanged since, acknowledged. */
  | { kind: 'ready'; pull: GhPullRequest }
  /** Never to be executed; `pull` is where the refusal is recorded, null when there is no pull request. */
  | { kind: 'refused'; pull: GhPullRequest | null; problems: string[] }
  /**
   * Not executed by itself, not recorded as final either: a human must decide (docs/adoption.md). Either a
   * newer handover has finished (running this one would undo it), its ledger record does not verify, or it
   * is stale. A deliberate manual run naming the manifest executes it.
   */
  | { kind: 'held'; pull: GhPullRequest; problems: string[] }
  /** GitHub could not be asked: the next run tries again. */
  | { kind: 'unavailable'; pull: GhPullRequest | null; message: string };

export interface Candidate extends AddedManifest {
  status: CandidateStatus;
  /**
   * SHA-256 of the manifest as its pull request merged it (null when there is none, or it could not be
   * read): every record this run writes names it, and a record found for it must name the same.
   */
  manifestSha256: string | null;
  /** The manifest's bytes from the git object at the merging commit: what is executed and hashed. */
  bytes: Buffer | null;
  /** Things worth a warning that do not change the status (a record copied from another handover). */
  notes: string[];
}

export interface CandidateContext {
  github: GitHubProvider;
  history: GitHistory;
  /** The checked-out commit: the pushed one. */
  head: string;
  defaultBranch: string;
  config: HandoverConfig;
  /** The ledger's HMAC key (docs/adoption.md, "The ledger"). */
  ledgerKey: string;
  /** The run's clock. */
  now: Date;
}

/**
 * The pull requests GitHub associates with a commit. GitHub answers 422 for a commit it does not know;
 * no pull request brought such a commit either, so that is an empty answer (and a refusal), not an outage.
 */
export async function pullRequestsForCommit(github: GitHubProvider, sha: string): Promise<GhPullRequest[]> {
  try {
    return await github.pullRequestsForCommit(sha);
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'invalid') return [];
    throw error;
  }
}

/**
 * The pull request that landed `commit` on the default branch: the one whose merge commit it is, else (a
 * rebase merge lands several commits) a merged pull request into that branch that contains it.
 */
function landingPullRequest(pulls: GhPullRequest[], commit: string, branch: string): GhPullRequest | null {
  return (
    mergingPullRequest(pulls, commit, branch) ?? pulls.find((p) => p.merged && p.baseRef === branch) ?? null
  );
}

/**
 * Decides about one manifest, reading only (no side effect anywhere): its pull request, its ledger record,
 * its bytes and mode at the merging commit, whether it changed after the merge, and the acknowledgement —
 * the same evaluateAcknowledgement that plan ran before the merge and that apply's preflight runs again.
 * Knowing every refusal before anything is executed lets the run report them all and record them as final.
 */
export async function assessCandidate(added: AddedManifest, ctx: CandidateContext): Promise<Candidate> {
  const notes: string[] = [];
  let manifestSha256: string | null = null;
  let bytes: Buffer | null = null;
  const candidate = (status: CandidateStatus): Candidate => ({
    ...added,
    status,
    notes,
    manifestSha256,
    bytes,
  });
  let pull: GhPullRequest | null = null;
  try {
    pull = landingPullRequest(
      await pullRequestsForCommit(ctx.github, added.commit),
      added.commit,
      ctx.defaultBranch,
    );
    if (!pull)
      return candidate({
        kind: 'refused',
        pull: null,
        problems: [
          `commit ${shortSha(added.commit)} that added it reached ${ctx.defaultBranch} without a merged pull request: it is never executed; remove it and open a pull request`,
        ],
      });
    const refused = (problem: string) => candidate({ kind: 'refused', pull, problems: [problem] });

    // The bytes come from the git object at the merging commit, never from the working tree.
    const [atMerge, atHead] = await Promise.all([
      ctx.history.entry(added.commit, added.path),
      ctx.history.entry(ctx.head, added.path),
    ]);
    if (!atMerge) return refused(`${added.path} is not in commit ${shortSha(added.commit)}`);
    if (!REGULAR_FILE_MODES.has(atMerge.mode))
      return refused(
        `${added.path} was merged as ${atMerge.mode === '120000' ? 'a symbolic link' : `a non-regular file (mode ${atMerge.mode})`}: a manifest must be a regular file, so that what was approved is what runs`,
      );
    bytes = await ctx.history.blobBytes(atMerge.object);
    manifestSha256 = createHash('sha256').update(bytes).digest('hex');

    const comment = await ctx.github.findMarkedComment(pull.number, journalMarker(added.path));
    const record = comment ? parseJournalRecord(comment.body, added.path) : null;
    let forged: string | null = null;
    if (comment && record && !comment.author?.endsWith('[bot]'))
      // A person's comment is never the automation's record, and cannot hide it either: the provider
      // prefers a bot's comment with the marker. Ignored, and said so.
      notes.push(
        `ignored a journal comment by ${comment.author ?? 'an unknown author'} on pull request #${pull.number}: only the automation writes ledger records`,
      );
    else if (comment && record) {
      // A record counts only when it verifies under the ledger key and is about this pull request, this
      // merge and these exact bytes.
      const verdict = judgeRecord(record, ctx.ledgerKey, {
        pullRequest: pull.number,
        commit: added.commit,
        manifestSha256,
      });
      if (verdict.kind === 'counts' && isFinal(record)) return candidate({ kind: 'finished', pull, record });
      if (verdict.kind === 'not-this')
        notes.push(
          `ignored a journal record on pull request #${pull.number} (${verdict.problem}); the handover is checked as if it had none`,
        );
      if (verdict.kind === 'forged')
        forged = `the journal record on pull request #${pull.number} cannot be trusted: ${verdict.problem}. It may hide a handover that already ran, or fake one that did not: compare it with the journal artifacts of the runs, then run apply by hand for this manifest (docs/adoption.md)`;
    }

    if (atHead === null)
      return refused(
        `${added.path} was deleted after pull request #${pull.number} merged it: there is nothing to execute`,
      );
    if (atHead.object !== atMerge.object || atHead.mode !== atMerge.mode)
      return refused(
        `${added.path} changed after pull request #${pull.number} merged it: only the approved version may run; open a new handover with a new file`,
      );

    const loaded = loadManifestBytes(bytes, added.path, { config: ctx.config });
    const held = (): Candidate | null => {
      if (forged) return candidate({ kind: 'held', pull: pull as GhPullRequest, problems: [forged] });
      return null;
    };
    // An invalid manifest is left to apply, whose preflight reports each diagnostic as a failure; the next
    // run tries again (the rules, or the config, may have been fixed).
    if (!loaded.handover) return held() ?? candidate({ kind: 'ready', pull });

    const [files, reviews, headPushers] = await Promise.all([
      ctx.github.listPullFiles(pull.number),
      ctx.github.listReviews(pull.number),
      ctx.github.pushersOf(pull.headRef, pull.headSha),
    ]);
    const verdict = evaluateAcknowledgement({
      handover: loaded.handover,
      config: ctx.config,
      pull,
      reviews,
      files,
      manifestPath: added.path,
      headPushers,
    });
    if (!verdict.ok)
      return candidate({
        kind: 'refused',
        pull,
        problems: verdict.problems.map((p) => `[${p.rule}] ${p.message}`),
      });
    return held() ?? candidate({ kind: 'ready', pull });
  } catch (error) {
    return candidate({
      kind: 'unavailable',
      pull,
      message: errorMessage(error),
    });
  }
}
