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

const SERVICES: readonly ServiceName[] = ['pagerduty', 'slack', 'github', 'platform'];

/**
 * Checks fault settings that arrive as JSON (`--faults`, `PUT /_sandbox/faults`): a misspelt key or a
 * string where a number belongs would otherwise inject no fault at all, and a test would pass for the
 * wrong reason. Returns the settings, or the sentence that says what to write instead.
 */
export function parseFaultSettings(
  value: unknown,
): { ok: true; value: FaultSettings } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message });
  if (!isRecord(value))
    return fail('fault settings must be a JSON object, e.g. {"platform": {"rateLimitNext": 1}}');
  for (const [key, entry] of Object.entries(value)) {
    if (SERVICES.includes(key as ServiceName)) {
      const problem = serviceFaultsProblem(key, entry);
      if (problem) return fail(problem);
    } else if (key === 'failMutation') {
      if (
        !isRecord(entry) ||
        !isWhole(entry.nth, 1) ||
        (entry.mode !== 'before' && entry.mode !== 'after') ||
        Object.keys(entry).some((k) => k !== 'nth' && k !== 'mode')
      ) {
        return fail('failMutation must be {"nth": N (1 or more), "mode": "before" | "after"}');
      }
    } else if (key === 'seed') {
      if (!Number.isSafeInteger(entry)) return fail('seed must be a whole number');
    } else {
      return fail(
        `unknown fault setting '${key}' (allowed: ${[...SERVICES, 'failMutation', 'seed'].join(', ')})`,
      );
    }
  }
  return { ok: true, value: value as FaultSettings };
}

function serviceFaultsProblem(service: string, faults: unknown): string | null {
  if (!isRecord(faults)) return `${service} must be an object of faults`;
  for (const [key, value] of Object.entries(faults)) {
    const where = `${service}.${key}`;
    switch (key) {
      case 'latencyMs':
        if (!isWhole(value, 0) || value > 60_000)
          return `${where} must be whole milliseconds from 0 to 60000`;
        break;
      case 'rateLimitNext':
      case 'serverErrorNext':
        if (!isWhole(value, 0)) return `${where} must be a whole number, 0 or more`;
        break;
      case 'errorRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1))
          return `${where} must be a fraction from 0 to 1`;
        break;
      case 'rateLimit':
        if (
          !isRecord(value) ||
          !isWhole(value.requests, 1) ||
          !isWhole(value.windowMs, 1) ||
          Object.keys(value).some((k) => k !== 'requests' && k !== 'windowMs')
        ) {
          return `${where} must be {"requests": N, "windowMs": MS}, both 1 or more`;
        }
        break;
      default:
        return `unknown fault '${where}' (allowed: latencyMs, rateLimit, errorRate, rateLimitNext, serverErrorNext)`;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWhole(value: unknown, min: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min;
}
