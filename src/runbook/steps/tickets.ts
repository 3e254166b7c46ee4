import type { Handover, HandoverTicket } from '../../manifest/types.js';
import { type ImpersonationSession, ProviderError, type Ticket } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { LiveState } from '../live-state.js';
import { rosterEntry } from '../people.js';
import type { People, PlanFinding } from '../plan/finding.js';
import { quoted } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import { mapConcurrent } from '../runtime/concurrency.js';
import type { ItemResult } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { listedSessionIds, otherSessionsOnTicket } from './tickets-session-ids.js';
import { OutgoingSessions } from './tickets-sessions.js';

export const WAITING_ON_CUSTOMER_LABEL = 'waiting_on_customer';

/** `owner/repo#N` → the issue's GitHub URL; a URL stays as it is. */
export function engineeringIssueUrl(reference: string): string {
  const short = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)#(\d+)$/.exec(reference.trim());
  return short ? `https://github.com/${short[1]}/${short[2]}/issues/${short[3]}` : reference.trim();
}

/**
 * Step 3: per pinned ticket, strictly in this order — end the outgoing admin's impersonation sessions
 * on it (the listed one, and any other open on the ticket, listed or not: tokens are per-human, and a
 * session that is not the outgoing admin's is refused, never transferred), reassign to the incoming
 * admin's tracker handle, then label `waiting_on_customer` (keeping the other labels) or link the
 * engineering issue. The sessions are read once per run, here, so one opened after plan ran is still
 * found. With emergency cause `compromised`, every open session of the outgoing admin is ended, not
 * only those on the handover's tickets.
 */
