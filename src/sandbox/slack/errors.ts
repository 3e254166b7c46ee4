import type { SandboxResponse } from '../types.js';

/**
 * Slack's refusals. Method errors — authentication and permission errors included — come back with
 * HTTP 200 and `{ok: false, error}` (docs.slack.com/apis/web-api "Evaluating responses"); only rate limits
 * (429 + `Retry-After`) and edge failures use other statuses.
 */
export type SlackFailure = { ok: false; error: string; [key: string]: unknown };

export const fail = (error: string, extra: Record<string, unknown> = {}): SlackFailure => ({
  ok: false,
  error,
  ...extra,
});

/** Any Web API body, sent as Slack sends method answers: HTTP 200. */
export const ok200 = (body: unknown): SandboxResponse => ({ status: 200, body });

export function rateLimited(retryAfterSeconds: number): SandboxResponse {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { ok: false, error: 'ratelimited' },
  };
}
