import { Octokit } from '@octokit/rest';
import { ConcurrencyLimit, withRetry } from '../retry.js';
import type { ProviderSettings } from '../types.js';
import { ProviderError } from '../types.js';
import { translateGitHubError } from './errors.js';

const SILENT_LOG = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Requests that may be sent again as they are: reads, and writes that set a value (PATCH/PUT). */
const REPEATABLE = new Set(['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE']);

/** A fetch that gives up after `timeoutMs`: octokit itself would wait forever. */
function fetchWithDeadline(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    return fetch(input, { ...init, signal });
  };
}

export interface GitHubClient {
  octokit: Octokit;
  /** Names the failure after our operation and its object, whatever request inside it failed. */
  named<T>(call: string, object: string | undefined, run: () => Promise<T>): Promise<T>;
  /** Retry-After of a rate-limited request that was not repeated (a POST), for a caller that decides to. */
  retryAfterOf(error: ProviderError): number | undefined;
}

/**
 * @octokit/rest without the retry and throttling plugins: every request goes through one hook that
 * bounds concurrency, times out, and retries with `withRetry` (each page of a paginated list on its
 * own). POSTs are never repeated blindly. Shared by every GitHub provider so that they fail alike.
 */
export function createGitHubClient(settings: ProviderSettings): GitHubClient {
  const { token } = settings;
  const octokit = new Octokit({
    auth: token,
    baseUrl: settings.baseUrl.replace(/\/+$/, ''),
    userAgent: 'handover',
    log: SILENT_LOG,
    request: { fetch: fetchWithDeadline(settings.retry.timeoutMs) },
  });
  const limit = new ConcurrencyLimit(Math.max(1, settings.concurrency));
  const retryAfter = new WeakMap<ProviderError, number>();

  octokit.hook.wrap('request', async (request, options) => {
    const call = `${options.method} ${options.url}`;
    const once = async () => {
      try {
        return { ok: true as const, value: await limit.run(async () => request(options)) };
      } catch (thrown) {
        const { error, retryAfterMs } = translateGitHubError(thrown, call, undefined, token);
        if (retryAfterMs !== undefined) retryAfter.set(error, retryAfterMs);
        return { ok: false as const, error, retryAfterMs };
      }
    };
    if (REPEATABLE.has(options.method.toUpperCase())) return withRetry(settings.retry, once);
    const result = await once();
    if (result.ok) return result.value;
    throw result.error;
  });

  return {
    octokit,
    named: async (call, object, run) => {
      try {
        return await run();
      } catch (thrown) {
        const { error } = translateGitHubError(thrown, call, object, token);
        throw new ProviderError('github', call, object, error.kind, error.status, error.detail);
      }
    },
    retryAfterOf: (error) => retryAfter.get(error),
  };
}
