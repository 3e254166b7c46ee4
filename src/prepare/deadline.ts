/**
 * The acknowledgement's deadline, decided from times and what was already done. Pure.
 *
 * - approved → nothing to chase;
 * - at or after change + escalateAfter, not yet escalated → escalate (once);
 * - from change − remindBefore until then, not yet reminded → remind (once);
 * - otherwise → wait.
 */
export type DeadlineDecision = 'acknowledged' | 'wait' | 'remind' | 'escalate';

export interface DeadlineInput {
  /** Epoch ms of the shift change. */
  change: number;
  now: number;
  approved: boolean;
  remindBeforeMs: number;
  escalateAfterMs: number;
  reminded: boolean;
  escalated: boolean;
}

export function decideDeadline(input: DeadlineInput): DeadlineDecision {
  if (input.approved) return 'acknowledged';
  if (input.now >= input.change + input.escalateAfterMs) return input.escalated ? 'wait' : 'escalate';
  if (input.now >= input.change - input.remindBeforeMs && !input.reminded && !input.escalated)
    return 'remind';
  return 'wait';
}
