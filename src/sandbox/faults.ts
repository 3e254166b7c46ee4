import { monotonicMs } from '../clock.js';
import type { ServiceName } from '../providers/types.js';
import { type HoldEnd, StandStill } from './stand-still.js';
import type { FaultSettings, HeldMutation, ServiceFaults } from './types.js';

export type { HoldEnd } from './stand-still.js';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'server-error' }
  | { kind: 'echo-credentials' }
  | { kind: 'fail-before' }
  | { kind: 'fail-after' }
  | { kind: 'hold-before' }
  | { kind: 'hold-after' };

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
 * Bookkeeping only: the server applies the decision (and waits out a stand-still).
 */
export class FaultController {
  private settings: FaultSettings = {};
  private random = seededRandom(1);
  private mutationsSinceSet = 0;
  private readonly standStill = new StandStill();
  private drops = 0;
  /** Per service and token: start of the current window and requests counted in it. */
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    initial: FaultSettings = {},
    private readonly nowMs: () => number = monotonicMs,
  ) {
    this.set(initial);
  }

  /**
   * Replaces every setting (and restarts the mutation count and rate windows). A held mutation is
   * released: the settings that held it are gone.
   */
  set(settings: FaultSettings): void {
    this.standStill.finish('answer');
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
    if (faults.echoCredentialsNext && faults.echoCredentialsNext > 0) {
      faults.echoCredentialsNext -= 1;
      return { kind: 'echo-credentials' };
    }
    if (faults.errorRate && this.random() < faults.errorRate) return { kind: 'server-error' };
    if (mutation) {
      this.mutationsSinceSet += 1;
      if (this.settings.failMutation && this.mutationsSinceSet === this.settings.failMutation.nth) {
        return { kind: this.settings.failMutation.mode === 'after' ? 'fail-after' : 'fail-before' };
      }
      const hold = this.settings.holdMutation;
      if (hold && this.mutationsSinceSet === hold.nth) {
        // From this moment nothing else may be decided: the server joins the stand-still before deciding.
        this.standStill.begin();
        return { kind: hold.mode === 'after' ? 'hold-after' : 'hold-before' };
      }
    }
    return { kind: 'none' };
  }

  /**
   * Null when requests may go on; while a mutation is held, counts the caller among the requests that
   * wait and returns how the stand-still will end. The server asks before every decision and waits, so
   * no request is decided (or changes anything) meanwhile.
   */
  joinStandStill(): Promise<HoldEnd> | null {
    return this.standStill.join();
  }

  /**
   * Called by the server once the held request is recorded (and in `after` mode applied): tells
   * `whenHeld()` and returns how the stand-still ends.
   */
  announceHeld(request: Pick<HeldMutation, 'service' | 'method' | 'path'>): Promise<HoldEnd> {
    const hold = this.settings.holdMutation;
    const ended = this.standStill.current;
    if (!hold || !ended) return Promise.resolve('answer');
    this.standStill.announce({ ...request, nth: hold.nth, mode: hold.mode });
    return ended;
  }

  /** The held mutation, or null. */
  get held(): HeldMutation | null {
    return this.standStill.held;
  }

  /** Resolves once a mutation is held and the world stands still (at once if one is held now). */
  whenHeld(): Promise<HeldMutation> {
    return this.standStill.whenHeld();
  }

  /**
   * Resolves once `count` requests wait behind the held one: a test's way to know that a request it
   * sent during the stand-still has arrived, without sleeping.
   */
  whenWaiting(count: number): Promise<void> {
    return this.standStill.whenWaiting(count);
  }

  /** Ends the stand-still: the held request is answered and the requests behind it go on. */
  release(): void {
    this.standStill.finish('answer');
  }

  /**
   * Ends the stand-still as if its client had died: the held request and every request waiting behind
   * it are never answered nor applied, and the server closes every open connection, so nothing the
   * dead client had already sent is read afterwards. (A connection still in the kernel's accept queue
   * is beyond the server's reach; a client killed at the stand-still has rarely opened one.)
   */
  drop(): void {
    if (this.standStill.finish('drop')) this.drops += 1;
  }

  /**
   * How many stand-stills were dropped so far. A request that arrived before a drop came from the
   * dropped client (its connection was closed) even if it was still on its way, e.g. sleeping out
   * `latencyMs`: the server compares this count to abandon it too.
   */
  get dropCount(): number {
    return this.drops;
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
    } else if (key === 'failMutation' || key === 'holdMutation') {
      if (!isMutationPoint(entry))
        return fail(`${key} must be {"nth": N (1 or more), "mode": "before" | "after"}`);
    } else if (key === 'seed') {
      if (!Number.isSafeInteger(entry)) return fail('seed must be a whole number');
    } else {
      return fail(
        `unknown fault setting '${key}' (allowed: ${[...SERVICES, 'failMutation', 'holdMutation', 'seed'].join(', ')})`,
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
      case 'echoCredentialsNext':
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
        return `unknown fault '${where}' (allowed: latencyMs, rateLimit, errorRate, rateLimitNext, serverErrorNext, echoCredentialsNext)`;
    }
  }
  return null;
}

function isMutationPoint(value: unknown): boolean {
  return (
    isRecord(value) &&
    isWhole(value.nth, 1) &&
    (value.mode === 'before' || value.mode === 'after') &&
    Object.keys(value).every((k) => k === 'nth' || k === 'mode')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWhole(value: unknown, min: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min;
}
