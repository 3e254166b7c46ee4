import type { HandoverConfig } from '../config/types.js';
import type { Handover } from '../manifest/types.js';
import {
  type ImpersonationSession,
  type PdIncident,
  type PdOnCall,
  type PdOverride,
  ProviderError,
  type Providers,
  type Rollout,
  type Ticket,
} from '../providers/types.js';
import { rosterEntry } from './people.js';
import { resolveWindow } from './window.js';

/** Everything plan (and apply's verify) knows about the world, read once, before any decision. */
export interface LiveState {
  readAt: string;
  /** Open (triggered|acknowledged) incidents of config.pagerduty.serviceId, every assignee. */
  openIncidents: PdIncident[];
  /** Each manifest incident id → live incident (any service, any status) or null when PagerDuty does not know it. */
  manifestIncidents: Map<string, PdIncident | null>;
  /** Pinned tickets assigned to the outgoing admin (roster tracker handle), open or pending. */
  pinnedTickets: Ticket[];
  manifestTickets: Map<string, Ticket | null>;
  /** Open impersonation sessions of the outgoing admin. */
  openSessions: ImpersonationSession[];
  /** Rollouts in ramping or paused state, plus any manifest flag in another state (to warn "finished"). */
  rollouts: Rollout[];
  /** On-call entries of config.pagerduty.scheduleId over the window (for weekly-rotation and the timeline). */
  onCalls: PdOnCall[];
  overrides: PdOverride[];
  /**
   * mid-shift-outage only: the manifest's `outage.incident` (null when PagerDuty does not know it).
   * Undefined for every other variant.
   */
  outageIncident?: PdIncident | null;
}

const OPEN_INCIDENT: PdIncident['status'][] = ['triggered', 'acknowledged'];
const IN_FLIGHT: Rollout['state'][] = ['ramping', 'paused'];
const FINISHED: Rollout['state'][] = ['complete', 'rolled_back'];

/** A lookup whose "not found" is an answer, not a failure: the manifest may name something stale. */
async function orNullWhenNotFound<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found') return null;
    throw error;
  }
}

/** Looks up each id, reusing what a list call already returned. */
async function byId<T extends { id: string }>(
  ids: string[],
  known: T[],
  fetchOne: (id: string) => Promise<T>,
): Promise<Map<string, T | null>> {
  const found = new Map(known.map((item) => [item.id, item]));
  const entries = await Promise.all(
    ids.map(async (id) => [id, found.get(id) ?? (await orNullWhenNotFound(() => fetchOne(id)))] as const),
  );
  return new Map(entries);
}

export interface LiveStateOptions {
  /**
   * Also list the pinned tickets of this tracker handle, so that the manifest's tickets already handed
   * over to them are found in a list instead of one read each (verify runs after the handover).
   */
  ticketsAlsoAssignedTo?: string;
}

/**
 * Reads the part of the world a handover touches. The only place plan and verify read it; every call
 * is a read, so running plan has no side effect. Provider failures propagate as ProviderError.
 */
export async function readLiveState(
  providers: Providers,
  config: HandoverConfig,
  handover: Handover,
  now: Date,
  options: LiveStateOptions = {},
): Promise<LiveState> {
  const { pagerduty, platform } = providers;
  const outgoing = rosterEntry(config, handover.outgoing);
  // The validator checks roster membership; without an entry there is nobody to look up.
  const tracker = outgoing?.tracker ?? handover.outgoing;
  const window = resolveWindow(handover, now);
  const since = window.start.toISOString();
  const until = window.end.toISOString();

  const incidentsRead = pagerduty
    .listIncidents({ serviceIds: [config.pagerduty.serviceId], statuses: OPEN_INCIDENT })
    .then(async (openIncidents) => {
      const ids = handover.incidents.map((incident) => incident.id);
      const outageId = handover.variant === 'mid-shift-outage' ? handover.outage?.incident : undefined;
      const looked = await byId(outageId ? [...ids, outageId] : ids, openIncidents, (id) =>
        pagerduty.getIncident(id),
      );
      const manifestIncidents = new Map(ids.map((id) => [id, looked.get(id) ?? null]));
      const outageIncident = outageId === undefined ? undefined : (looked.get(outageId) ?? null);
      return { openIncidents, manifestIncidents, outageIncident };
    });

  const alsoAssignee = options.ticketsAlsoAssignedTo;
  const ticketsRead = Promise.all([
    platform.listTickets({ assignee: tracker, pinned: true }),
    alsoAssignee !== undefined && alsoAssignee !== tracker && handover.tickets.length > 0
      ? platform.listTickets({ assignee: alsoAssignee, pinned: true })
      : Promise.resolve([]),
  ]).then(async ([tickets, theirs]) => {
    const pinnedTickets = tickets.filter(
      (ticket) => ticket.pinned && ticket.assignee === tracker && ticket.status !== 'closed',
    );
    const manifestTickets = await byId(
      handover.tickets.map((ticket) => ticket.id),
      [...tickets, ...theirs],
      (id) => platform.getTicket(id),
    );
    return { pinnedTickets, manifestTickets };
  });

  const sessionsRead = platform
    .listImpersonationSessions({ admin: tracker, status: 'open' })
    .then((sessions) => sessions.filter((session) => session.status === 'open' && session.admin === tracker));

  const rolloutsRead = platform.listRollouts(IN_FLIGHT).then(async (inFlight) => {
    const flags = new Set(inFlight.map((rollout) => rollout.flag));
    const unseen = handover.rollouts.filter((rollout) => !flags.has(rollout.flag));
    if (unseen.length === 0) return inFlight;
    // Only asked when the manifest names a flag that is no longer in flight: to say "finished".
    const finished = await platform.listRollouts(FINISHED);
    const wanted = new Set(unseen.map((rollout) => rollout.flag));
    return [...inFlight, ...finished.filter((rollout) => wanted.has(rollout.flag))];
  });

  const [incidents, tickets, openSessions, rollouts, onCalls, overrides] = await Promise.all([
    incidentsRead,
    ticketsRead,
    sessionsRead,
    rolloutsRead,
    pagerduty.listOnCalls(config.pagerduty.scheduleId, since, until),
    pagerduty.listOverrides(config.pagerduty.scheduleId, since, until),
  ]);

  const state: LiveState = {
    readAt: now.toISOString(),
    openIncidents: incidents.openIncidents,
    manifestIncidents: incidents.manifestIncidents,
    pinnedTickets: tickets.pinnedTickets,
    manifestTickets: tickets.manifestTickets,
    openSessions,
    rollouts,
    onCalls,
    overrides,
  };
  if (incidents.outageIncident !== undefined) state.outageIncident = incidents.outageIncident;
  return state;
}
