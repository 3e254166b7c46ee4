import { mapConcurrent } from '../apply/concurrency.js';
import type { ItemResult } from '../apply/context.js';
import type { StepRun } from '../apply/step-run.js';
import type { HandoverTicket } from '../manifest/types.js';
import { isSessionNotOpen } from '../providers/platform/errors.js';
import { type ImpersonationSession, ProviderError, type Ticket } from '../providers/types.js';
import { logValue } from '../render/escape.js';

export const WAITING_ON_CUSTOMER_LABEL = 'waiting_on_customer';

/** `owner/repo#N` → the issue's GitHub URL; a URL stays as it is. */
export function engineeringIssueUrl(reference: string): string {
  const short = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#(\d+)$/.exec(reference.trim());
  return short ? `https://github.com/${short[1]}/${short[2]}/issues/${short[3]}` : reference.trim();
}

/** 409 session_not_open: somebody (or an earlier run whose answer was lost) ended it already. */
function sessionAlreadyEnded(error: ProviderError): string | null {
  return isSessionNotOpen(error) ? 'the session was already ended (409 session_not_open)' : null;
}

/**
 * Step 3: per pinned ticket, strictly in this order — end the listed impersonation session (tokens are
 * per-human: a session that is not the outgoing admin's is refused, never transferred), reassign to
 * the incoming admin's tracker handle, then label `waiting_on_customer` (keeping the other labels) or
 * link the engineering issue. With emergency cause `compromised`, every open session of the outgoing
 * admin is ended, not only the listed ones.
 */
export async function handOverTickets(run: StepRun): Promise<void> {
  const { ctx } = run;
  const { handover, outgoing } = ctx;
  const compromised = handover.emergency?.cause === 'compromised';
  const needsSessions = compromised || handover.tickets.some((t) => t.impersonationSession !== undefined);

  let sessions: ImpersonationSession[] | Error = [];
  if (needsSessions) {
    try {
      sessions = await ctx.read.platform.listImpersonationSessions({ admin: outgoing.tracker });
    } catch (error) {
      sessions = error as Error;
    }
  }

  if (compromised) await endEverySession(run, sessions);
  if (handover.tickets.length === 0) {
    run.info('no pinned tickets in this handover');
    ctx.results.tickets = [];
    return;
  }
  // One list call reads the outgoing admin's pinned tickets; a ticket not in it (moved by an earlier
  // run, closed, someone else's) is then read on its own.
  const pinned = new Map<string, Ticket>();
  try {
    for (const ticket of await ctx.read.platform.listTickets({ assignee: outgoing.tracker, pinned: true }))
      pinned.set(ticket.id, ticket);
  } catch {
    // Not fatal: each ticket is read on its own below, and fails there if the tracker is down.
  }
  ctx.results.tickets = await mapConcurrent(handover.tickets, ctx.itemConcurrency, async (item) => {
    try {
      return await handOverTicket(run, item, sessions, pinned.get(item.id));
    } catch (error) {
      run.fail(`ticket ${logValue(item.id)}`, 'hand over', error);
      return { id: item.id, title: null, covered: false, failed: true };
    }
  });
}

/** Emergency, cause compromised: no session of the outgoing admin may outlive the handover. */
async function endEverySession(run: StepRun, sessions: ImpersonationSession[] | Error): Promise<void> {
  const { ctx } = run;
  if (sessions instanceof Error) {
    run.fail(
      `admin ${logValue(ctx.outgoing.tracker)}`,
      'end every impersonation session',
      sessions,
      'could not list the sessions',
    );
    return;
  }
  const listed = new Set(ctx.handover.tickets.map((t) => t.impersonationSession).filter(Boolean));
  const open = sessions.filter((s) => s.status === 'open' && s.admin === ctx.outgoing.tracker);
  const unlisted = open.filter((s) => !listed.has(s.id));
  if (unlisted.length === 0) {
    run.info(`compromised: no open impersonation session of ${ctx.outgoing.handle} beyond the listed ones`);
  }
  for (const session of sessions)
    if (session.status === 'ended' && !listed.has(session.id)) ctx.results.endedSessions.push(session.id);
  await mapConcurrent(unlisted, ctx.itemConcurrency, async (session) => {
    const outcome = await endSession(
      run,
      session,
      'compromised: every open session of the outgoing admin ends',
    );
    if (outcome !== 'failed') ctx.results.endedSessions.push(session.id);
  });
}

