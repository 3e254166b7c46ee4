import type { HandoverConfig } from '../config/types.js';
import { byInstant } from '../core/instants.js';
import type { Handover, Reason, TicketDisposition, Variant } from '../manifest/types.js';
import type { ImpersonationSession, PdIncident, Rollout, Ticket } from '../providers/types.js';
import type { LiveState } from '../runbook/live-state.js';
import { rosterEntry } from '../runbook/people.js';

/**
 * Placeholders init leaves where only a human knows the answer. Each contains `TODO`, which the
 * validator rejects (rule status.placeholder and the schema's enums), so a draft cannot be merged as is.
 */
export const PLACEHOLDER = {
  hypothesis: 'TODO: what you believe is happening',
  lastAction: 'TODO: the last action you took, and when',
  nextAction: 'TODO: what the incoming admin should do next',
  disposition: 'TODO: waiting_on_customer, waiting_on_engineering or active',
  engineeringIssue: 'TODO: the engineering issue (a URL or owner/repo#N)',
  nextStep: 'TODO: the next planned ramp step, and its condition',
  cause: 'TODO: incapacitated or compromised',
  outageIncident: 'TODO: the outage incident id',
  lead: 'TODO: who leads during the outage',
} as const;

/** A comment init writes above a value, addressed by its path in the manifest. */
export interface DraftComment {
  path: Array<string | number>;
  text: string;
}

export interface ManifestDraft {
  /** The manifest, keys in the order of docs/design.md#the-manifest. */
  manifest: Record<string, unknown>;
  comments: DraftComment[];
  counts: { incidents: number; tickets: number; rollouts: number; placeholders: number };
}

export interface DraftRequest {
  id: string;
  variant: Variant;
  reason: Reason;
  outgoing: string;
  incoming: string;
  window: { start?: string; end: string };
  cause?: 'incapacitated' | 'compromised';
  outage?: { incident?: string; lead?: string };
}

/**
 * The manifest's top level with empty lists: what init hands readLiveState to read the outgoing admin's
 * world, and what the draft fills in.
 */
export function manifestSkeleton(request: DraftRequest): Handover {
  return {
    apiVersion: 'handover/v1',
    kind: 'Handover',
    id: request.id,
    variant: request.variant,
    reason: request.reason,
    outgoing: request.outgoing,
    incoming: request.incoming,
    window: request.window,
    incidents: [],
    tickets: [],
    rollouts: [],
  };
}

const TITLE_MAX = 300;

