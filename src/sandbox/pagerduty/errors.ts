import type { SandboxResponse } from '../types.js';

/**
 * PagerDuty's error answers: `{"error": {"message", "code", "errors"?}}`, with the codes its
 * documentation lists (developer-docs, REST API "Errors").
 */
export function pdError(status: number, message: string, code: number, errors?: string[]): SandboxResponse {
  return { status, body: { error: { message, code, ...(errors ? { errors } : {}) } } };
}

export const notFound = (): SandboxResponse => pdError(404, 'Not Found', 2100);

export const invalidInput = (...errors: string[]): SandboxResponse =>
  pdError(400, 'Invalid Input Provided', 2001, errors);

export const authenticationFailed = (): SandboxResponse => pdError(401, 'Authentication failed', 2006);

/** The `From` header is required on writes that act as a user (PUT incidents, POST notes). */
export const fromHeaderMissing = (): SandboxResponse =>
  pdError(400, 'You must specify a user\'s email address in the "From" header to perform this action', 2016);

export const fromHeaderMalformed = (): SandboxResponse => pdError(400, 'Malformed "From" header', 1028);

export const requesterNotFound = (): SandboxResponse => pdError(400, 'Requester User Not Found', 1008);

export const incidentAlreadyResolved = (): SandboxResponse => pdError(400, 'Incident Already Resolved', 1001);

export const requestTooLarge = (message: string): SandboxResponse =>
  pdError(413, 'Request Entity Too Large', 2001, [message]);

export function rateLimitExceeded(retryAfterSeconds: number): SandboxResponse {
  return {
    status: 429,
    headers: {
      'retry-after': String(retryAfterSeconds),
      // PagerDuty's documented rate-limit headers; `ratelimit-reset` is the seconds to wait.
      'ratelimit-limit': '960',
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(retryAfterSeconds),
    },
    body: { error: { message: 'Rate Limit Exceeded', code: 2020 } },
  };
}

export const internalError = (): SandboxResponse =>
  pdError(500, 'An internal error has occurred. PagerDuty team has been notified.', 2000);

/**
 * 403: the credentials are valid but may not do this (the spec's `Forbidden` response, with the common
 * error body). A read-only API key may only read; users whose role is read-only may not act on incidents.
 */
export const accessDenied = (reason: string): SandboxResponse =>
  pdError(403, 'Access Denied', 2010, [reason]);
