import { errorMessage } from '../../format.js';
import { formatActionLine } from '../../journal/render-text.js';
import type { ActionOutcome, FailureKind, StepName } from '../../journal/types.js';
import { backoffDelay, isRetryable } from '../../providers/retry.js';
import { ProviderError } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { ApplyContext } from './context.js';

/**
 * Tries of one effect at this level. The providers already retry 429s (after Retry-After) and 5xx on
 * writes that are safe to repeat; what reaches `perform` has outlasted those, or is a write the provider
 * would not repeat blind. One read-back and a couple more tries are then worth it; more would only
 * multiply the providers' own attempts.
 */
const PERFORM_ATTEMPTS = 3;

/** One side effect, described so that it can be done, dry-run, retried and confirmed. */
export interface Effect {
  target: string;
  action: string;
  /** The detail once done, e.g. `reassigned to bob`. */
  done: string;
  /** The dry-run detail, completing "would …", e.g. `reassign to bob`. */
  would: string;
  write: () => Promise<unknown>;
  /**
   * Reads back whether the write landed. Asked only after an answer that leaves it unknown (a 5xx, a
   * timeout, a dropped connection): the service may have applied the change before it failed.
   */
  landed?: () => Promise<boolean>;
  /** An error that means the effect is already in place (e.g. 409 session_not_open on ending a session). */
  alreadyDone?: (error: ProviderError) => string | null;
}

export type EffectOutcome = Extract<ActionOutcome, 'done' | 'already-done' | 'skipped' | 'failed'>;

/**
 * A step's handle on the run: it records actions (journal + log line) and performs side effects.
 * Every side effect goes through `perform`, which is where dry runs stop and retries happen.
 */
export class StepRun {
  constructor(
    readonly ctx: ApplyContext,
    readonly step: StepName,
  ) {}

  record(
    target: string,
    action: string,
    outcome: ActionOutcome,
    detail: string,
    options: { failure?: FailureKind; warn?: boolean } = {},
  ): ActionOutcome {
    const recorded = this.ctx.journal.record({
      step: this.step,
      target,
      action,
      outcome,
      detail,
      failure: options.failure,
    });
    this.ctx.logs.countAction(this.step);
    const line = formatActionLine(recorded);
    if (outcome === 'failed') {
      this.ctx.results.failedSteps.add(this.step);
      this.ctx.logs.error(this.step, line);
    } else if (options.warn) {
      this.ctx.logs.warning(this.step, line);
    } else {
      this.ctx.logs.info(this.step, line);
    }
    return outcome;
  }

  /** An item left alone for a reason a human should see (resolved, closed, finished). */
  skipWithWarning(target: string, action: string, detail: string): ActionOutcome {
    return this.record(target, action, 'skipped', detail, { warn: true });
  }

  /** A precondition or input that is not met: the user's to fix. */
  failure(target: string, action: string, detail: string): ActionOutcome {
    return this.record(target, action, 'failed', detail, { failure: 'failure' });
  }

  /** A line of context that is not an action (e.g. why nothing needs doing). */
  info(line: string): void {
    this.ctx.logs.info(this.step, line);
  }

  warn(line: string): void {
    this.ctx.logs.warning(this.step, line);
  }

  /** Records an action that failed on an exception, telling a user mistake from a broken service. */
  fail(target: string, action: string, error: unknown, context = ''): EffectOutcome {
    const { kind, message } = classify(error);
    this.record(target, action, 'failed', context ? `${context}: ${message}` : message, { failure: kind });
    return 'failed';
  }

  /**
   * Performs one side effect the caller has already found missing (read before write). Retries what
   * may clear (429, 5xx, timeouts), reading back after any answer that leaves the outcome unknown so a
   * write is never repeated once it has landed.
   */
  async perform(effect: Effect): Promise<EffectOutcome> {
    if (this.ctx.dryRun) {
      this.record(effect.target, effect.action, 'skipped', `dry run: would ${effect.would}`);
      return 'skipped';
    }
    const policy = this.ctx.retry;
    const attempts = Math.min(policy.maxAttempts, PERFORM_ATTEMPTS);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await effect.write();
        this.record(effect.target, effect.action, 'done', effect.done);
        return 'done';
      } catch (error) {
        if (error instanceof ProviderError) {
          const already = effect.alreadyDone?.(error);
          if (already) {
            this.record(effect.target, effect.action, 'already-done', already);
            return 'already-done';
          }
        }
        const retryable = error instanceof ProviderError && isRetryable(error);
        if (!retryable || attempt >= attempts) return this.fail(effect.target, effect.action, error);
        // A 429 was refused before anything happened; anything else may have landed.
        if ((error as ProviderError).kind !== 'rate-limited' && effect.landed) {
          try {
            if (await effect.landed()) {
              this.record(
                effect.target,
                effect.action,
                'done',
                `${effect.done} (confirmed by reading back after ${logValue((error as ProviderError).message)})`,
              );
              return 'done';
            }
          } catch (readError) {
            return this.fail(effect.target, effect.action, readError, 'could not read back after an error');
          }
        }
        await policy.sleep(backoffDelay(policy, attempt));
      }
    }
  }
}

/** A ProviderError of a kind that cannot clear by waiting is the user's to fix; the rest is a breakage. */
export function classify(error: unknown): { kind: FailureKind; message: string } {
  if (error instanceof ProviderError) {
    const kind: FailureKind =
      error.kind === 'not-found' || error.kind === 'invalid' || error.kind === 'auth' ? 'failure' : 'error';
    return { kind, message: error.message };
  }
  return { kind: 'error', message: `unexpected: ${errorMessage(error)}` };
}
