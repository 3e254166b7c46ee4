import { bulkRefusals } from '../../providers/pagerduty.js';
import { backoffDelay, isRetryable } from '../../providers/retry.js';
import { ProviderError } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import { classify, type StepRun } from '../runtime/step-run.js';

/** Tries of one bulk write at this level, as StepRun.perform allows a single write. */
const BULK_ATTEMPTS = 3;

/** One write applied to many incidents in one request (PagerDuty's PUT /incidents). */
export interface BulkEffect {
  action: string;
  /** The detail once done, e.g. `reassigned to bob`. */
  done: string;
  /** The dry-run detail, completing "would …". */
  would: string;
  /** The incidents this batch changes (at most 250). */
  ids: readonly string[];
  write: (ids: readonly string[]) => Promise<unknown>;
  /** Reads back whether the write landed on every one of `ids`, after an answer that leaves it unknown. */
  landed: (ids: readonly string[]) => Promise<boolean>;
}

export type BulkOutcome = 'done' | 'skipped' | 'failed';

export const incidentTarget = (id: string) => `incident ${logValue(id)}`;

/**
 * StepRun.perform for a batch: each incident gets its own journal line, as if written on its own.
 * PagerDuty applies a bulk update to all or none; when it refuses some incidents by id, those fail
 * with its reason and the rest are sent again at once, so one incident resolved in the meantime does
 * not hold back the others. Retries what may clear, reading back after an answer that leaves the
 * outcome unknown so a batch is never sent again once it has landed.
 */
export async function performBulk(run: StepRun, effect: BulkEffect): Promise<Map<string, BulkOutcome>> {
  const outcomes = new Map<string, BulkOutcome>();
  if (effect.ids.length === 0) return outcomes;
  const settle = (ids: readonly string[], outcome: BulkOutcome, record: (target: string) => void) => {
    for (const id of ids) {
      outcomes.set(id, outcome);
      record(incidentTarget(id));
    }
  };
  const batch = effect.ids.length > 1 ? ` (one request for ${effect.ids.length} incidents)` : '';
  if (run.ctx.dryRun) {
    settle(effect.ids, 'skipped', (t) =>
      run.record(t, effect.action, 'skipped', `dry run: would ${effect.would}`),
    );
    return outcomes;
  }
  const policy = run.ctx.retry;
  const attempts = Math.min(policy.maxAttempts, BULK_ATTEMPTS);
  let pending = [...effect.ids];
  for (let attempt = 1; ; attempt += 1) {
    try {
      await effect.write(pending);
      settle(pending, 'done', (t) => run.record(t, effect.action, 'done', `${effect.done}${batch}`));
      return outcomes;
    } catch (error) {
      const refused = error instanceof ProviderError ? bulkRefusals(error) : new Map<string, string>();
      const named = pending.filter((id) => refused.has(id));
      if (named.length > 0) {
        for (const id of named) {
          outcomes.set(id, 'failed');
          run.failure(
            incidentTarget(id),
            effect.action,
            `PagerDuty refused it: ${logValue(refused.get(id) ?? '')}`,
          );
        }
        pending = pending.filter((id) => !refused.has(id));
        if (pending.length === 0) return outcomes;
        attempt -= 1; // nothing was changed: the rest is sent again as a fresh request
        continue;
      }
      const retryable = error instanceof ProviderError && isRetryable(error);
      if (!retryable || attempt >= attempts) {
        const { kind, message } = classify(error);
        settle(pending, 'failed', (t) => run.record(t, effect.action, 'failed', message, { failure: kind }));
        return outcomes;
      }
      // A 429 was refused before anything happened; anything else may have landed.
      if ((error as ProviderError).kind !== 'rate-limited') {
        try {
          if (await effect.landed(pending)) {
            const why = `confirmed by reading back after ${logValue((error as ProviderError).message)}`;
            settle(pending, 'done', (t) => run.record(t, effect.action, 'done', `${effect.done} (${why})`));
            return outcomes;
          }
        } catch (readError) {
          const { kind, message } = classify(readError);
          settle(pending, 'failed', (t) =>
            run.record(t, effect.action, 'failed', `could not read back after an error: ${message}`, {
              failure: kind,
            }),
          );
          return outcomes;
        }
      }
      await policy.sleep(backoffDelay(policy, attempt));
    }
  }
}
