import type { HandoverConfig } from '../config/types.js';
import { createGitHubPullWriter } from '../providers/github/pull-writer.js';
import { createProviders, DEFAULT_URLS, MissingCredentialsError } from '../providers/index.js';
import { createPagerDutyScheduleProvider } from '../providers/pagerduty/schedule.js';
import { DEFAULT_RETRY } from '../providers/retry.js';
import type { RetryPolicy } from '../providers/types.js';
import type { PrepareServices } from './run.js';

/**
 * Every client prepare uses, from the environment only (the same variables as apply: PAGERDUTY_TOKEN,
 * SLACK_BOT_TOKEN, GITHUB_TOKEN, GITHUB_REPOSITORY, PLATFORM_TOKEN and their *_API_URL overrides).
 * Throws MissingCredentialsError when one is missing.
 */
export function createPrepareServices(
  env: NodeJS.ProcessEnv,
  config: HandoverConfig,
  retry: Partial<RetryPolicy> = {},
): PrepareServices {
  const providers = createProviders(env, config, {
    need: ['pagerduty', 'slack', 'github', 'platform'],
    retry,
  });
  if (!providers.github) throw new MissingCredentialsError(['GITHUB_TOKEN', 'GITHUB_REPOSITORY']);
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...retry };
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const schedule = createPagerDutyScheduleProvider({
    baseUrl: env.PAGERDUTY_API_URL || DEFAULT_URLS.pagerduty,
    token: env.PAGERDUTY_TOKEN ?? '',
    retry: policy,
    concurrency: 2,
  });
  const pulls = createGitHubPullWriter({
    baseUrl: env.GITHUB_API_URL || DEFAULT_URLS.github,
    token: env.GITHUB_TOKEN ?? '',
    retry: policy,
    concurrency: 1,
    owner,
    repo,
  });
  return { providers: { ...providers, github: providers.github }, schedule, pulls };
}
