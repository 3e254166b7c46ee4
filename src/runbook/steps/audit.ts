import type { ImpersonationSession } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import type { StepRun } from '../runtime/step-run.js';

export const IMPERSONATION_ENDED = 'platform.impersonation_ended';
/** Audit pipelines lag a little behind the session service; the search starts this much earlier. */
const AUDIT_MARGIN_MS = 60 * 60_000;

/**
 * Step 6 (reason `departure`, and emergency cause `compromised`): the platform audit log must show
 * `platform.impersonation_ended`, with the outgoing admin as actor, for every session this handover
 * ended or found ended — the listed ones, and any other found on a ticket it moved (step 3 ends those
 * too) — otherwise the run fails, because offboarding relies on that trail. Sessions still open are
 * named as a warning: the access revocation will end them, but less cleanly.
 */
export async function auditCheck(run: StepRun): Promise<void> {
  const { ctx } = run;
  const { outgoing } = ctx;
  const sessionIds = [...new Set(ctx.results.endedSessions)];
  const target = `admin ${logValue(outgoing.tracker)}`;

  if (ctx.dryRun) {
    run.record(
      target,
      'audit',
      'skipped',
      `dry run: would check the audit log for ${IMPERSONATION_ENDED} of ${sessionIds.length} session(s)`,
    );
    return;
  }

  let sessions: ImpersonationSession[];
  try {
    sessions = await ctx.read.platform.listImpersonationSessions({ admin: outgoing.tracker });
  } catch (error) {
    run.fail(target, 'audit', error, 'could not list the sessions');
    return;
  }
  const stillOpen = sessions.filter((s) => s.status === 'open' && s.admin === outgoing.tracker);
  if (stillOpen.length > 0) {
    run.warn(
      `${outgoing.handle} still has ${stillOpen.length} open impersonation session(s) this handover did not end: ${stillOpen.map((s) => logValue(s.id)).join(', ')}; revoking access ends them, but closing them cleanly is better`,
    );
  }
  if (sessionIds.length === 0) {
    run.record(
      target,
      'audit',
      'skipped',
      'no impersonation session was ended by this handover: nothing to check',
    );
    return;
  }

  const endedAt = sessions
    .filter((s) => sessionIds.includes(s.id) && s.endedAt)
    .map((s) => Date.parse(s.endedAt ?? ''))
    .filter((t) => Number.isFinite(t));
  const since = new Date(
    (endedAt.length > 0 ? Math.min(...endedAt) : ctx.startedAt.getTime()) - AUDIT_MARGIN_MS,
  ).toISOString();

  let events: Awaited<ReturnType<typeof ctx.read.platform.listAuditEvents>>;
  try {
    events = await ctx.read.platform.listAuditEvents({
      action: IMPERSONATION_ENDED,
      actor: outgoing.tracker,
      since,
    });
  } catch (error) {
    run.fail(target, 'audit', error, 'could not read the audit log');
    return;
  }
  for (const id of sessionIds) {
    const event = events.find(
      (e) => e.action === IMPERSONATION_ENDED && e.actor === outgoing.tracker && e.target === id,
    );
    const sessionTarget = `session ${logValue(id)}`;
    if (event) {
      run.record(sessionTarget, 'audit', 'done', `the audit log shows ${IMPERSONATION_ENDED} at ${event.at}`);
    } else {
      run.failure(
        sessionTarget,
        'audit',
        `the audit log shows no ${IMPERSONATION_ENDED} by ${outgoing.tracker} for this session since ${since}: check the platform's audit trail before revoking ${outgoing.handle}'s access`,
      );
    }
  }
}

/** What plan shows for step 6 (reason `departure`): the audit check. */
export function planAudit({ handover }: PlanInput): PlannedItem[] {
  if (handover.reason !== 'departure') return [];
  return [
    {
      section: 'audit',
      target: IMPERSONATION_ENDED,
      actions: [`check the audit log shows ${IMPERSONATION_ENDED} for every session ended above`],
      skipped: null,
    },
  ];
}
