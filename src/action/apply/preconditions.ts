import { join } from 'node:path';
import { openConfig } from '../../config/index.js';
import type { HandoverConfig } from '../../config/types.js';
import { shortSha } from '../../format.js';
import type { GitHubProvider } from '../../providers/types.js';
import type { CommandContext } from '../context.js';
import type { PushEvent } from '../event.js';
import { pullRequestsForCommit } from './candidates.js';
import type { GitHistory } from './git-history.js';
import { checkPush, mergingPullRequest } from './push-check.js';

/** A reason the run does nothing at all, said in one line with what to do. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
}

/** The config at the pushed commit, valid; its diagnostics become annotations on its lines. */
export function loadConfigForApply(ctx: CommandContext): HandoverConfig {
  const displayPath = ctx.inputs.config;
  const loaded = openConfig(join(ctx.workspace, displayPath), displayPath);
  if (loaded.kind === 'unreadable') throw new Refusal(loaded.message);
  for (const d of loaded.diagnostics)
    ctx.annotations.annotate(d.severity, d.message, {
      title: d.rule,
      file: d.file,
      startLine: d.line,
      startColumn: d.column,
    });
  if (loaded.kind === 'invalid')
    throw new Refusal(`${displayPath} is not valid: nothing can be applied until it is fixed`);
  return loaded.config;
}

export interface AcceptedPush {
  defaultBranch: string;
  /** The checked-out commit, which is the pushed one. */
  head: string;
  /** The pull request the push merged. */
  pull: number;
}

/**
 * The push itself, before anything else: a full checkout of the pushed commit, which a merged pull request
 * produced by adding only manifests. Refused → the run executes nothing at all: the tree such a push
 * produced is not trusted, and every merged handover waits for the next accepted run.
 */
export async function acceptPush(
  ctx: CommandContext,
  github: GitHubProvider,
  history: GitHistory,
  event: PushEvent,
): Promise<AcceptedPush> {
  const defaultBranch = event.defaultBranch;
  if (!defaultBranch)
    throw new Refusal('the push event does not name the default branch: nothing is applied');
  if (await history.isShallow())
    throw new Refusal(
      'the checkout is shallow: check out with fetch-depth: 0 so that the history of handovers/ is there',
    );
  const head = await history.head();
  if (event.after !== head)
    throw new Refusal(
      `the checkout (${shortSha(head)}) is not the pushed commit (${shortSha(event.after)}): check out the commit that triggered the run`,
    );
  const pulls = await pullRequestsForCommit(github, event.after);
  const pull = mergingPullRequest(pulls, event.after, defaultBranch);
  const files = pull ? await github.listPullFiles(pull.number) : null;
  const verdict = checkPush({ event, defaultBranch, pulls, files });
  if (verdict.problems.length > 0 || !verdict.pull) {
    for (const problem of verdict.problems)
      ctx.annotations.annotate('error', problem.message, { title: problem.rule });
    throw new Refusal(
      `the push is refused, so nothing is executed (every merged handover waits for the next accepted run): ${verdict.problems.map((p) => p.message).join('; ')}`,
    );
  }
  ctx.core.info(
    `The push ${shortSha(event.after)} is the merge of pull request #${verdict.pull.number}, which adds only manifests under handovers/.`,
  );
  return { defaultBranch, head, pull: verdict.pull.number };
}
