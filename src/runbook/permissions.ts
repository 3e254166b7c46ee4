import type { HandoverConfig } from '../config/types.js';
import type { Handover } from '../manifest/types.js';
import type { PagerDutyProvider, PlatformProvider, SlackProvider } from '../providers/types.js';
import { logValue } from '../render/log-safety.js';
import type { PlanFindingId } from '../rules/registry.js';
import { isReadOnly, platformReach, platformScopesNeeded, purposeOf } from './platform-reach.js';
import type { ApplyContext } from './runtime/context.js';
import type { StepRun } from './runtime/step-run.js';

/**
 * Before the first write: may the run make every write it plans? A run that lacks one permission would
 * otherwise make its PagerDuty and platform writes and then fail at the Slack summary, leaving a
 * half-done handover behind. Each problem names what is missing and how to grant it. Apply stops on them
 * (permissionCheck below); plan reports the same problems as findings on the pull request
 * (planPermissionProblems, ./plan/permission-findings.ts), so they are fixed before the merge.
 *
 * The platform token's reach is read from the scopes the platform API names (./platform-reach.ts).
 *
 * Nothing here changes anything. Apply asks PagerDuty with an empty bulk update (PUT /incidents with no
 * incidents), which PagerDuty refuses with 403 for a read-only key or a `From` user whose role may not act
 * on incidents, and otherwise rejects as invalid input. Plan does not send it: plan runs with its own
 * read-only key (docs/adoption.md), which that request would always find read-only, and plan sends no
 * PUT at all. Plan reads the `From` users' roles with GET /users instead; the kind of apply's key is
 * invisible to plan, so only apply can check it.
 */
export interface PermissionProblem {
  service: 'slack' | 'pagerduty' | 'platform';
  /** The plan finding it is reported as (src/rules/registry.ts). */
  rule: Extract<PlanFindingId, `permission.${string}`>;
  /** What is missing, in a sentence. */
  missing: string;
  /** How to grant it. */
  fix: string;
}

/**
 * The bot scopes apply's Slack steps use: posting the summary, and reading the channel (history and
 * threads) to find a summary posted before, and for the emergency digest.
 */
export const SLACK_SCOPES_NEEDED = ['chat:write', 'channels:history'] as const;

export interface PermissionInput {
  slack: SlackProvider;
  pagerduty: PagerDutyProvider;
  config: HandoverConfig;
  /** The users PagerDuty writes act as (`From`): the outgoing and the incoming admin. */
  fromEmails: string[];
  /**
   * With the platform provider, the platform token's reach is checked too: for `handover`'s calls, or
   * (handover null) for every call any handover may make.
   */
  platform?: { provider: PlatformProvider; handover: Handover | null };
}

export async function checkPermissions(input: PermissionInput): Promise<PermissionProblem[]> {
  const [slack, pagerduty, platform] = await Promise.all([
    slackProblems(input.slack, input.config),
    pagerDutyProblems(input),
    input.platform ? platformProblems(input.platform.provider, input.platform.handover, 'apply') : [],
  ]);
  return [...slack, ...pagerduty, ...platform];
}

/**
 * The platform scopes the token lacks for the calls planned (./platform-reach.ts). Plan holds its own
 * token, which docs/adoption.md makes read-only: a token that may write nothing is taken for that one, and
 * tells nothing about apply's (as with PagerDuty's key kind, apply checks its own before its first write).
 * A token with any write scope is taken for apply's (a single secret for both, or a local run).
 */
async function platformProblems(
  platform: PlatformProvider,
  handover: Handover | null,
  mode: 'apply' | 'plan',
): Promise<PermissionProblem[]> {
  const reach = await platformReach(platform, platformScopesNeeded(handover));
  if (reach.missing.length === 0) return [];
  if (mode === 'plan' && reach.granted !== null && reach.granted.length > 0 && isReadOnly(reach.granted))
    return [];
  const has = reach.granted && reach.granted.length > 0 ? reach.granted.join(' ') : 'none';
  return reach.missing.map((scope) => ({
    service: 'platform' as const,
    rule: 'permission.platform-scope' as const,
    missing: `the platform token (PLATFORM_TOKEN) lacks the scope ${scope}, which apply needs to ${purposeOf(scope)} (the token has: ${has})`,
    fix: `grant the token the scope ${scope} in the platform admin console, or store a token that has it as the PLATFORM_TOKEN secret`,
  }));
}

/** What plan can tell with its read-only keys: no Slack token (plan's usual case) skips Slack. */
export interface PlanPermissionInput {
  slack: SlackProvider | null;
  pagerduty: PagerDutyProvider;
  config: HandoverConfig;
  fromEmails: string[];
  /** Plan's platform provider and the handover whose calls it checks the token's reach for. */
  platform?: { provider: PlatformProvider; handover: Handover };
}

/** The same problems as apply's check, found by reads only (see the note at the top). */
export async function planPermissionProblems(input: PlanPermissionInput): Promise<PermissionProblem[]> {
  const [slack, pagerduty, platform] = await Promise.all([
    input.slack ? slackProblems(input.slack, input.config) : [],
    pagerDutyRoleProblems(input.pagerduty, input.fromEmails),
    input.platform ? platformProblems(input.platform.provider, input.platform.handover, 'plan') : [],
  ]);
  return [...slack, ...pagerduty, ...platform];
}

/** PagerDuty roles that may read but not act on incidents (PagerDuty's "User Roles" page). */
const READ_ONLY_ROLES: ReadonlySet<string> = new Set([
  'observer',
  'read_only_user',
  'read_only_limited_user',
  'restricted_access',
]);