export async function handOverTickets(run: StepRun): Promise<void> {
  const { ctx } = run;
  const { handover, outgoing } = ctx;
  const compromised = handover.emergency?.cause === 'compromised';

  let read: ImpersonationSession[] | Error = [];
  if (compromised || handover.tickets.length > 0) {
    try {
      read = await ctx.read.platform.listImpersonationSessions({ admin: outgoing.tracker });
    } catch (error) {
      read = error as Error;
    }
  }
  const sessions = new OutgoingSessions(run, read);

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
async function endEverySession(run: StepRun, sessions: OutgoingSessions): Promise<void> {
  const { ctx } = run;
  if (sessions.read instanceof Error) {
    run.fail(
      `admin ${logValue(ctx.outgoing.tracker)}`,
      'end every impersonation session',
      sessions.read,
      'could not list the sessions',
    );
    return;
  }
  const listed = listedSessionIds(ctx.handover);
  const mine = sessions.read.filter((s) => s.admin === ctx.outgoing.tracker && !listed.has(s.id));
  const open = mine.filter((s) => s.status === 'open');
  if (open.length === 0) {
    run.info(`compromised: no open impersonation session of ${ctx.outgoing.handle} beyond the listed ones`);
  }
  for (const session of mine) if (session.status === 'ended') sessions.foundEnded(session);
  await mapConcurrent(open, ctx.itemConcurrency, (session) =>
    sessions.end(session, 'compromised: every open session of the outgoing admin ends'),
  );
}

/**
 * Ends every session of the outgoing admin on the ticket before it moves: the listed one first (refused
 * when it is not the outgoing admin's), then any other opened on the ticket. Returns false, with the
 * failure recorded, when the ticket must not move.
 */
async function endSessionsOnTicket(
  run: StepRun,
  item: HandoverTicket,
  sessions: OutgoingSessions,
): Promise<boolean> {
  const { ctx } = run;
  const { outgoing } = ctx;
  const ticketName = logValue(item.id);
  if (sessions.read instanceof Error) {
    const target = item.impersonationSession
      ? `session ${logValue(item.impersonationSession)}`
      : `ticket ${ticketName}`;
    const action = item.impersonationSession ? 'end impersonation session' : 'reassign';
    run.fail(
      target,
      action,
      sessions.read,
      `could not list ${outgoing.handle}'s impersonation sessions, so ticket ${ticketName} was not moved (an open session on it must end first)`,
    );
    return false;
  }

  // 1a. The listed session: it belongs to the outgoing admin alone.
  if (item.impersonationSession !== undefined) {
    const sessionTarget = `session ${logValue(item.impersonationSession)}`;
    const session = sessions.read.find(
      (s) => s.id === item.impersonationSession && s.admin === outgoing.tracker,
    );
    if (!session) {
      run.failure(
        sessionTarget,
        'end impersonation session',
        `not an impersonation session of ${outgoing.handle} (someone else's, or unknown): sessions are per-human and are never ended or transferred on another admin's behalf; ticket ${ticketName} was not moved`,
      );
      return false;
    }
    if (session.status === 'ended') {
      run.record(sessionTarget, 'end impersonation session', 'already-done', 'the session is already ended');
      sessions.foundEnded(session);
    } else if ((await sessions.end(session, `before ticket ${ticketName} moves`)) === 'failed') {
      return false;
    }
  }

  // 1b. Any other session of the outgoing admin opened on this ticket: the manifest may not list it
  // (opened after plan ran, or missed), but moving the ticket under an open session would leave the old
  // owner able to act as the customer on someone else's ticket.
  const listed = listedSessionIds(ctx.handover);
  for (const session of otherSessionsOnTicket(
    sessions.read,
    outgoing.tracker,
    item.id,
    item.impersonationSession,
  )) {
    const origin = listed.has(session.id)
      ? `listed on another ticket, opened on ticket ${ticketName}`
      : `not listed in the manifest, opened on ticket ${ticketName}`;
    if (session.status === 'ended') {
      // A listed one is recorded by the ticket that lists it.
      if (!listed.has(session.id))
        run.record(
          `session ${logValue(session.id)}`,
          'end impersonation session',
          'already-done',
          `the session (${origin}) is already ended`,
        );
      sessions.foundEnded(session);
      continue;
    }
    const outcome = await sessions.end(
      session,
      `${origin}: ended before the ticket moves, since impersonation tokens are per-human`,
    );
    if (outcome === 'failed') return false;
  }
  return true;
}

async function handOverTicket(
  run: StepRun,
  item: HandoverTicket,
  sessions: OutgoingSessions,
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

  // 1. End the outgoing admin's sessions on the ticket first.
  if (!(await endSessionsOnTicket(run, item, sessions))) return result(false, true, ticket.title);

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

function planTicket(item: HandoverTicket, { handover, config, live }: PlanInput): PlannedItem {
  const ticket = live.manifestTickets.get(item.id) ?? null;
  const base = { section: 'tickets' as const, target: item.id, ...(ticket ? { title: ticket.title } : {}) };
  if (ticket === null) return { ...base, live: 'unknown to the tracker', actions: [], skipped: 'not found' };
  const state = `${ticket.status}, assigned to ${ticket.assignee ?? 'nobody'}`;
  if (ticket.status === 'closed') return { ...base, live: state, actions: [], skipped: 'already closed' };
  const actions: string[] = [];
  if (item.impersonationSession) {
    const open = live.openSessions.some((session) => session.id === item.impersonationSession);
    actions.push(
      open
        ? `end ${handover.outgoing}'s impersonation session ${item.impersonationSession}`
        : `nothing to end: session ${item.impersonationSession} is not open`,
    );
  }
  const outgoingTracker = rosterEntry(config, handover.outgoing)?.tracker ?? handover.outgoing;
  const listed = listedSessionIds(handover);
  for (const session of otherSessionsOnTicket(
    live.openSessions,
    outgoingTracker,
    item.id,
    item.impersonationSession,
  ))
    actions.push(
      `end ${handover.outgoing}'s impersonation session ${session.id}, open on this ticket (${listed.has(session.id) ? 'listed on another ticket' : 'not listed in the manifest'})`,
    );
  actions.push(`reassign to ${handover.incoming}`);
  if (item.disposition === 'waiting_on_customer')
    actions.push(
      ticket.labels.includes(WAITING_ON_CUSTOMER_LABEL)
        ? `label ${WAITING_ON_CUSTOMER_LABEL} (already there)`
        : `add the label ${WAITING_ON_CUSTOMER_LABEL}`,
    );
  if (item.disposition === 'waiting_on_engineering' && item.engineeringIssue)
    actions.push(
      ticket.links.some((link) => link.url === item.engineeringIssue)
        ? `link the engineering issue ${item.engineeringIssue} (already linked)`
        : `link the engineering issue ${item.engineeringIssue}`,
    );
  if (item.disposition === 'active')
    actions.push(`${handover.incoming} mints a fresh impersonation token when picking it up`);
  return { ...base, live: state, actions, skipped: null };
}

/**
 * What plan shows for step 3: per listed ticket, the sessions to end, the reassignment and its
 * disposition; with emergency cause `compromised`, every other open session of the outgoing admin.
 */
export function planTickets(input: PlanInput): PlannedItem[] {
  const { handover, live } = input;
  const items = handover.tickets.map((item) => planTicket(item, input));
  if (handover.variant === 'emergency' && handover.emergency?.cause === 'compromised') {
    const listed = listedSessionIds(handover);
    for (const session of live.openSessions.filter((candidate) => !listed.has(candidate.id)))
      items.push({
        section: 'sessions',
        target: session.id,
        live: `open${session.ticketId ? ` on ticket ${session.ticketId}` : ''}`,
        actions: [`end ${handover.outgoing}'s impersonation session (cause: compromised)`],
        skipped: null,
      });
  }
  return items;
}

export function ticketFindings(handover: Handover, live: LiveState, who: People): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const listed = new Set(handover.tickets.map((ticket) => ticket.id));
  for (const ticket of live.pinnedTickets) {
    if (listed.has(ticket.id)) continue;
    findings.push({
      severity: 'error',
      section: 'tickets',
      target: ticket.id,
      rule: 'ticket.omitted',
      message: `pinned ticket ${quoted(ticket.id, ticket.title)} (${ticket.status}) is assigned to ${who.outgoing}, but the manifest does not list it: add it under tickets with its disposition, or unpin or close it before the handover`,
    });
  }
  for (const item of handover.tickets) {
    const ticket = live.manifestTickets.get(item.id) ?? null;
    if (ticket === null) {
      findings.push({
        severity: 'warning',
        section: 'tickets',
        target: item.id,
        rule: 'ticket.unknown',
        message: `the support tracker does not know ticket ${item.id}: check the id; apply will skip it`,
      });
    } else if (ticket.status === 'closed') {
      findings.push({
        severity: 'warning',
        section: 'tickets',
        target: item.id,
        rule: 'ticket.closed',
        message: `ticket ${quoted(item.id, ticket.title)} is already closed: apply will skip it; remove it from the manifest or leave it as a record`,
      });
    } else if (ticket.assignee !== who.outgoingTracker) {
      findings.push({
        severity: 'warning',
        section: 'tickets',
        target: item.id,
        rule: 'ticket.not-outgoing',
        message: `ticket ${quoted(item.id, ticket.title)} is assigned to ${ticket.assignee ?? 'nobody'}, not ${who.outgoing}: apply will still reassign it to ${who.incoming}`,
      });
    }
  }
  return findings;
}

export function sessionFindings(handover: Handover, live: LiveState, who: People): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const openById = new Map(live.openSessions.map((session) => [session.id, session]));
  const ticketsById = new Map(handover.tickets.map((ticket) => [ticket.id, ticket]));
  const listedSessions = listedSessionIds(handover);
  const endsEverySession = handover.variant === 'emergency' && handover.emergency?.cause === 'compromised';

  for (const session of live.openSessions) {
    if (listedSessions.has(session.id)) continue;
    const ticket = session.ticketId === null ? undefined : ticketsById.get(session.ticketId);
    if (ticket && !endsEverySession) {
      // The ticket would move while its old owner can still act as the customer.
      findings.push({
        severity: 'error',
        section: 'sessions',
        target: session.id,
        rule: 'session.unlisted',
        message: `${who.outgoing} has open impersonation session ${session.id} on ticket ${ticket.id}, which the manifest does not list: apply ends it before the ticket moves (impersonation tokens are per-human), but the handover should say so; set disposition: active and impersonationSession: ${session.id} on ${ticket.id}`,
      });
    } else if (endsEverySession) {
      findings.push({
        severity: 'info',
        section: 'sessions',
        target: session.id,
        rule: 'session.ended-compromised',
        message: `${who.outgoing}'s open impersonation session ${session.id} will be ended: the emergency's cause is compromised`,
      });
    } else {
      const onTicket = session.ticketId ? ` on ticket ${session.ticketId}` : '';
      findings.push({
        severity: handover.reason === 'departure' ? 'warning' : 'info',
        section: 'sessions',
        target: session.id,
        rule: 'session.left-open',
        message: `${who.outgoing}'s impersonation session ${session.id}${onTicket} stays open: it is not tied to a ticket in this handover${handover.reason === 'departure' ? `; end it before ${who.outgoing}'s access is revoked` : ''}`,
      });
    }
  }

  for (const ticket of handover.tickets) {
    const id = ticket.impersonationSession;
    if (id === undefined) continue;
    const session = openById.get(id);
    if (session === undefined) {
      findings.push({
        severity: 'warning',
        section: 'sessions',
        target: id,
        rule: 'session.not-open',
        message: `impersonation session ${id} (ticket ${ticket.id}) is not an open session of ${who.outgoing}: if it has ended, apply records it as already done; if it belongs to someone else or does not exist, apply refuses to move ${ticket.id} (tokens are per-human): check the session id`,
      });
    } else if (session.ticketId !== null && session.ticketId !== ticket.id) {
      findings.push({
        severity: 'warning',
        section: 'sessions',
        target: id,
        rule: 'session.other-ticket',
        message: `impersonation session ${id} is listed on ticket ${ticket.id} but was opened on ticket ${session.ticketId}: apply will end it before ${ticket.id} moves; move it to ${session.ticketId} if that is where it belongs`,
      });
    }
  }
  return findings;
}
