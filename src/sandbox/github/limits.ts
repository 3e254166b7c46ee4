import type { SandboxRequest, SandboxResponse } from '../types.js';
import { githubError } from './errors.js';

/**
 * GitHub's quotas and its lag, on the sandbox clock:
 * - the primary rate limit: every answer carries `x-ratelimit-*`; once the hour's quota is spent GitHub
 *   answers **403** (not 429) with `x-ratelimit-remaining: 0` and the reset as epoch seconds
 *   (docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api);
 * - secondary limits: 403 with `retry-after` and a message naming the secondary rate limit;
 * - the commit → pull request association is computed asynchronously after a merge: the first lookups of
 *   a fresh merge commit can answer an empty list.
 */
export interface GitHubLimitSettings {
  /** Requests an hour (GitHub: 5000 for a user token, 1000 for an Actions GITHUB_TOKEN per repository). */
  limit: number;
  /** Requests left in the current window. */
  remaining: number;
  /** Seconds from now until the window resets. */
  resetInSeconds: number;
  /** The next N requests meet a secondary limit. */
  secondaryLimitNext: number;
  /** The `retry-after` a secondary limit names, in seconds. */
  secondaryRetryAfterSeconds: number;
  /** Lookups of a merge commit's pull requests that answer `[]` before the association exists. */
  pullLinkPendingLookups: number;
}

const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

export class GitHubLimits {
  private limit = 5000;
  private remaining = 5000;
  private resetAtMs: number | null = null;
  private secondaryNext = 0;
  private secondaryRetryAfter = 60;
  pullLinkPendingLookups = 0;
  private readonly lookups = new Map<string, number>();

  configure(settings: Partial<GitHubLimitSettings>, nowMs: number): void {
    if (settings.limit !== undefined) this.limit = settings.limit;
    if (settings.remaining !== undefined) this.remaining = settings.remaining;
    if (settings.resetInSeconds !== undefined) this.resetAtMs = nowMs + settings.resetInSeconds * 1000;
    if (settings.secondaryLimitNext !== undefined) this.secondaryNext = settings.secondaryLimitNext;
    if (settings.secondaryRetryAfterSeconds !== undefined)
      this.secondaryRetryAfter = settings.secondaryRetryAfterSeconds;
    if (settings.pullLinkPendingLookups !== undefined) {
      this.pullLinkPendingLookups = settings.pullLinkPendingLookups;
      this.lookups.clear();
    }
  }

  /** Counts one request; a refusal when a limit applies, else the headers every answer carries. */
  admit(nowMs: number): { refusal: SandboxResponse } | { headers: Record<string, string> } {
    if (this.resetAtMs === null || nowMs >= this.resetAtMs) {
      this.resetAtMs = nowMs + 3600_000;
      if (this.remaining <= 0 || nowMs >= this.resetAtMs) this.remaining = this.limit;
    }
    const reset = String(Math.ceil(this.resetAtMs / 1000));
    const headers = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(this.limit - remaining),
      'x-ratelimit-reset': reset,
      'x-ratelimit-resource': 'core',
    });
    if (this.secondaryNext > 0) {
      this.secondaryNext -= 1;
      const refusal = githubError(
        403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:SANDBOX.',
        `${DOCS}#about-secondary-rate-limits`,
      );
      return {
        refusal: {
          ...refusal,
          headers: { ...headers(this.remaining), 'retry-after': String(this.secondaryRetryAfter) },
        },
      };
    }
    if (this.remaining <= 0) {
      const refusal = githubError(
        403,
        'API rate limit exceeded for installation ID 4242. If you reach out to GitHub Support for help, please include the request ID 0000:SANDBOX and timestamp.',
        `${DOCS}#primary-rate-limit`,
      );
      return { refusal: { ...refusal, headers: headers(0) } };
    }
    this.remaining -= 1;
    return { headers: headers(this.remaining) };
  }

  /** Whether this lookup of a merge commit's pull requests comes before GitHub has linked them. */
  pullLinkPending(req: SandboxRequest, isMergeCommit: (sha: string) => boolean): boolean {
    if (this.pullLinkPendingLookups <= 0 || req.method !== 'GET') return false;
    const sha = /\/commits\/([^/]+)\/pulls$/.exec(req.path)?.[1]?.toLowerCase();
    if (!sha || !isMergeCommit(sha)) return false;
    const seen = this.lookups.get(sha) ?? 0;
    this.lookups.set(sha, seen + 1);
    return seen < this.pullLinkPendingLookups;
  }
}
