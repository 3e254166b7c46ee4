import type { HandoverConfig } from '../config/types.js';
import { createGitHubProvider } from './github.js';
import { PAGERDUTY_RATE_LIMIT, type RateLimit, SlidingWindowLimiter } from './pacing.js';
import { createPagerDutyProvider } from './pagerduty.js';
import { createPlatformProvider } from './platform.js';
import { DEFAULT_RETRY } from './retry.js';
import { createSlackProvider } from './slack.js';
import type { ProviderSettings, Providers, RetryPolicy, ServiceName } from './types.js';

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
}

/** Every token the environment holds, for masking in logs before anything is printed. */
export function secretsInEnvironment(env: NodeJS.ProcessEnv): string[] {
  return Object.values(TOKEN_VARIABLES)
    .map((name) => env[name])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}

export function createProviders(
  env: NodeJS.ProcessEnv,
  config: HandoverConfig,
  options: CreateProvidersOptions,
): Providers {
  const missing = options.need.map((s) => TOKEN_VARIABLES[s]).filter((name) => !env[name]);
  if (options.need.includes('github') && !env.GITHUB_REPOSITORY) missing.push('GITHUB_REPOSITORY');
  if (missing.length > 0) throw new MissingCredentialsError(missing);

  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const settings = (service: ServiceName, baseUrl: string, concurrency: number): ProviderSettings => ({
    baseUrl,
    token: env[TOKEN_VARIABLES[service]] ?? '',
    retry,
    concurrency: options.concurrency?.[service] ?? concurrency,
  });
  // PagerDuty allows 960 requests a minute per key; Slack ~1 post a second per channel; GitHub
  // serialises writes anyway. These bounds keep us well inside each.
  const limiter = new SlidingWindowLimiter(options.pagerDutyRateLimit ?? PAGERDUTY_RATE_LIMIT);
  const pagerduty = createPagerDutyProvider({
    ...settings('pagerduty', env.PAGERDUTY_API_URL || DEFAULT_URLS.pagerduty, 8),
    pace: () => limiter.take(),
  });
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
