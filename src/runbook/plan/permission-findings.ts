import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { PagerDutyProvider, PlatformProvider, SlackProvider } from '../../providers/types.js';
import { rosterEntry } from '../people.js';
import { describeProblem, planPermissionProblems } from '../permissions.js';
import type { PlanFinding } from './finding.js';

/**
 * The permissions apply's preflight would stop on, as plan findings, so they are fixed before the merge.
 * One check, shared with apply (../permissions.ts); plan's version only reads. Slack is checked when plan
 * has a Slack token (the pull-request workflow usually gives it none); PagerDuty's `From` users' roles
 * always. The kind of apply's PagerDuty key is apply's to check: plan holds a different, read-only key.
 */
export async function permissionFindings(input: {
  slack: SlackProvider | null;
  pagerduty: PagerDutyProvider;
  /** Plan's platform provider: the token's reach for this handover's calls (../platform-reach.ts). */
  platform?: PlatformProvider;
  config: HandoverConfig;
  handover: Handover;
}): Promise<PlanFinding[]> {
  const { config, handover } = input;
  const fromEmails = [handover.outgoing, handover.incoming]
    .map((handle) => rosterEntry(config, handle)?.email)
    .filter((email): email is string => email !== undefined);
  const problems = await planPermissionProblems({
    slack: input.slack,
    pagerduty: input.pagerduty,
    config,
    fromEmails,
    ...(input.platform ? { platform: { provider: input.platform, handover } } : {}),
  });
  return problems.map((problem) => ({
    severity: 'error',
    section: 'permissions',
    target:
      problem.service === 'slack'
        ? `#${config.slack.channelName}`
        : problem.service === 'platform'
          ? 'platform API'
          : 'PagerDuty',
    rule: problem.rule,
    message: describeProblem(problem),
  }));
}
