import type { HandoverConfig } from '../config/types.js';
import { errorMessage } from '../format.js';
import { createProviders } from '../providers/index.js';
import type { RetryPolicy } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import { checkPermissions, SLACK_SCOPES_NEEDED } from '../runbook/permissions.js';
import { gitHubDirectory, pagerDutyDirectory, SlackRefusal, slackDirectory } from './directory.js';

/**
 * `handover doctor`: the real wiring, checked read-only with the tokens at hand before the first
 * handover. Each check is ✓ or ✗, and every ✗ says how to fix it. The permission checks are apply's own
 * (src/runbook/permissions.ts), so doctor and apply cannot disagree about what is missing.
 */
export interface DoctorCheck {
  service: 'pagerduty' | 'slack' | 'github' | 'platform' | 'roster';
  check: string;
  ok: boolean;
  /** What was found (✓) or what is wrong (✗). */
  detail: string;
  /** For ✗: what to do. */
  fix?: string;
}

export interface DoctorInput {
  config: HandoverConfig;
  env: NodeJS.ProcessEnv;
  retry?: Partial<RetryPolicy>;
  /** The tokens are plan's read-only ones (the pull-request workflow): skip the checks of apply's writes. */
  readOnly?: boolean;
}

const TOKENS = {
  pagerduty: 'PAGERDUTY_TOKEN',
  slack: 'SLACK_BOT_TOKEN',
  github: 'GITHUB_TOKEN',
  platform: 'PLATFORM_TOKEN',
} as const;

function explain(error: unknown): string {
  if (error instanceof ProviderError) return `${error.status ?? error.kind}: ${error.detail}`;
  return errorMessage(error);
}

