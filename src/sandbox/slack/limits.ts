import type { SandboxResponse } from '../types.js';
import { rateLimited } from './errors.js';
import type { SlackArgs } from './wire.js';

export interface SlackLimitSettings {
  /** Non-Marketplace tier for conversations.history/replies: 1 call a minute each, pages of ≤ 15. */
  nonMarketplaceTier: boolean;
  /** Injected server errors come as 5xx from Slack's edge rather than HTTP 200 `internal_error`. */
  edgeFailures: boolean;
}

const LIMITED_METHODS = new Set(['conversations.history', 'conversations.replies']);
/** Slack's cap for those methods: `limit` above it is served as 15. */
export const NON_MARKETPLACE_PAGE_CAP = 15;
const WINDOW_MS = 60_000;

/** Per-method rate tiers and page caps, on the sandbox clock. */
export class SlackLimits implements SlackLimitSettings {
  nonMarketplaceTier = false;
  edgeFailures = false;
  private readonly lastCall = new Map<string, number>();

  configure(settings: Partial<SlackLimitSettings>): void {
    if (settings.nonMarketplaceTier !== undefined) this.nonMarketplaceTier = settings.nonMarketplaceTier;
    if (settings.edgeFailures !== undefined) this.edgeFailures = settings.edgeFailures;
    this.lastCall.clear();
  }

  /** A 429 when the method's tier is spent; otherwise caps the page size and counts the call. */
  check(method: string, args: SlackArgs, now: Date): SandboxResponse | null {
    if (!this.nonMarketplaceTier || !LIMITED_METHODS.has(method)) return null;
    const at = now.getTime();
    const last = this.lastCall.get(method);
    if (last !== undefined && at - last < WINDOW_MS) {
      return rateLimited(Math.max(1, Math.ceil((last + WINDOW_MS - at) / 1000)));
    }
    this.lastCall.set(method, at);
    args.capInteger('limit', NON_MARKETPLACE_PAGE_CAP);
    return null;
  }
}
