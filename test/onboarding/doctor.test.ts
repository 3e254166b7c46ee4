/**
 * `handover doctor` against the sandbox: all ✓ on the seed world, then each broken wiring (table-driven)
 * reported as ✗ with its fix, exit 1. The CLI runs in-process with the real clients over 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { type CliWorld, startCliWorld } from '../plan/cli-world.js';

let world: CliWorld;
beforeEach(async () => {
  world = await startCliWorld();
});
afterEach(async () => {
  await world.close();
});

interface Check {
  service: string;
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function doctor(env: Record<string, string | undefined> = {}) {
  const result = await world.run(['doctor', '--format', 'json'], env);
  const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
  return { ...result, report, failed: report.checks.filter((c) => !c.ok) };
}

describe('handover doctor', () => {
  it('passes every check on the seed world, as a table', async () => {
    const result = await world.run(['doctor']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('✗');
    expect(result.stdout).toMatch(/✓ pagerduty +service exists +PSVC001 \(platform-ops\)/);
    expect(result.stdout).toMatch(/✓ slack +may do what apply does/);
    expect(result.stdout).toMatch(/✓ github +pull requests readable/);
    expect(result.stdout).toMatch(/✓ platform +read endpoints/);
    expect(result.stdout).toMatch(/all \d+ checks passed/);
  });

  const cases: Array<{
    name: string;
    arrange: (w: CliWorld) => void;
    env?: Record<string, string | undefined>;
    detail: RegExp;
    fix: RegExp;
  }> = [
    {
      name: 'a Slack token short of a scope',
      arrange: (w) =>
        w.sandbox.emulators.slack.setBotScopes(['chat:write', 'channels:read', 'users:read.email']),
      detail: /lacks the scope channels:history/,
      fix: /Bot Token Scopes.*reinstall/,
    },
    {
      name: 'the bot not in the channel',
      arrange: (w) => w.sandbox.emulators.slack.setBotMembership(SEED_IDS.slackChannel, false),
      detail: /not a member of #novavms-platform-ops/,
      fix: /\/invite/,
    },
    {
      name: 'no users:read.email, so no roster lookup',
      arrange: (w) =>
        w.sandbox.emulators.slack.setBotScopes(['chat:write', 'channels:read', 'channels:history']),
      detail: /users:read\.email/,
      fix: /add users:read\.email/,
    },
    {
      name: 'a platform token that may not annotate rollouts',
      arrange: (w) =>
        w.sandbox.emulators.platform.setTokenScopes([
          'tickets:read',
          'tickets:write',
          'impersonation:read',
          'impersonation:write',
          'rollouts:read',
          'audit:read',
        ]),
      detail: /PLATFORM_TOKEN\) lacks the scope rollouts:write/,
      fix: /grant the token the scope rollouts:write/,
    },
    {
      name: 'a read-only PagerDuty key',
      arrange: (w) => w.sandbox.emulators.pagerduty.setApiKey({ kind: 'read-only' }),
      detail: /PAGERDUTY_TOKEN\) is read-only/,
      fix: /general access REST API key/,
    },
    {
      name: 'a roster email no PagerDuty user has',
      arrange: (w) =>
        w.write(
          'handover.config.yaml',
          w.read('handover.config.yaml').replace(SEED_ADMINS.dana.email, 'dana@elsewhere.example'),
        ),
      detail: /no PagerDuty user has the email dana@elsewhere\.example/,
      fix: /correct roster\.dana\.email/,
    },
    {
      name: 'a PagerDuty id of someone else',
      arrange: (w) =>
        w.write(
          'handover.config.yaml',
          w
            .read('handover.config.yaml')
            .replace(`pagerduty: ${SEED_ADMINS.bob.pagerduty}`, 'pagerduty: PUSR999'),
        ),
      detail: /bob@novavms\.example is PagerDuty user PUSR002, not PUSR999/,
      fix: /set roster\.bob\.pagerduty to PUSR002/,
    },
    {
      name: 'a Slack id of someone else',
      arrange: (w) =>
        w.write(
          'handover.config.yaml',
          w.read('handover.config.yaml').replace(`slack: ${SEED_ADMINS.alice.slack},`, 'slack: U0NOBODY,'),
        ),
      detail: /alice@novavms\.example is Slack user U0ALICE, not U0NOBODY/,
      fix: /set roster\.alice\.slack to U0ALICE/,
    },
    {
      name: 'an unknown service',
      arrange: (w) =>
        w.write(
          'handover.config.yaml',
          w.read('handover.config.yaml').replace(SEED_IDS.pagerdutyServiceId, 'PNOSUCH'),
        ),
      detail: /PNOSUCH: 404/,
      fix: /set pagerduty\.serviceId/,
    },
    {
      name: 'an unknown schedule',
      arrange: (w) =>
        w.write(
          'handover.config.yaml',
          w.read('handover.config.yaml').replace(SEED_IDS.pagerdutyScheduleId, 'PNOSCHED'),
        ),
      detail: /PNOSCHED: 404/,
      fix: /set pagerduty\.scheduleId/,
    },
    {
      name: 'an unknown channel',
      arrange: (w) =>
        w.write(
          'handover.config.yaml',
          w.read('handover.config.yaml').replace(`channel: ${SEED_IDS.slackChannel}`, 'channel: C0NOSUCH'),
        ),
      detail: /no channel C0NOSUCH/,
      fix: /set slack\.channel/,
    },
    {
      name: 'a wrong PagerDuty token',
      arrange: () => {},
      env: { PAGERDUTY_TOKEN: 'not-the-key' },
      detail: /401/,
      fix: /PAGERDUTY_TOKEN/,
    },
    {
      name: 'a wrong Slack token',
      arrange: () => {},
      env: { SLACK_BOT_TOKEN: 'xoxb-not-the-token' },
      detail: /invalid_auth/,
      fix: /SLACK_BOT_TOKEN/,
    },
    {
      name: 'a GitHub token without access to the repository',
      arrange: () => {},
      env: { GITHUB_REPOSITORY: 'novavms/not-this-one' },
      detail: /novavms\/not-this-one/,
      fix: /pull-requests/,
    },
    {
      name: 'a missing platform token',
      arrange: () => {},
      env: { PLATFORM_TOKEN: undefined },
      detail: /PLATFORM_TOKEN is not in the environment/,
      fix: /export PLATFORM_TOKEN/,
    },
  ];

  it.each(cases)('reports $name with its fix, exit 1', async ({ arrange, env, detail, fix }) => {
    arrange(world);
    const result = await doctor(env);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.report.ok).toBe(false);
    const broken = result.failed.find((c) => detail.test(c.detail));
    expect(broken, JSON.stringify(result.failed, null, 2)).toBeDefined();
    expect(broken?.fix).toMatch(fix);
    const text = await world.run(['doctor'], env);
    expect(text.stdout).toMatch(/✗ /);
    expect(text.stdout).toMatch(/\n {4}fix: /);
  });

  it('changes nothing', async () => {
    const before = world.sandbox.emulators.pagerduty.snapshot();
    const result = await world.run(['doctor']);
    expect(result.code).toBe(0);
    // The one PagerDuty write check is an empty bulk update, which PagerDuty rejects: nothing changes.
    const writes = world.sandbox.requests.filter(
      (r) => r.mutation && !(r.service === 'pagerduty' && r.method === 'PUT' && r.path === '/incidents'),
    );
    expect(writes).toEqual([]);
    expect(world.sandbox.emulators.pagerduty.snapshot()).toEqual(before);
  });
});