/** A title from the world as a single clean line the schema accepts; the YAML library quotes it. */
export function cleanTitle(title: string): string {
  const line = title
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

function isOpen(incident: PdIncident): boolean {
  return incident.status === 'triggered' || incident.status === 'acknowledged';
}

interface TicketDraft {
  value: Record<string, unknown>;
  comment: string;
  placeholders: number;
}

/**
 * What the tracker says the ticket waits on, in manifest terms. An open impersonation session wins:
 * it must be ended before the ticket moves, whatever else the ticket waits on.
 */
function draftTicket(ticket: Ticket, session: ImpersonationSession | undefined): TicketDraft {
  const comment = `${cleanTitle(ticket.title)} (${ticket.status})`;
  if (session)
    return {
      value: {
        id: ticket.id,
        disposition: 'active' satisfies TicketDisposition,
        impersonationSession: session.id,
      },
      comment: `${comment}; open impersonation session since ${session.startedAt}, ended by apply before the ticket moves`,
      placeholders: 0,
    };
  if (ticket.waitingOn === 'customer')
    return { value: { id: ticket.id, disposition: 'waiting_on_customer' }, comment, placeholders: 0 };
  if (ticket.waitingOn === 'engineering') {
    const link = ticket.links.find((candidate) => candidate.kind === 'engineering_issue');
    return {
      value: {
        id: ticket.id,
        disposition: 'waiting_on_engineering',
        engineeringIssue: link?.url ?? PLACEHOLDER.engineeringIssue,
      },
      comment,
      placeholders: link ? 0 : 1,
    };
  }
  return { value: { id: ticket.id, disposition: PLACEHOLDER.disposition }, comment, placeholders: 1 };
}

function draftRollout(rollout: Rollout): Record<string, unknown> {
  return {
    flag: rollout.flag,
    state: rollout.state,
    rampPercent: rollout.rampPercent,
    lastErrorRatePercent: rollout.errorRatePercent,
    nextStep: PLACEHOLDER.nextStep,
  };
}

function rolloutComment(rollout: Rollout): string {
  const latest = rollout.annotations.at(-1);
  const owner = rollout.owner ? `annotation owner ${rollout.owner}` : 'no annotation owner';
  return latest
    ? `${owner}; last annotation by ${latest.author} at ${latest.createdAt}: ${cleanTitle(latest.nextStep)}`
    : owner;
}

/**
 * The manifest init writes from live state: every open incident of the outgoing admin in the service,
 * every pinned ticket, every rollout in flight, with every field the tool can know filled in and the
 * rest left as TODO placeholders. Pure.
 */
export function draftManifest(request: DraftRequest, config: HandoverConfig, live: LiveState): ManifestDraft {
  const comments: DraftComment[] = [];
  let placeholders = 0;
  const outgoingPagerDuty = rosterEntry(config, request.outgoing)?.pagerduty;
  const outageId = request.variant === 'mid-shift-outage' ? request.outage?.incident : undefined;
  const emergency = request.variant === 'emergency';

  const incidents = live.openIncidents
    .filter(
      (incident) =>
        isOpen(incident) &&
        incident.id !== outageId &&
        outgoingPagerDuty !== undefined &&
        incident.assigneeIds.includes(outgoingPagerDuty),
    )
    .sort(byInstant((incident) => incident.createdAt))
    .map((incident, index) => {
      comments.push({
        path: ['incidents', index],
        text: `${incident.htmlUrl} (${incident.status} since ${incident.createdAt})`,
      });
      const item: Record<string, unknown> = { id: incident.id };
      const title = cleanTitle(incident.title);
      if (title) item.title = title;
      // An emergency may go without status paragraphs: the incoming admin reads the incident log instead.
      if (!emergency) {
        item.status = {
          hypothesis: PLACEHOLDER.hypothesis,
          lastAction: PLACEHOLDER.lastAction,
          nextAction: PLACEHOLDER.nextAction,
        };
        placeholders += 3;
      }
      return item;
    });

  const sessionByTicket = new Map(
    live.openSessions.flatMap((session) => (session.ticketId ? [[session.ticketId, session] as const] : [])),
  );
  const tickets = live.pinnedTickets.map((ticket, index) => {
    const draft = draftTicket(ticket, sessionByTicket.get(ticket.id));
    comments.push({ path: ['tickets', index], text: draft.comment });
    placeholders += draft.placeholders;
    return draft.value;
  });

  const rollouts = live.rollouts
    .filter((rollout) => rollout.state === 'ramping' || rollout.state === 'paused')
    .map((rollout, index) => {
      comments.push({ path: ['rollouts', index], text: rolloutComment(rollout) });
      placeholders += 1;
      return draftRollout(rollout);
    });

  const manifest: Record<string, unknown> = { ...manifestSkeleton(request), incidents, tickets, rollouts };
  if (emergency) {
    manifest.emergency = { cause: request.cause ?? PLACEHOLDER.cause };
    if (!request.cause) placeholders += 1;
  }
  if (request.variant === 'mid-shift-outage') {
    manifest.outage = {
      incident: request.outage?.incident ?? PLACEHOLDER.outageIncident,
      lead: request.outage?.lead ?? PLACEHOLDER.lead,
    };
    placeholders += (request.outage?.incident ? 0 : 1) + (request.outage?.lead ? 0 : 1);
  }
  const unticketed = live.openSessions.filter(
    (session) =>
      session.ticketId === null || !live.pinnedTickets.some((ticket) => ticket.id === session.ticketId),
  );
  if (unticketed.length > 0)
    comments.push({
      path: ['tickets'],
      text: `${request.outgoing} also has open impersonation sessions on no pinned ticket: ${unticketed
        .map((session) => `${session.id}${session.ticketId ? ` (${session.ticketId})` : ''}`)
        .join(', ')}`,
    });
  return {
    manifest,
    comments,
    counts: { incidents: incidents.length, tickets: tickets.length, rollouts: rollouts.length, placeholders },
  };
}
