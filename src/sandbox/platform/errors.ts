import type { SandboxResponse } from '../types.js';

/** The error codes of schemas/platform-api.openapi.yaml (`ErrorCode`). */
export type PlatformErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'session_not_open'
  | 'rate_limited'
  | 'internal';

/** Every error answer of the platform API: `{error: {code, message}}`. */
export function platformError(
  status: number,
  code: PlatformErrorCode,
  message: string,
  headers?: Record<string, string>,
): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body: { error: { code, message } } };
}

export function invalid(message: string): SandboxResponse {
  return platformError(400, 'invalid_request', message);
}

export function notFound(message: string): SandboxResponse {
  return platformError(404, 'not_found', message);
}