export async function runDoctor({
  config,
  env,
  retry,
  readOnly = false,
}: DoctorInput): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => checks.push(check);
  const missing = (Object.entries(TOKENS) as Array<[DoctorCheck['service'], string]>).filter(
    ([, v]) => !env[v],
  );
  for (const [service, variable] of missing)
    add({
      service,
      check: `${variable} is set`,
      ok: false,
      detail: `${variable} is not in the environment`,
      fix: `export ${variable} (a CI secret in the workflows)`,
    });
  const has = (service: keyof typeof TOKENS) => Boolean(env[TOKENS[service]]);
  const roster = Object.entries(config.roster);

  // ---- PagerDuty
  let pagerDutyOk = false;
  if (has('pagerduty')) {
    const pd = pagerDutyDirectory(env, retry);
    try {
      const service = await pd.service(config.pagerduty.serviceId);
      pagerDutyOk = true;
      add({
        service: 'pagerduty',
        check: 'service exists',
        ok: true,
        detail: `${config.pagerduty.serviceId} (${service.name})`,
      });
    } catch (error) {
      const auth = error instanceof ProviderError && error.status === 401;
      pagerDutyOk = !auth;
      add(
        auth
          ? {
              service: 'pagerduty',
              check: 'token valid',
              ok: false,
              detail: explain(error),
              fix: 'create a REST API key (Integrations → API Access Keys) and store it as PAGERDUTY_TOKEN',
            }
          : {
              service: 'pagerduty',
              check: 'service exists',
              ok: false,
              detail: `${config.pagerduty.serviceId}: ${explain(error)}`,
              fix: 'set pagerduty.serviceId to the service id (Services → the service → its URL ends in the id), or run handover setup',
            },
      );
    }
    if (pagerDutyOk) {
      try {
        const schedule = await pd.schedule(config.pagerduty.scheduleId);
        add({
          service: 'pagerduty',
          check: 'schedule exists',
          ok: true,
          detail: `${config.pagerduty.scheduleId} (${schedule.name})`,
        });
      } catch (error) {
        add({
          service: 'pagerduty',
          check: 'schedule exists',
          ok: false,
          detail: `${config.pagerduty.scheduleId}: ${explain(error)}`,
          fix: 'set pagerduty.scheduleId to the on-call schedule id (People → Schedules), or run handover setup',
        });
      }
      for (const [handle, entry] of roster) {
        try {
          const users = await pd.usersByEmail(entry.email);
          const same = users.find((u) => u.id === entry.pagerduty);
          if (same)
            add({
              service: 'roster',
              check: `${handle}: PagerDuty user`,
              ok: true,
              detail: `${entry.email} is ${entry.pagerduty}`,
            });
          else if (users.length === 0)
            add({
              service: 'roster',
              check: `${handle}: PagerDuty user`,
              ok: false,
              detail: `no PagerDuty user has the email ${entry.email} (writes carry it as From)`,
              fix: `correct roster.${handle}.email, or add ${entry.email} as a PagerDuty user`,
            });
          else
            add({
              service: 'roster',
              check: `${handle}: PagerDuty user`,
              ok: false,
              detail: `${entry.email} is PagerDuty user ${users.map((u) => u.id).join(', ')}, not ${entry.pagerduty}`,
              fix: `set roster.${handle}.pagerduty to ${users[0]?.id}`,
            });
        } catch (error) {
          add({
            service: 'roster',
            check: `${handle}: PagerDuty user`,
            ok: false,
            detail: explain(error),
            fix: 'make sure PAGERDUTY_TOKEN may read users',
          });
        }
      }
    }
  }

  // ---- Slack
  let slackOk = false;
  if (has('slack')) {
    const slack = slackDirectory(env);
    try {
      const me = await slack.whoAmI();
      slackOk = true;
      add({ service: 'slack', check: 'token valid', ok: true, detail: `bot user ${me.userId}` });
    } catch (error) {
      add({
        service: 'slack',
        check: 'token valid',
        ok: false,
        detail: explain(error),
        fix: "copy the app's Bot User OAuth Token (xoxb-…, OAuth & Permissions) into SLACK_BOT_TOKEN",
      });
    }
    if (slackOk) {
      try {
        const channel = await slack.channel(config.slack.channel);
        const named = channel.name === config.slack.channelName;
        add(
          named
            ? {
                service: 'slack',
                check: 'channel exists',
                ok: true,
                detail: `${channel.id} is #${channel.name}`,
              }
            : {
                service: 'slack',
                check: 'channel exists',
                ok: false,
                detail: `${channel.id} is #${channel.name}, not #${config.slack.channelName}`,
                fix: `set slack.channelName to ${channel.name}, or slack.channel to the id of #${config.slack.channelName}`,
              },
        );
      } catch (error) {
        const code = error instanceof SlackRefusal ? error.code : '';
        if (code === 'channel_not_found')
          add({
            service: 'slack',
            check: 'channel exists',
            ok: false,
            detail: `no channel ${config.slack.channel}`,
            fix: "set slack.channel to the channel's id (channel details → About, at the bottom), or run handover setup",
          });
        // missing_scope (channels:read) is reported by the permission check below.
      }
      for (const [handle, entry] of roster) {
        try {
          const id = await slack.userByEmail(entry.email);
          if (id === entry.slack)
            add({
              service: 'roster',
              check: `${handle}: Slack user`,
              ok: true,
              detail: `${entry.email} is ${id}`,
            });
          else
            add({
              service: 'roster',
              check: `${handle}: Slack user`,
              ok: false,
              detail: id
                ? `${entry.email} is Slack user ${id}, not ${entry.slack}`
                : `no Slack user has the email ${entry.email}`,
              fix: id
                ? `set roster.${handle}.slack to ${id}`
                : `correct roster.${handle}.email to the address the person uses in Slack`,
            });
        } catch (error) {
          const scope = error instanceof SlackRefusal && error.code === 'missing_scope';
          add({
            service: 'roster',
            check: `${handle}: Slack user`,
            ok: false,
            detail: scope ? 'users.lookupByEmail needs the scope users:read.email' : explain(error),
            fix: scope
              ? 'add users:read.email under OAuth & Permissions → Bot Token Scopes, then reinstall the app'
              : 'check SLACK_BOT_TOKEN',
          });
          if (scope) break;
        }
      }
    }
  }

  // ---- Permissions for apply: apply's own check (Slack scopes and membership, PagerDuty key and roles).
  if (slackOk && pagerDutyOk && !readOnly) {
    try {
      const providers = createProviders(env, config, { need: [], retry });
      const problems = await checkPermissions({
        slack: providers.slack,
        pagerduty: providers.pagerduty,
        config,
        fromEmails: roster.map(([, entry]) => entry.email),
        // Every platform call any handover may make (src/runbook/platform-reach.ts).
        ...(has('platform') ? { platform: { provider: providers.platform, handover: null } } : {}),
      });
      for (const problem of problems)
        add({
          service: problem.service,
          check: 'may do what apply does',
          ok: false,
          detail: problem.missing,
          fix: problem.fix,
        });
      for (const service of ['slack', 'pagerduty', 'platform'] as const)
        if (service !== 'platform' || has('platform'))
          if (!problems.some((p) => p.service === service))
            add({
              service,
              check: 'may do what apply does',
              ok: true,
              detail:
                service === 'slack'
                  ? `scopes ${SLACK_SCOPES_NEEDED.join(', ')}; member of #${config.slack.channelName}`
                  : service === 'platform'
                    ? "the token's scopes cover every platform call apply makes (or the API does not name them)"
                    : 'writes acting as every roster email are accepted',
            });
    } catch (error) {
      add({
        service: 'slack',
        check: 'may do what apply does',
        ok: false,
        detail: explain(error),
        fix: 'check the tokens above',
      });
    }
  }

  // ---- GitHub
  if (has('github')) {
    if (!env.GITHUB_REPOSITORY)
      add({
        service: 'github',
        check: 'repository',
        ok: false,
        detail: 'GITHUB_REPOSITORY is not set',
        fix: 'export GITHUB_REPOSITORY=owner/name (Actions set it)',
      });
    else {
      const gh = gitHubDirectory(env);
      try {
        add({ service: 'github', check: 'repository readable', ok: true, detail: await gh.repository() });
        await gh.pullRequests();
        add({
          service: 'github',
          check: 'pull requests readable',
          ok: true,
          detail: `${gh.owner}/${gh.repo}`,
        });
      } catch (error) {
        const status = (error as { status?: number }).status;
        add({
          service: 'github',
          check: 'repository and pull requests readable',
          ok: false,
          detail: `${env.GITHUB_REPOSITORY}: ${status ?? ''} ${errorMessage(error)}`.trim(),
          fix: 'give the token contents: read and pull-requests: write on the repository (the workflows set these permissions)',
        });
      }
    }
  }

  // ---- Platform admin API: the read endpoints plan uses.
  if (has('platform')) {
    try {
      const { platform } = createProviders(env, config, { need: [], retry });
      await platform.listRollouts(['ramping', 'paused']);
      for (const [, entry] of roster.slice(0, 1)) {
        await platform.listTickets({ assignee: entry.tracker });
        await platform.listImpersonationSessions({ admin: entry.tracker, status: 'open' });
      }
      add({
        service: 'platform',
        check: 'read endpoints',
        ok: true,
        detail: `${env.PLATFORM_API_URL || config.platform.url}: rollouts, tickets, impersonation sessions`,
      });
    } catch (error) {
      add({
        service: 'platform',
        check: 'read endpoints',
        ok: false,
        detail: explain(error),
        fix: 'check platform.url and PLATFORM_TOKEN (an admin API token that may read tickets, sessions and rollouts)',
      });
    }
  }
  return checks;
}

export function renderDoctorText(checks: readonly DoctorCheck[]): string {
  const rows = checks.map((c) => [c.ok ? '✓' : '✗', c.service, c.check, c.detail]);
  const width = (i: number) => Math.max(...rows.map((r) => (r[i] ?? '').length));
  const lines = rows.map((r, n) => {
    const line = `${r[0]} ${(r[1] ?? '').padEnd(width(1))}  ${(r[2] ?? '').padEnd(width(2))}  ${r[3]}`;
    const fix = checks[n]?.fix;
    return !checks[n]?.ok && fix ? `${line}\n    fix: ${fix}` : line;
  });
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(
    '',
    failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`,
  );
  return `${lines.join('\n')}\n`;
}
