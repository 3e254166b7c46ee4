import { shortSha } from '../../format.js';
import type { GhPullFile, GhPullRequest } from '../../providers/types.js';
import type { RuleId } from '../../rules/registry.js';
import type { PushEvent } from '../event.js';

/** Why a push is refused: said in one line, with what to do instead. */
export interface PushProblem {
  rule: RuleId;
  message: string;
}

export interface PushVerdict {
  /** The merged pull request that produced the push, when there is one. */
  pull: GhPullRequest | null;
  problems: PushProblem[];
}

const HANDOVERS = 'handovers/';

/** The pull request that merged `sha` into `branch`: merged, into that branch, with exactly that merge commit. */
export function mergingPullRequest(
  pulls: GhPullRequest[],
  sha: string,
  branch: string,
): GhPullRequest | null {
  return pulls.find((p) => p.merged && p.baseRef === branch && p.mergeCommitSha === sha) ?? null;
}

/**
 * A push to the default branch is acceptable only when a merged pull request produced it and that pull
 * request added manifests under handovers/ and changed nothing else. Branch protection should already
 * ensure this; the executor checks again because protection can be bypassed (docs/design.md#the-push).
 * Pure: the caller fetches the pull requests of the pushed commit and the files of the one found.
 */
export function checkPush(input: {
  event: PushEvent;
  defaultBranch: string;
  pulls: GhPullRequest[];
  /** Files of the merging pull request (null when there is none). */
  files: GhPullFile[] | null;
}): PushVerdict {
  const { event, defaultBranch } = input;
  if (event.ref !== `refs/heads/${defaultBranch}`)
    return {
      pull: null,
      problems: [
        {
          rule: 'push.not-default-branch',
          message: `the push is to ${event.ref || 'an unknown ref'}, not to ${defaultBranch}: handovers are applied only from the default branch`,
        },
      ],
    };
  const pull = mergingPullRequest(input.pulls, event.after, defaultBranch);
  if (!pull)
    return {
      pull: null,
      problems: [
        {
          rule: 'push.not-from-pull-request',
          message: `commit ${shortSha(event.after)} was pushed to ${defaultBranch} directly, not merged from a pull request: a handover is applied only after a reviewed pull request merges it; revert the push and open a pull request`,
        },
      ],
    };
  const problems: PushProblem[] = [];
  for (const file of input.files ?? []) {
    const inside =
      file.filename.startsWith(HANDOVERS) && (file.previousFilename ?? HANDOVERS).startsWith(HANDOVERS);
    if (!inside)
      problems.push({
        rule: 'push.file-outside-handovers',
        message: `pull request #${pull.number} changed ${file.filename} (${file.status}), outside handovers/: a handover pull request adds its manifest and nothing else`,
      });
    else if (file.status !== 'added')
      problems.push({
        rule: 'push.manifest-not-added',
        message: `pull request #${pull.number} ${file.status === 'removed' ? 'deleted' : file.status} ${file.previousFilename && file.status === 'renamed' ? `${file.previousFilename} → ` : ''}${file.filename}: a manifest is written once and never modified or deleted; open a new handover with a new file instead`,
      });
  }
  return { pull, problems };
}
