import { systemClock } from '../../clock.js';
import { kindForStatus, parseRetryAfter } from '../retry.js';
import { ProviderError, type ProviderErrorKind } from '../types.js';

export interface TranslatedError {
  error: ProviderError;
  retryAfterMs?: number;
}

/** What @octokit/request throws: a RequestError, with `response` when the server answered. */
interface OctokitErrorShape {
  status?: number;
  message?: string;
  cause?: unknown;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

function isOctokitError(error: unknown): error is Error & OctokitErrorShape {
  return error instanceof Error && (error.name === 'HttpError' || 'status' in error);
}

/** Removes every occurrence of the token from a message, whatever a library put into it. */
export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('[redacted]') : text;
}

/** GitHub's own explanation: `message`, plus the first validation error when there is one. */
function githubDetail(data: unknown, status: number): string {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data ? data : `HTTP ${status}`;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  const first = Array.isArray(errors)
    ? (errors[0] as { message?: unknown; code?: unknown } | undefined)
    : undefined;
  const extra =
    typeof first?.message === 'string' ? first.message : typeof first?.code === 'string' ? first.code : '';
  const text = typeof message === 'string' ? message : `HTTP ${status}`;
  return extra ? `${text}: ${extra}` : text;
}

/**
 * GitHub signals rate limits with 429, and with 403 when the primary quota is spent
 * (`x-ratelimit-remaining: 0`) or a secondary limit was hit (the message says so).
 */
function rateLimitWait(
  status: number,
  headers: Record<string, string | number | undefined>,
  detail: string,
  nowMs: number,
): { limited: boolean; retryAfterMs?: number } {
  const remaining = String(headers['x-ratelimit-remaining'] ?? '');
  const limited = status === 429 || (status === 403 && (remaining === '0' || /rate limit/i.test(detail)));
  if (!limited) return { limited };
  const retryAfter = parseRetryAfter(
    headers['retry-after'] === undefined ? undefined : String(headers['retry-after']),
    nowMs,
  );
  if (retryAfter !== undefined) return { limited, retryAfterMs: retryAfter };
  const reset = Number(headers['x-ratelimit-reset']);
  if (remaining === '0' && Number.isFinite(reset)) {
    // Measured against GitHub's own clock (its Date header) when it sent one: the runner's clock may be off.
    const serverNow = Date.parse(String(headers.date ?? ''));
    const base = Number.isNaN(serverNow) ? nowMs : serverNow;
    return { limited, retryAfterMs: Math.max(0, reset * 1000 - base) };
  }
  // GitHub: without either header, wait at least a minute before a secondary-limited retry.
  return { limited, retryAfterMs: 60_000 };
}

/** Translates what octokit threw into ProviderError, with no trace of the Authorization header. */
export function translateGitHubError(
  error: unknown,
  call: string,
  object: string | undefined,
  token: string,
  nowMs: number = systemClock().getTime(),
): TranslatedError {
  if (error instanceof ProviderError) return { error };
  const make = (kind: ProviderErrorKind, status: number | undefined, detail: string) =>
    new ProviderError('github', call, object, kind, status, scrub(detail, token));

  if (isOctokitError(error) && error.response) {
    const { status, headers, data } = error.response;
    const detail = githubDetail(data, status);
    const wait = rateLimitWait(status, headers, detail, nowMs);
    if (wait.limited) return { error: make('rate-limited', status, detail), retryAfterMs: wait.retryAfterMs };
    return { error: make(kindForStatus(status), status, detail) };
  }
  if (error instanceof Error) {
    // No answer: a timeout (our abort signal) or a connection failure.
    const cause = error.cause as { name?: unknown; code?: unknown; message?: unknown } | undefined;
    const timedOut =
      error.name === 'AbortError' ||
      error.name === 'TimeoutError' ||
      cause?.name === 'TimeoutError' ||
      cause?.name === 'AbortError';
    if (timedOut) return { error: make('timeout', undefined, 'no answer before the deadline') };
    if (isOctokitError(error) || error.name === 'TypeError') {
      const code = typeof cause?.code === 'string' ? cause.code : undefined;
      return { error: make('network', undefined, code ?? error.message) };
    }
  }
  throw error;
}
