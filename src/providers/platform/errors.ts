import { ProviderError, type ProviderErrorKind } from '../types.js';

/**
 * A ProviderError that also carries the platform API's own error code (`session_not_open`, `not_found`, …,
 * see schemas/platform-api.openapi.yaml), so callers branch on a documented value, not on message text.
 */
export class PlatformApiError extends ProviderError {
  constructor(
    call: string,
    object: string | undefined,
    kind: ProviderErrorKind,
    status: number | undefined,
    detail: string,
    /** The API's `error.code`, when the answer carried one. */
    readonly code: string | undefined,
  ) {
    super('platform', call, object, kind, status, detail);
  }
}

/**
 * True when ending a session was refused because it had already ended (409 `session_not_open`). The step
 * that ends sessions treats this as already done: it is also what a retry sees after a 500 whose first
 * attempt did take effect.
 */
export function isSessionNotOpen(error: unknown): error is PlatformApiError {
  return error instanceof PlatformApiError && error.status === 409 && error.code === 'session_not_open';
}
