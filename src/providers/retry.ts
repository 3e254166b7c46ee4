import { systemClock } from '../clock.js';
import { ProviderError, type RetryPolicy } from './types.js';

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** What one attempt of a call came to, as the retry loop needs to know it. */
export type Attempt<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: ProviderError;
      /** The server's Retry-After (or ratelimit-reset), in milliseconds, when it gave one. */
      retryAfterMs?: number;
    };

/**
 * A connection that was refused (nothing listens) or a host that does not exist: the service is down or
 * misconfigured, and waiting seconds for it to come back only delays the error (issue: a stopped service
 * made plan take 6 s and apply 30 s to fail). Every client names the system error code in the detail.
 */
export function isUnreachable(error: ProviderError): boolean {
  return error.kind === 'network' && /\b(ECONNREFUSED|ENOTFOUND)\b/.test(error.detail);
}

/** 429, 5xx, dropped connections and timeouts may clear on their own; nothing else can. */
export function isRetryable(error: ProviderError): boolean {
  return (
    error.kind === 'rate-limited' ||
    error.kind === 'server' ||
    (error.kind === 'network' && !isUnreachable(error)) ||
    error.kind === 'timeout'
  );
}

/** How long a rate limit may make one call wait when the policy does not say. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;

/**
 * Capped exponential backoff with full jitter; the server's Retry-After (or rate-limit reset) wins when it
 * is longer — in full: waiting less than the server asked only spends an attempt on a certain refusal.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential / 2 + (policy.random() * exponential) / 2);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}

function minutes(ms: number): string {
  const value = Math.ceil(ms / 60_000);
  return `${value} minute${value === 1 ? '' : 's'}`;
}

/**
 * A rate limit that resets later than the run may wait (GitHub's spent hourly quota: a 403 whose reset
 * can be an hour away): the same error, saying when a re-run will get through.
 */
export function rateLimitBeyondBudget(error: ProviderError, waitMs: number, budgetMs: number): ProviderError {
  return new ProviderError(
    error.service,
    error.call,
    error.object,
    error.kind,
    error.status,
    `${error.detail} — the rate limit resets in ${minutes(waitMs)}, longer than this run may wait (${minutes(budgetMs)}): nothing more was attempted; re-run after the reset`,
  );
}

/**
 * Runs `attempt` until it succeeds, fails with an error that cannot clear, or the attempts run out.
 * The last error is thrown as it is: it already names the service, the call and the object.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: () => Promise<Attempt<T>>): Promise<T> {
  for (let n = 1; ; n += 1) {
    const result = await attempt();
    if (result.ok) return result.value;
    if (!isRetryable(result.error) || n >= policy.maxAttempts) throw result.error;
    const budget = policy.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    if (result.error.kind === 'rate-limited' && (result.retryAfterMs ?? 0) > budget)
      throw rateLimitBeyondBudget(result.error, result.retryAfterMs ?? 0, budget);
    await policy.sleep(backoffDelay(policy, n, result.retryAfterMs));
  }
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs = systemClock().getTime(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Bounds how many calls of one provider are in flight at once. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Classifies an HTTP status into the error kinds every provider shares. */
export function kindForStatus(status: number): ProviderError['kind'] {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'invalid';
}
