import { isSessionNotOpen } from '../../providers/platform/errors.js';
import type { ImpersonationSession, ProviderError } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { EffectOutcome, StepRun } from '../runtime/step-run.js';

/** 409 session_not_open: somebody (or an earlier run whose answer was lost) ended it already. */
function sessionAlreadyEnded(error: ProviderError): string | null {
  return isSessionNotOpen(error) ? 'the session was already ended (409 session_not_open)' : null;
}

/**
 * The outgoing admin's sessions as read once at the start of step 3, and the one place that ends them.
 * Each session is ended at most once per run, whoever asks (its listed ticket, the ticket it was opened
 * on, the compromised sweep), and is then remembered for step 6's audit check.
 */
export class OutgoingSessions {
  private readonly ending = new Map<string, Promise<EffectOutcome>>();
  private readonly remembered = new Set<string>();

  constructor(
    private readonly run: StepRun,
    /** The list as read, or why it could not be read. */
    readonly read: ImpersonationSession[] | Error,
  ) {}

  /** Ends `session` (once), recording `why`; the outcome of the first request is shared. */
  end(session: ImpersonationSession, why: string): Promise<EffectOutcome> {
    const pending = this.ending.get(session.id);
    if (pending) return pending;
    const started = this.endOnce(session, why);
    this.ending.set(session.id, started);
    return started;
  }

  /** A session found already ended still belongs in the audit trail this handover checks. */
  foundEnded(session: ImpersonationSession): void {
    this.remember(session.id);
  }

  private async endOnce(session: ImpersonationSession, why: string): Promise<EffectOutcome> {
    const { ctx } = this.run;
    const outcome = await this.run.perform({
      target: `session ${logValue(session.id)}`,
      action: 'end impersonation session',
      done: `ended ${ctx.outgoing.handle}'s session (${why})`,
      would: `end ${ctx.outgoing.handle}'s session (${why})`,
      write: () => ctx.write.platform.endImpersonationSession(session.id),
      landed: async () => {
        const now = await ctx.read.platform.listImpersonationSessions({ admin: ctx.outgoing.tracker });
        return now.some((s) => s.id === session.id && s.status === 'ended');
      },
      alreadyDone: sessionAlreadyEnded,
    });
    if (outcome !== 'failed') this.remember(session.id);
    return outcome;
  }

  private remember(id: string): void {
    if (this.remembered.has(id)) return;
    this.remembered.add(id);
    this.run.ctx.results.endedSessions.push(id);
  }
}
