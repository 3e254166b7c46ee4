import { Octokit } from '@octokit/rest';
import { type Logger, LogLevel, WebClient } from '@slack/web-api';
import { createGitHubProvider } from '../../src/providers/github.js';
import { createSlackProvider } from '../../src/providers/slack.js';
import type { GitHubProvider, RetryPolicy, SlackProvider } from '../../src/providers/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import type { RecordedRequest } from '../../src/sandbox/types.js';

/** Thursday 26 November 2026, 15:00 UTC: the afternoon of the seed handover. */
export const PINNED_NOW = new Date('2026-11-26T15:00:00Z');

/**
 * A sandbox on a clock the test owns. Sleeps recorded by `recordingRetry(clock)` move it, so a
 * server-side rate-limit window expires exactly as it would in real time, without waiting.
 */
export async function startClockedSandbox(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; clock: { now: Date } }> {
  const clock = { now: PINNED_NOW };
  const sandbox = await startSandbox({ now: () => clock.now, ...options });
  return { sandbox, clock };
}

/** A retry policy that never waits: it records each delay (and moves the clock, when given one). */
export function recordingRetry(
  overrides: Partial<RetryPolicy> = {},
  clock?: { now: Date },
): { policy: RetryPolicy; sleeps: number[] } {
  const sleeps: number[] = [];
  const policy: RetryPolicy = {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (clock) clock.now = new Date(clock.now.getTime() + ms);
    },
    random: () => 0,
    ...overrides,
  };
  return { policy, sleeps };
}

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

const SILENT: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** The official Slack client pointed at the sandbox, without retries: for tests of the emulator's wire (null: no token). */
export function rawSlack(sandbox: Sandbox, token: string | null = sandbox.tokens.slack): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: sandbox.env().SLACK_API_URL!,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: SILENT,
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

export function requestsTo(sandbox: Sandbox, service: 'slack' | 'github'): RecordedRequest[] {
  return sandbox.requests.filter((r) => r.service === service);
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}
