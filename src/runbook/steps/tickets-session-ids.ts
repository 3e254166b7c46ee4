import type { Handover } from '../../manifest/types.js';
import type { ImpersonationSession } from '../../providers/types.js';

const listedByHandover = new WeakMap<Handover, ReadonlySet<string>>();

/**
 * Every impersonation session the manifest names, on whichever ticket. Each ticket asks, in plan and in
 * apply: built once per handover (a handover is never changed once read), or 2,000 tickets cost four
 * million lookups.
 */
export function listedSessionIds(handover: Handover): ReadonlySet<string> {
  let listed = listedByHandover.get(handover);
  if (!listed) {
    listed = new Set(handover.tickets.flatMap((ticket) => ticket.impersonationSession ?? []));
    listedByHandover.set(handover, listed);
  }
  return listed;
}

/**
 * The sessions of `admin` opened on `ticketId`, other than `except` (the one the manifest lists on that
 * ticket). Apply ends each of them before the ticket moves, listed or not: impersonation tokens are
 * per-human, and one left open would let the old owner act as the customer on a ticket that is no
 * longer theirs. Plan shows the same list. Pure.
 */
export function otherSessionsOnTicket(
  sessions: readonly ImpersonationSession[],
  admin: string,
  ticketId: string,
  except: string | undefined,
): ImpersonationSession[] {
  return sessions.filter((s) => s.admin === admin && s.ticketId === ticketId && s.id !== except);
}
