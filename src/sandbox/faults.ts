import type { ServiceName } from '../providers/types.js';
import type { FaultSettings, ServiceFaults } from './types.js';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'server-error' }
  | { kind: 'fail-before' }
  | { kind: 'fail-after' };

/** A small deterministic generator (mulberry32) so that `errorRate` faults repeat run after run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides, per request, whether the sandbox answers normally or injects a fault.
 * Pure bookkeeping: the server applies the decision.
 */
export class FaultController {
  private settings: FaultSettings = {};
  private random = seededRandom(1);
  private mutationsSinceSet = 0;
  /** Per service and token: start of the current window and requests counted in it. */
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    initial: FaultSettings = {},
    private readonly nowMs: () => number = () => Date.now(),
  ) {
    this.set(initial);
  }

  /** Replaces every setting (and restarts the mutation count and rate windows). */
  set(settings: FaultSettings): void {
    this.settings = structuredClone(settings);
    this.random = seededRandom(settings.seed ?? 1);
    this.mutationsSinceSet = 0;
    this.windows.clear();
  }

  get current(): FaultSettings {
    return structuredClone(this.settings);
  }

  latencyMs(service: ServiceName): number {
    return this.settings[service]?.latencyMs ?? 0;
  }

  decide(service: ServiceName, token: string, mutation: boolean): FaultDecision {
    const faults: ServiceFaults = this.settings[service] ?? {};
    if (faults.rateLimitNext && faults.rateLimitNext > 0) {
      faults.rateLimitNext -= 1;
      return { kind: 'rate-limited', retryAfterSeconds: 1 };
    }
    if (faults.rateLimit) {
      const key = `${service}\u0000${token}`;
      const now = this.nowMs();
      let window = this.windows.get(key);
      if (!window || now - window.start >= faults.rateLimit.windowMs) {
        window = { start: now, count: 0 };
        this.windows.set(key, window);
      }
      if (window.count >= faults.rateLimit.requests) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((window.start + faults.rateLimit.windowMs - now) / 1000),
        );
        return { kind: 'rate-limited', retryAfterSeconds };
      }
      window.count += 1;
    }
    if (faults.serverErrorNext && faults.serverErrorNext > 0) {
      faults.serverErrorNext -= 1;
      return { kind: 'server-error' };
    }
    if (faults.errorRate && this.random() < faults.errorRate) return { kind: 'server-error' };
    if (mutation) {
      this.mutationsSinceSet += 1;
      if (this.settings.failMutation && this.mutationsSinceSet === this.settings.failMutation.nth) {
        return { kind: this.settings.failMutation.mode === 'after' ? 'fail-after' : 'fail-before' };
      }
    }
    return { kind: 'none' };
  }

  /** Mutating requests that reached an emulator since the settings were last replaced. */
  get mutationCount(): number {
    return this.mutationsSinceSet;
  }
}
