import { Octokit } from '@octokit/rest';
import { WebClient } from '@slack/web-api';
import { createGitHubProvider } from '../../src/providers/github.js';
import { createSlackProvider, SILENT_LOGGER } from '../../src/providers/slack.js';
import type { GitHubProvider, RetryPolicy, SlackProvider } from '../../src/providers/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import { recordingRetry } from '../support/retry.js';

export interface ProviderOptions {
  token?: string;
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  clock?: { now: Date };
}

export function slackProvider(
  sandbox: Sandbox,
  options: ProviderOptions = {},
): { slack: SlackProvider; sleeps: number[] } {
  const { policy, sleeps } = recordingRetry(options.retry, options.clock);
  const slack = createSlackProvider({
    baseUrl: options.baseUrl ?? sandbox.env().SLACK_API_URL!,
    token: options.token ?? sandbox.tokens.slack,
    retry: policy,
    concurrency: 2,
  });
  return { slack, sleeps };
}

export function githubProvider(
  sandbox: Sandbox,
  options: ProviderOptions = {},
): { github: GitHubProvider; sleeps: number[] } {
  const { policy, sleeps } = recordingRetry(options.retry, options.clock);
  const github = createGitHubProvider({
    baseUrl: options.baseUrl ?? sandbox.urls.github,
    token: options.token ?? sandbox.tokens.github,
    retry: policy,
    concurrency: 4,
    owner: SEED_IDS.githubOwner,
    repo: SEED_IDS.githubRepo,
  });
  return { github, sleeps };
}

/** The official Slack client pointed at the sandbox, without retries: for tests of the emulator's wire (null: no token). */
export function rawSlack(sandbox: Sandbox, token: string | null = sandbox.tokens.slack): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: sandbox.env().SLACK_API_URL!,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: SILENT_LOGGER,
  });
}

/** The official GitHub client pointed at the sandbox, without retries: for tests of the emulator's wire (null: no token). */
export function rawGitHub(sandbox: Sandbox, token: string | null = sandbox.tokens.github): Octokit {
  return new Octokit({
    auth: token ?? undefined,
    baseUrl: sandbox.urls.github,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}