async function pagerDutyRoleProblems(
  pagerduty: PagerDutyProvider,
  fromEmails: string[],
): Promise<PermissionProblem[]> {
  const problems: PermissionProblem[] = [];
  const emails = [...new Set(fromEmails)];
  // Asked side by side; read in roster order.
  const found = await Promise.all(emails.map((email) => pagerduty.findUsers(email)));
  for (const [index, email] of emails.entries()) {
    const users = found[index] ?? [];
    const user = users.find((candidate) => candidate.email.toLowerCase() === email.toLowerCase());
    if (!user)
      problems.push({
        service: 'pagerduty',
        rule: 'permission.pagerduty-role',
        missing: `PagerDuty knows no user with the email ${logValue(email)}, which apply's writes name as From`,
        fix: `add ${logValue(email)} as a PagerDuty user, or correct the email in the roster`,
      });
    else if (user.role !== undefined && READ_ONLY_ROLES.has(user.role))
      problems.push({
        service: 'pagerduty',
        rule: 'permission.pagerduty-role',
        missing: `PagerDuty refuses writes acting as ${logValue(email)} (From): the ${logValue(user.role)} role may not act on incidents`,
        fix: `give ${logValue(email)} a PagerDuty role that may act on incidents (Responder or above) in People → Users`,
      });
  }
  return problems;
}

async function slackProblems(slack: SlackProvider, config: HandoverConfig): Promise<PermissionProblem[]> {
  const channel = config.slack.channel;
  const name = `#${config.slack.channelName}`;
  const access = await slack.access(channel);
  const problems: PermissionProblem[] = [];
  const missing = SLACK_SCOPES_NEEDED.filter((scope) => !access.scopes.includes(scope));
  if (missing.length > 0)
    problems.push({
      service: 'slack',
      rule: 'permission.slack-scope',
      missing: `the Slack app's bot token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (missing_scope)`,
      fix: `add ${missing.join(', ')} under OAuth & Permissions → Bot Token Scopes in the app's settings, then reinstall the app to the workspace`,
    });
  const canPostAnywhere = access.scopes.includes('chat:write.public');
  if (access.isMember === false)
    problems.push({
      service: 'slack',
      rule: 'permission.slack-membership',
      missing: `the Slack app is not a member of ${name} (${channel}): Slack answers not_in_channel to its posts and reads`,
      fix: `invite it: type /invite @<the app's name> in ${name}`,
    });
  else if (access.isMember === null && !canPostAnywhere)
    problems.push({
      service: 'slack',
      rule: 'permission.slack-membership',
      missing: `cannot tell whether the Slack app is a member of ${name}: conversations.info needs the scope channels:read`,
      fix: `add channels:read under OAuth & Permissions → Bot Token Scopes and reinstall the app, and make sure it is invited to ${name}`,
    });
  return problems;
}

async function pagerDutyProblems({ pagerduty, fromEmails }: PermissionInput): Promise<PermissionProblem[]> {
  const problems: PermissionProblem[] = [];
  const emails = [...new Set(fromEmails)];
  // Asked side by side; read in roster order.
  const refusals = await Promise.all(emails.map((email) => pagerduty.writeRefusal(email)));
  for (const [index, email] of emails.entries()) {
    const refusal = refusals[index] ?? null;
    if (refusal === null) continue;
    if (/read-only/i.test(refusal) && /key/i.test(refusal)) {
      problems.push({
        service: 'pagerduty',
        rule: 'permission.pagerduty-key',
        missing: `the PagerDuty API key (PAGERDUTY_TOKEN) is read-only: PagerDuty refuses every write with 403 (${logValue(refusal)})`,
        fix: 'create a general access REST API key (Integrations → API Access Keys, "Read-only" unticked) and store it as the PAGERDUTY_TOKEN secret',
      });
      break; // the same refusal for everyone
    }
    problems.push({
      service: 'pagerduty',
      rule: 'permission.pagerduty-role',
      missing: `PagerDuty refuses writes acting as ${logValue(email)} (From): ${logValue(refusal)}`,
      fix: `give ${logValue(email)} a PagerDuty role that may act on incidents (Responder or above) in People → Users, or correct the email in the roster`,
    });
  }
  return problems;
}

/** One line per problem, as logs, the journal and the pull request show them. */
export function describeProblem(problem: PermissionProblem): string {
  return `${problem.missing} — to fix: ${problem.fix}`;
}

/**
 * Apply's permission reads for `ctx`, started as soon as every service answers: they change nothing, so
 * they go beside the acknowledgement check, and step 0f (permissionCheck) only records what they found.
 * The promise never rejects unhandled.
 */
export function askPermissions(ctx: ApplyContext): Promise<PermissionProblem[]> {
  const asked = checkPermissions({
    slack: ctx.read.slack,
    pagerduty: ctx.read.pagerduty,
    config: ctx.config,
    fromEmails: [ctx.outgoing.email, ctx.incoming.email],
    platform: { provider: ctx.read.platform, handover: ctx.handover },
  });
  asked.catch(() => {});
  return asked;
}

/**
 * Step 0f of apply: records each missing permission as a failure of preflight and returns false, so
 * that apply stops with nothing written. Quiet when everything is allowed.
 */
export async function permissionCheck(run: StepRun, asked: Promise<PermissionProblem[]>): Promise<boolean> {
  try {
    const problems = await asked;
    for (const problem of problems)
      run.failure(`${problem.service} permissions`, 'check permissions', describeProblem(problem));
    if (problems.length > 0) run.info('nothing was written: grant the permissions above, then re-run apply');
    return problems.length === 0;
  } catch (error) {
    run.fail('permissions', 'check permissions', error);
    return false;
  }
}