async function endSession(run: StepRun, session: ImpersonationSession, why: string) {
  const { ctx } = run;
  return run.perform({
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
}

async function handOverTicket(
  run: StepRun,
  item: HandoverTicket,
  sessions: ImpersonationSession[] | Error,
  listed: Ticket | undefined,
): Promise<ItemResult> {
  const { ctx } = run;
  const { platform } = ctx.read;
  const { outgoing, incoming } = ctx;
  const target = `ticket ${logValue(item.id)}`;
  const result = (covered: boolean, failed: boolean, title: string | null = null): ItemResult => ({
    id: item.id,
    title,
    covered,
    failed,
  });

  let ticket: Ticket;
  try {
    ticket = listed ?? (await platform.getTicket(item.id));
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found') {
      run.failure(target, 'hand over', 'the tracker does not know this ticket; hand it over by hand');
      return result(false, true);
    }
    throw error;
  }
  if (ticket.status === 'closed') {
    run.skipWithWarning(target, 'hand over', 'closed since the manifest was written: left alone');
    return result(false, false, ticket.title);
  }
  if (ticket.assignee !== outgoing.tracker && ticket.assignee !== incoming.tracker) {
    run.skipWithWarning(
      target,
      'hand over',
      `assigned to ${logValue(ticket.assignee ?? 'nobody')}, not ${outgoing.handle}: left alone`,
    );
    return result(false, false, ticket.title);
  }

  // 1. End the listed impersonation session first: it belongs to the outgoing admin alone.
  if (item.impersonationSession !== undefined) {
    const sessionTarget = `session ${logValue(item.impersonationSession)}`;
    if (sessions instanceof Error) {
      run.fail(sessionTarget, 'end impersonation session', sessions, 'could not list the sessions');
      return result(false, true, ticket.title);
    }
    const session = sessions.find((s) => s.id === item.impersonationSession && s.admin === outgoing.tracker);
    if (!session) {
      run.failure(
        sessionTarget,
        'end impersonation session',
        `not an impersonation session of ${outgoing.handle} (someone else's, or unknown): sessions are per-human and are never ended or transferred on another admin's behalf; ticket ${logValue(item.id)} was not moved`,
      );
      return result(false, true, ticket.title);
    }
    if (session.status === 'ended') {
      run.record(sessionTarget, 'end impersonation session', 'already-done', 'the session is already ended');
    } else {
      const outcome = await endSession(run, session, `before ticket ${logValue(item.id)} moves`);
      if (outcome === 'failed') return result(false, true, ticket.title);
    }
    ctx.results.endedSessions.push(session.id);
  }

  // 2. Reassign to the incoming admin.
  let labels = ticket.labels;
  let links = ticket.links;
  const mintNote =
    item.disposition === 'active'
      ? `; ${incoming.handle} mints their own impersonation token when picking it up (tokens are never transferred)`
      : '';
  if (ticket.assignee === incoming.tracker) {
    run.record(target, 'reassign', 'already-done', `already assigned to ${incoming.tracker}${mintNote}`);
  } else {
    let updated: Ticket | undefined;
    const outcome = await run.perform({
      target,
      action: 'reassign',
      done: `reassigned to ${incoming.tracker}${mintNote}`,
      would: `reassign to ${incoming.tracker}`,
      write: async () => {
        updated = await ctx.write.platform.updateTicket(item.id, { assignee: incoming.tracker });
      },
      landed: async () => {
        const now = await platform.getTicket(item.id);
        if (now.assignee === incoming.tracker) updated = now;
        return now.assignee === incoming.tracker;
      },
    });
    if (outcome === 'failed') return result(false, true, ticket.title);
    if (updated) {
      labels = updated.labels;
      links = updated.links;
    }
  }

  // 3. Label or link, by disposition.
  if (item.disposition === 'waiting_on_customer') {
    if (labels.includes(WAITING_ON_CUSTOMER_LABEL)) {
      run.record(target, 'label', 'already-done', `already labelled ${WAITING_ON_CUSTOMER_LABEL}`);
    } else {
      const outcome = await run.perform({
        target,
        action: 'label',
        done: `labelled ${WAITING_ON_CUSTOMER_LABEL} (other labels kept)`,
        would: `add the label ${WAITING_ON_CUSTOMER_LABEL} (keeping the others)`,
        write: () =>
          ctx.write.platform.updateTicket(item.id, { labels: [...labels, WAITING_ON_CUSTOMER_LABEL] }),
        landed: async () => (await platform.getTicket(item.id)).labels.includes(WAITING_ON_CUSTOMER_LABEL),
      });
      if (outcome === 'failed') return result(true, true, ticket.title);
    }
  } else if (item.disposition === 'waiting_on_engineering' && item.engineeringIssue) {
    const url = engineeringIssueUrl(item.engineeringIssue);
    const linked = (list: Ticket['links']) =>
      list.some((l) => l.kind === 'engineering_issue' && l.url === url);
    if (linked(links)) {
      run.record(target, 'link engineering issue', 'already-done', `already links ${logValue(url)}`);
    } else {
      const outcome = await run.perform({
        target,
        action: 'link engineering issue',
        done: `linked ${logValue(url)}`,
        would: `link ${logValue(url)}`,
        write: () => ctx.write.platform.addTicketLink(item.id, { url, kind: 'engineering_issue' }),
        landed: async () => linked((await platform.getTicket(item.id)).links),
      });
      if (outcome === 'failed') return result(true, true, ticket.title);
    }
  }
  return result(true, false, ticket.title);
}
