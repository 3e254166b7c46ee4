import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { kindForStatus } from '../retry.js';
import { ProviderError, type ProviderErrorKind } from '../types.js';

/** Slack's `error` codes that no retry can fix because the token or its scopes are wrong. */
const AUTH_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'ekm_access_denied',
  // The bot is not a member of the channel: a setup fix (invite it), not a retry.
  'not_in_channel',
]);
const NOT_FOUND_ERRORS = new Set([
  'channel_not_found',
  'thread_not_found',
  'message_not_found',
  'users_not_found',
  'user_not_found',
]);
/** Slack sometimes reports its own trouble with HTTP 200 and one of these codes. */
const SERVER_ERRORS = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout']);

function kindForSlackError(code: string): ProviderErrorKind {
  if (AUTH_ERRORS.has(code)) return 'auth';
  if (NOT_FOUND_ERRORS.has(code)) return 'not-found';
  if (code === 'ratelimited' || code === 'rate_limited') return 'rate-limited';
  if (SERVER_ERRORS.has(code)) return 'server';
  return 'invalid';
}

export interface TranslatedError {
  error: ProviderError;
  retryAfterMs?: number;
}

/** Removes every occurrence of the token, whatever a library put into a message. */
export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('[redacted]') : text;
}

function slackErrorCode(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return slackErrorCode(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  const error = (body as { error?: unknown } | null | undefined)?.error;
  return typeof error === 'string' ? error : undefined;
}

/**
 * Translates whatever @slack/web-api threw into our ProviderError, once, at the boundary.
 * The library's own retries are off, so each error here is one HTTP answer (or none).
 */
export function translateSlackError(
  error: unknown,
  call: string,
  object: string | undefined,
  token: string,
): TranslatedError {
  const make = (kind: ProviderErrorKind, status: number | undefined, detail: string) =>
    new ProviderError('slack', call, object, kind, status, scrub(detail, token));

  if (error instanceof WebAPIRateLimitedError) {
    return {
      error: make('rate-limited', 429, `rate limited; Slack asked to wait ${error.retryAfter}s`),
      retryAfterMs: error.retryAfter * 1000,
    };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const needed = (error.data as { needed?: unknown }).needed;
    const detail =
      code === 'missing_scope' && typeof needed === 'string' ? `${code} (needs ${needed})` : code;
    return { error: make(kindForSlackError(code), undefined, detail) };
  }
  if (error instanceof WebAPIHTTPError) {
    const code = slackErrorCode(error.body);
    const detail = `HTTP ${error.statusCode} ${error.statusMessage}${code ? `: ${code}` : ''}`;
    return { error: make(kindForStatus(error.statusCode), error.statusCode, detail) };
  }
  if (error instanceof WebAPIRequestError) {
    const original = error.original;
    const timedOut = original.name === 'TimeoutError' || original.name === 'AbortError';
    const cause = (original as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason = typeof cause?.code === 'string' ? cause.code : original.message;
    return { error: make(timedOut ? 'timeout' : 'network', undefined, reason) };
  }
  // A 429 without a usable Retry-After: the library refuses to guess how long to wait.
  if (error instanceof Error && /Retry header did not contain a valid timeout/.test(error.message)) {
    return { error: make('rate-limited', 429, 'rate limited without a usable Retry-After') };
  }
  throw error;
}
