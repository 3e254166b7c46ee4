import type { HandoverConfig } from '../config/types.js';
import { manifestSkeleton } from '../init/draft.js';
import type { GitHubProvider } from '../providers/types.js';
import { evaluateAcknowledgement } from '../runbook/steps/preflight-acknowledgement.js';
import type { PreparedChange } from './pull-marker.js';

/**
 * Whether the incoming admin has acknowledged the prepared handover: the same rules as plan and apply
 * (src/runbook/steps/preflight-acknowledgement.ts), so a reminder is never skipped for an approval that
 * apply would not accept.
 */
export async function isApproved(
  github: GitHubProvider,
  config: HandoverConfig,
  number: number,
  change: PreparedChange,
): Promise<boolean> {
  const [pull, reviews, files] = await Promise.all([
    github.getPullRequest(number),
    github.listReviews(number),
    github.listPullFiles(number),
  ]);
  const headPushers = await github.pushersOf(pull.headRef, pull.headSha);
  const handover = manifestSkeleton({
    id: change.manifest.replace(/^.*\//, '').replace(/\.ya?ml$/, ''),
    variant: 'weekly-rotation',
    reason: 'rotation',
    outgoing: change.outgoing,
    incoming: change.incoming,
    window: { start: change.change, end: change.change },
  });
  const result = evaluateAcknowledgement({
    handover,
    config,
    pull,
    reviews,
    files,
    manifestPath: change.manifest,
    headPushers,
  });
  return result.approver === change.incoming;
}
