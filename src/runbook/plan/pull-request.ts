import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { GitHubProvider } from '../../providers/types.js';
import { evaluateAcknowledgement } from '../steps/preflight-acknowledgement.js';
import type { Plan, PullRequestAcknowledgement } from './plan.js';
import { PLAN_COMMENT_MARKER, renderPlanMarkdown } from './render-markdown.js';

/** Reads the pull request, its files and reviews, and decides whether it carries the acknowledgement. */
export async function checkPullRequest(
  github: GitHubProvider,
  number: number,
  handover: Handover,
  config: HandoverConfig,
  manifestPath: string,
): Promise<PullRequestAcknowledgement> {
  const [pull, files, reviews] = await Promise.all([
    github.getPullRequest(number),
    github.listPullFiles(number),
    github.listReviews(number),
  ]);
  const headPushers = await github.pushersOf(pull.headRef, pull.headSha);
  const result = evaluateAcknowledgement({
    handover,
    config,
    pull,
    reviews,
    files,
    manifestPath,
    headPushers,
  });
  return { ...result, pullRequest: number, headSha: pull.headSha, url: pull.htmlUrl };
}

/** Creates plan's one comment on the pull request, or updates it on every later run. */
export async function publishPlanComment(
  github: GitHubProvider,
  plan: Plan & { acknowledgement: PullRequestAcknowledgement },
): Promise<{ id: number; created: boolean }> {
  return github.upsertMarkedComment(
    plan.acknowledgement.pullRequest,
    PLAN_COMMENT_MARKER,
    renderPlanMarkdown(plan),
  );
}
