import type { HandoverConfig } from '../config/types.js';
import { createGitHubProvider } from './github.js';
import { pagerDutyPacer, type RateLimit } from './pacing.js';
import { createPagerDutyProvider } from './pagerduty.js';
import { createPlatformProvider } from './platform.js';
import { DEFAULT_RETRY } from './retry.js';
import { createSlackProvider } from './slack.js';
import type { PagerDutyProvider, ProviderSettings, Providers, RetryPolicy, ServiceName } from './types.js';

export const DEFAULT_URLS = {
  pagerduty: 'https://api.pagerduty.com',
  slack: 'https://slack.com/api/',
  github: 'https://api.github.com',
} as const;

const TOKEN_VARIABLES: Record<ServiceName, string> = {
  pagerduty: 'PAGERDUTY_TOKEN',
  slack: 'SLACK_BOT_TOKEN',
  github: 'GITHUB_TOKEN',
  platform: 'PLATFORM_TOKEN',
};

/** A required secret is not in the environment: a setup mistake (exit 2), never a crash. */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
  constructor(readonly variables: string[]) {
    super(`missing environment variable${variables.length > 1 ? 's' : ''}: ${variables.join(', ')}`);
  }
}

export interface CreateProvidersOptions {
  /** Services that must be configured; a missing token for one of these throws MissingCredentialsError. */
  need: ServiceName[];
  retry?: Partial<RetryPolicy>;
  concurrency?: Partial<Record<ServiceName, number>>;
  /**
   * Client-side pacing of every PagerDuty request (default: a little under the documented 960 a
   * minute), for every command that reads or writes PagerDuty: apply, plan and init alike.
   */
  pagerDutyRateLimit?: RateLimit;
  /**
   * Paces PagerDuty requests with a limiter the caller shares between provider sets (one key, one
   * budget); instead of a new limiter at `pagerDutyRateLimit`.
   */
  pagerDutyPace?: () => Promise<void>;
}

/** Every token the environment holds, for masking in logs before anything is printed. */
export function secretsInEnvironment(env: NodeJS.ProcessEnv): string[] {
  return Object.values(TOKEN_VARIABLES)
    .map((name) => env[name])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function settingsFrom(env: NodeJS.ProcessEnv, options: Omit<CreateProvidersOptions, 'need'>) {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  return (service: ServiceName, baseUrl: string, concurrency: number): ProviderSettings => ({
    baseUrl,
    token: env[TOKEN_VARIABLES[service]] ?? '',
    retry,
    concurrency: options.concurrency?.[service] ?? concurrency,
  });
}

/**
 * The PagerDuty client alone, as createProviders makes it (a missing token is the caller's to check):
 * for a second client with other retries that shares the first one's pacing.
 */
export function pagerDutyFrom(
  env: NodeJS.ProcessEnv,
  options: Omit<CreateProvidersOptions, 'need'>,
): PagerDutyProvider {
  const pace = options.pagerDutyPace ?? pagerDutyPacer(options.pagerDutyRateLimit);
  // Sixteen in flight: a large handover's first reads (a list's other pages, the account's log, the
  // permission probes) go in one round trip. The limiter, not this bound, keeps the rate.
  return createPagerDutyProvider({
    ...settingsFrom(env, options)('pagerduty', env.PAGERDUTY_API_URL || DEFAULT_URLS.pagerduty, 16),
    pace,
  });
}

export function createProviders(
  env: NodeJS.ProcessEnv,
  config: HandoverConfig,
  options: CreateProvidersOptions,
): Providers {
  const missing = options.need.map((s) => TOKEN_VARIABLES[s]).filter((name) => !env[name]);
  if (options.need.includes('github') && !env.GITHUB_REPOSITORY) missing.push('GITHUB_REPOSITORY');
  if (missing.length > 0) throw new MissingCredentialsError(missing);

  const settings = settingsFrom(env, options);
  // PagerDuty allows 960 requests a minute per key; Slack ~1 post a second per channel; GitHub
  // serialises writes anyway. These bounds keep us well inside each.
  const pagerduty = pagerDutyFrom(env, options);
  const slack = createSlackProvider(settings('slack', env.SLACK_API_URL || DEFAULT_URLS.slack, 2));
  const platform = createPlatformProvider(
    settings('platform', env.PLATFORM_API_URL || config.platform.url, 8),
  );
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const github =
    env.GITHUB_TOKEN && owner && repo
      ? createGitHubProvider({
          ...settings('github', env.GITHUB_API_URL || DEFAULT_URLS.github, 4),
          owner,
          repo,
        })
      : null;
  return { pagerduty, slack, github, platform };
}
