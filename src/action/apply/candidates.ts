import { join } from 'node:path';
import type { HandoverConfig } from '../../config/types.js';
import { errorMessage, shortSha } from '../../format.js';
import { loadManifestFile, ManifestUnreadableError } from '../../manifest/index.js';
import { type GhPullRequest, type GitHubProvider, ProviderError } from '../../providers/types.js';
import { evaluateAcknowledgement } from '../../runbook/steps/preflight-acknowledgement.js';
import type { AddedManifest, GitHistory } from './git-history.js';
import {
  isFinal,
  type JournalRecord,
  journalMarker,
  parseJournalRecord,
  recordProblem,
} from './journal-record.js';
import { mergingPullRequest } from './push-check.js';

/**
 * How far back a run looks for merged manifests without a final journal. Long enough to catch up runs that
 * concurrency dropped or that failed and were not re-run for a while (two weekly rotations); short enough
 * that a forgotten handover is never applied after the rota has moved on, handing duties back to the
 * wrong person. Older unfinished handovers need a human: a new pull request with a new manifest.
 */
export const LOOK_BACK_DAYS = 14;

/** What a run will do with one manifest found in the history. */
export type CandidateStatus =
  /** A journal record says it is done, or was refused: left alone. */
  | { kind: 'finished'; pull: GhPullRequest; record: JournalRecord }
  /** Checked: merged through a pull request that added only it, unchanged since, acknowledged. */
  | { kind: 'ready'; pull: GhPullRequest }
  /** Never to be executed; `pull` is where the refusal is recorded, null when there is no pull request. */
  | { kind: 'refused'; pull: GhPullRequest | null; problems: string[] }
  /** GitHub could not be asked: the next run tries again. */
  | { kind: 'unavailable'; pull: GhPullRequest | null; message: string };

export interface Candidate extends AddedManifest {
  status: CandidateStatus;
  /**
   * SHA-256 of the manifest as its pull request merged it (null when there is none, or it could not be
   * read): every record this run writes names it, and a record found for it must name the same.
   */
  manifestSha256: string | null;
  /** Things worth a warning that do not change the status (an ignored forged journal comment). */
  notes: string[];
}

export interface CandidateContext {
  github: GitHubProvider;
  history: GitHistory;
  /** The checked-out commit: the pushed one. */
  head: string;
  defaultBranch: string;
  config: HandoverConfig;
  workspace: string;
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
 * Decides about one manifest, reading only (no side effect anywhere): its pull request, its journal
 * record, whether it changed after the merge, and the acknowledgement — the same evaluateAcknowledgement
 * that plan ran before the merge and that apply's preflight runs again. Knowing every refusal before
 * anything is executed lets the run report them all and record them as final.
 */
export async function assessCandidate(added: AddedManifest, ctx: CandidateContext): Promise<Candidate> {
  const notes: string[] = [];
  let manifestSha256: string | null = null;
  const candidate = (status: CandidateStatus): Candidate => ({ ...added, status, notes, manifestSha256 });
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

    manifestSha256 = await ctx.history.sha256(added.commit, added.path);
    const comment = await ctx.github.findMarkedComment(pull.number, journalMarker(added.path));
    const record = comment ? parseJournalRecord(comment.body, added.path) : null;
    if (comment && record) {
      // A record only counts when the automation wrote it about this pull request and these exact bytes:
      // otherwise a forged or copied "done" would make a pending handover look finished.
      const problem = recordProblem(record, comment.author, { pullRequest: pull.number, manifestSha256 });
      if (problem)
        notes.push(
          `ignored a journal comment by ${comment.author ?? 'an unknown author'} on pull request #${pull.number} (${problem}); the handover is checked and applied as if it had none`,
        );
      else if (isFinal(record)) return candidate({ kind: 'finished', pull, record });
    }

    const [atHead, atMerge] = await Promise.all([
      ctx.history.blob(ctx.head, added.path),
      ctx.history.blob(added.commit, added.path),
    ]);
    if (atHead === null)
      return candidate({
        kind: 'refused',
        pull,
        problems: [
          `${added.path} was deleted after pull request #${pull.number} merged it: there is nothing to execute`,
        ],
      });
    if (atHead !== atMerge)
      return candidate({
        kind: 'refused',
        pull,
        problems: [
          `${added.path} changed after pull request #${pull.number} merged it: only the approved version may run; open a new handover with a new file`,
        ],
      });

    let loaded: ReturnType<typeof loadManifestFile>;
    try {
      loaded = loadManifestFile(join(ctx.workspace, added.path), {
        config: ctx.config,
        displayPath: added.path,
      });
    } catch (error) {
      if (error instanceof ManifestUnreadableError) return candidate({ kind: 'ready', pull });
      throw error;
    }
    // An invalid manifest is left to apply, whose preflight reports each diagnostic as a failure; the next
    // run tries again (the rules, or the config, may have been fixed).
    if (!loaded.handover) return candidate({ kind: 'ready', pull });

    const [files, reviews] = await Promise.all([
      ctx.github.listPullFiles(pull.number),
      ctx.github.listReviews(pull.number),
    ]);
    const verdict = evaluateAcknowledgement({
      handover: loaded.handover,
      config: ctx.config,
      pull,
      reviews,
      files,
      manifestPath: added.path,
    });
    if (!verdict.ok)
      return candidate({
        kind: 'refused',
        pull,
        problems: verdict.problems.map((p) => `[${p.rule}] ${p.message}`),
      });
    return candidate({ kind: 'ready', pull });
  } catch (error) {
    return candidate({
      kind: 'unavailable',
      pull,
      message: errorMessage(error),
    });
  }
}
