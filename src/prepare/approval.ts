import type { HandoverConfig } from '../config/types.js';
import { manifestSkeleton } from '../init/draft.js';
import type { GitHubProvider } from '../providers/types.js';
import { checkPullRequest } from '../runbook/plan/pull-request.js';
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
  const handover = manifestSkeleton({
    id: change.manifest.replace(/^.*\//, '').replace(/\.ya?ml$/, ''),
    variant: 'weekly-rotation',
    reason: 'rotation',
    outgoing: change.outgoing,
    incoming: change.incoming,
    window: { start: change.change, end: change.change },
  });
  const result = await checkPullRequest(github, number, handover, config, change.manifest);
  return result.approver === change.incoming;
}
