import type { SandboxResponse } from '../types.js';
import { platformError } from './errors.js';
import type { Route } from './routes.js';

/**
 * The platform token's scopes (schemas/platform-api.openapi.yaml, "Token scopes"): what a token may read
 * and write, per resource. Every authenticated answer names them in `X-Token-Scopes`; a request outside
 * them answers 403 `forbidden`, before anything is read or changed.
 */
export const PLATFORM_SCOPES = [
  'tickets:read',
  'tickets:write',
  'impersonation:read',
  'impersonation:write',
  'rollouts:read',
  'rollouts:write',
  'audit:read',
] as const;

export type PlatformScope = (typeof PLATFORM_SCOPES)[number];

export const SCOPES_HEADER = 'x-token-scopes';

/** The scope a route needs: its resource, and `read` for GET, `write` for anything else. */
export function scopeFor(route: Route): PlatformScope {
  const resource = route.path.split('/')[1];
  const kind = route.method === 'GET' ? 'read' : 'write';
  const name =
    resource === 'impersonation-sessions'
      ? 'impersonation'
      : resource === 'audit-log'
        ? 'audit'
        : (resource ?? 'tickets');
  return `${name}:${kind}` as PlatformScope;
}

export function forbidden(scope: PlatformScope, granted: readonly string[]): SandboxResponse {
  return platformError(
    403,
    'forbidden',
    `this token lacks the scope ${scope} (it has: ${granted.length > 0 ? granted.join(' ') : 'none'})`,
  );
}
