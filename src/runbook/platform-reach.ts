import type { Handover } from '../manifest/types.js';
import { type PlatformProvider, ProviderError } from '../providers/types.js';

/**
 * The platform token's reach: may `PLATFORM_TOKEN` make every platform call apply plans? The platform API
 * names a token's scopes in the `X-Token-Scopes` header of its answers (schemas/platform-api.openapi.yaml,
 * "Token scopes"; docs/design.md#the-platform-tokens-reach), so one documented read (GET /tickets?limit=1)
 * tells, and nothing is written to find out. A platform that does not scope its tokens leaves the header
 * out: then nothing can be told in advance, and a refused call fails its step as any 403 does.
 */

/** What each scope is for, in the words the fix uses. */
const PURPOSE: Record<string, string> = {
  'tickets:read': 'read tickets (to find them, and to verify that none is stranded)',
  'tickets:write': 'reassign tickets, label them and link engineering issues',
  'impersonation:read': "find the outgoing admin's open impersonation sessions",
  'impersonation:write': 'end impersonation sessions before their tickets move',
  'rollouts:read': 'read rollouts in flight',
  'rollouts:write': 'annotate rollouts and make the incoming admin their annotation owner',
  'audit:read': 'read the audit log (the offboarding audit of a departure)',
};

/** The scopes apply uses for this handover; with no handover, every scope any handover may use. */
export function platformScopesNeeded(handover: Handover | null): string[] {
  if (handover === null) return Object.keys(PURPOSE);
  const compromised = handover.emergency?.cause === 'compromised';
  const sessions = compromised || handover.tickets.length > 0;
  return [
    'tickets:read', // verify reads the outgoing admin's pinned tickets in every handover
    ...(handover.tickets.length > 0 ? ['tickets:write'] : []),
    ...(sessions ? ['impersonation:read', 'impersonation:write'] : []),
    ...(handover.rollouts.length > 0 ? ['rollouts:read', 'rollouts:write'] : []),
    ...(handover.reason === 'departure' ? ['audit:read'] : []),
  ];
}

export interface PlatformReach {
  /** The token's scopes, or null when the API does not name them. */
  granted: string[] | null;
  /** The needed scopes the token lacks (empty when it has them all, or when `granted` is null). */
  missing: string[];
}

export async function platformReach(
  platform: PlatformProvider,
  needed: readonly string[],
): Promise<PlatformReach> {
  let granted: string[] | null;
  try {
    granted = await platform.tokenScopes();
  } catch (error) {
    // The probe itself is a ticket read: a token refused it lacks tickets:read at least.
    if (error instanceof ProviderError && error.status === 403)
      return {
        granted: [],
        missing: needed.includes('tickets:read') ? [...needed] : ['tickets:read', ...needed],
      };
    // The platform failing (after retries) tells nothing about the token: as if the API did not say. The
    // reachability read has already found it answering; its calls will fail their steps if it still fails.
    if (error instanceof ProviderError) return { granted: null, missing: [] };
    throw error;
  }
  if (granted === null) return { granted: null, missing: [] };
  return { granted, missing: needed.filter((scope) => !granted.includes(scope)) };
}

/** Whether a token may write nothing at all: the read-only token plan is given (docs/adoption.md). */
export function isReadOnly(granted: readonly string[]): boolean {
  return !granted.some((scope) => scope.endsWith(':write'));
}

export function purposeOf(scope: string): string {
  return PURPOSE[scope] ?? scope;
}
