/**
 * Anti-rollback: the order in which handovers may run comes from the history, and a handover merged before
 * a newer one that finished is never executed by itself — running it would hand duties back to whoever the
 * newer handover took them from. Pure: the caller has assessed every candidate (oldest first).
 */
import { shortSha } from '../../format.js';
import { type Candidate, STALE_AFTER_DAYS } from './candidates.js';

const DAY = 24 * 3600_000;

/** The newest candidate whose authentic ledger record says it finished with `done`, or -1. */
export function ledgerFloor(candidates: readonly Candidate[]): number {
  for (let i = candidates.length - 1; i >= 0; i -= 1) {
    const s = candidates[i]!.status;
    if (s.kind === 'finished' && s.record.outcome === 'done') return i;
  }
  return -1;
}

export const MANUAL_RUN_HINT =
  'to execute it anyway, run the handover-apply workflow by hand with manifest set to its path and confirm set to the same path (docs/adoption.md, "Running an older handover deliberately")';

/**
 * Holds what must not run by itself: every ready (or already held) candidate older than the ledger's floor,
 * and ready candidates that landed more than STALE_AFTER_DAYS ago. Returns new candidates; the rest are
 * unchanged.
 */
export function holdOutOfOrder(candidates: readonly Candidate[], now: Date): Candidate[] {
  const floor = ledgerFloor(candidates);
  const newer = floor >= 0 ? candidates[floor]! : null;
  return candidates.map((candidate, index) => {
    const s = candidate.status;
    if (s.kind !== 'ready' && s.kind !== 'held') return candidate;
    const problems = s.kind === 'held' ? [...s.problems] : [];
    if (newer && index < floor) {
      const pull = newer.status.pull ? ` (pull request #${newer.status.pull.number})` : '';
      problems.push(
        `it was merged before ${newer.path}${pull}, a newer handover that has finished: executing it now would undo that one, so it is not run by itself; ${MANUAL_RUN_HINT}`,
      );
    } else if (s.kind === 'ready') {
      const landed = Date.parse(candidate.landedAt);
      if (Number.isFinite(landed) && now.getTime() - landed > STALE_AFTER_DAYS * DAY)
        problems.push(
          `it was merged (commit ${shortSha(candidate.commit)}) more than ${STALE_AFTER_DAYS} days ago and never finished: the rota has likely moved on, so it is not run by itself; ${MANUAL_RUN_HINT}`,
        );
    }
    if (problems.length === 0) return candidate;
    return { ...candidate, status: { kind: 'held', pull: s.pull, problems } };
  });
}
