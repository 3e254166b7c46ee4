/**
 * The overall deadline of a run (`apply --deadline`, the action's `deadline` input): well inside the
 * workflow's timeout-minutes, so that a run that cannot finish ends on its own terms, journal written,
 * rather than being killed by the runner. Once it has passed, no new service call starts and no retry
 * waits: each fails at once with DeadlinePassedError, which the steps record as a failed action. A call
 * already in flight ends within its own per-request timeout.
 */
import { monotonicMs } from '../clock.js';

/** The default: 10 minutes, a third of the apply workflow's timeout-minutes (30). */
export const DEFAULT_DEADLINE_SECONDS = 600;

export class DeadlinePassedError extends Error {
  override readonly name = 'DeadlinePassedError';
  constructor(seconds: number) {
    super(`the run's deadline (${seconds} s) has passed: nothing more is started; re-run to finish`);
  }
}

export class RunDeadline {
  private readonly endsAt: number;

  constructor(
    readonly seconds: number,
    private readonly clock: () => number = monotonicMs,
  ) {
    this.endsAt = clock() + seconds * 1000;
  }

  passed(): boolean {
    return this.clock() >= this.endsAt;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.clock());
  }

  error(): DeadlinePassedError {
    return new DeadlinePassedError(this.seconds);
  }

  /** A retry's sleep that refuses to wait past the deadline. */
  guardSleep(sleep: (ms: number) => Promise<void>): (ms: number) => Promise<void> {
    return async (ms) => {
      if (ms >= this.remainingMs()) throw this.error();
      await sleep(ms);
    };
  }

  /** The same object, whose every method refuses to start once the deadline has passed. */
  gate<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.passed()) return Promise.reject(this.error());
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  }
}

/** Parses `--deadline SECONDS` / the `deadline` input: a whole number of seconds, at least 1. */
export function parseDeadlineSeconds(text: string): number | null {
  if (!/^[1-9][0-9]{0,6}$/.test(text.trim())) return null;
  return Number(text.trim());
}
