import type { HandoverConfig } from '../../config/types.js';
import { formatUtc } from '../../format.js';
import type { Handover, HandoverIncident, HandoverRollout, HandoverTicket } from '../../manifest/types.js';
import type { LiveState } from '../live-state.js';
import { nameForPagerDutyUser, rosterEntry } from '../people.js';
import { decideFreeze } from '../steps/freeze-coverage.js';
import { listedSessionIds, otherSessionsOnTicket } from '../steps/tickets-session-ids.js';
import { resolveWindow } from '../window.js';

export type ActionSection =
  | 'window'
  | 'outage'
  | 'incidents'
  | 'tickets'
  | 'sessions'
  | 'rollouts'
  | 'summary'
  | 'digest'
  | 'audit'
  | 'verify';

/** One item of the handover and what apply will do to it, in the order apply does it (spec §6). */
export interface PlannedItem {
  section: ActionSection;
  /** An incident or ticket id, a flag, a schedule id, a channel. */
  target: string;
  /** Text from the world (an incident title); data, escaped by every renderer. */
  title?: string;
  /** The item's live state in a few words, e.g. "acknowledged, assigned to alice". */
  live?: string;
  /** What apply will do, one action per entry, in order. Empty when skipped. */
  actions: string[];
  /** Why apply will leave the item alone, or null. */
  skipped: string | null;
}

function incidentItem(
  item: HandoverIncident,
  handover: Handover,
  config: HandoverConfig,
  live: LiveState,
): PlannedItem {
  const incident = live.manifestIncidents.get(item.id) ?? null;
  const title = item.title ?? incident?.title;
  const base = { section: 'incidents' as const, target: item.id, ...(title ? { title } : {}) };
  if (incident === null) return { ...base, live: 'unknown to PagerDuty', actions: [], skipped: 'not found' };
  const assignees = incident.assigneeIds.map((id) => nameForPagerDutyUser(config, id)).join(', ') || 'nobody';
  const state = `${incident.status}, assigned to ${assignees}`;
  if (incident.status === 'resolved')
    return { ...base, live: state, actions: [], skipped: 'already resolved' };
  const note = item.status
    ? `post the status paragraph as a note from ${handover.outgoing}`
    : `post a note from ${handover.outgoing}: emergency handover, no status paragraph (read the incident log)`;
  return {
    ...base,
    live: state,
    actions: [
      note,
      `reassign to ${handover.incoming}`,
      `record ${handover.incoming}'s acknowledgement (the pull request approval) on the incident`,
    ],
    skipped: null,
  };
}

function ticketItem(
  item: HandoverTicket,
  handover: Handover,
  config: HandoverConfig,
  live: LiveState,
): PlannedItem {
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
      ticket.labels.includes('waiting_on_customer')
        ? 'label waiting_on_customer (already there)'
        : 'add the label waiting_on_customer',
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

function rolloutItem(item: HandoverRollout, handover: Handover, live: LiveState): PlannedItem {
  const rollout = live.rollouts.find((candidate) => candidate.flag === item.flag);
  const base = { section: 'rollouts' as const, target: item.flag };
  if (rollout === undefined)
    return { ...base, live: 'unknown to the console', actions: [], skipped: 'not found' };
  const state = `${rollout.state} at ${rollout.rampPercent}%, error rate ${rollout.errorRatePercent}%`;
  if (rollout.state !== 'ramping' && rollout.state !== 'paused')
    return { ...base, live: state, actions: [], skipped: `already ${rollout.state.replace('_', ' ')}` };
  return {
    ...base,
    live: state,
    actions: [
      `annotate from ${handover.outgoing}: ramp ${item.rampPercent}%, error rate ${item.lastErrorRatePercent}%, next step: ${item.nextStep}`,
      `make ${handover.incoming} the annotation owner${rollout.owner ? ` (now ${rollout.owner})` : ''}`,
    ],
    skipped: null,
  };
}

function windowItem(handover: Handover, config: HandoverConfig, live: LiveState): PlannedItem {
  const window = resolveWindow(handover, new Date(live.readAt));
  const from = window.startsAtApply ? 'when apply runs' : formatUtc(window.start);
  const base = { section: 'window' as const, target: config.pagerduty.scheduleId };
  const incomingId = rosterEntry(config, handover.incoming)?.pagerduty;
  const describe = `${from} → ${formatUtc(window.end)}`;
  let superseded = '';
  if (incomingId !== undefined) {
    const decision = decideFreeze({
      variant: handover.variant,
      incoming: incomingId,
      window,
      overrides: live.overrides,
      onCalls: live.onCalls,
    });
    if (decision.kind === 'rotation-covers')
      return {
        ...base,
        live: describe,
        actions: [],
        skipped: `auto-rotation already puts ${handover.incoming} on call: no override needed`,
      };
    if (decision.kind === 'override-stands')
      return {
        ...base,
        live: describe,
        actions: [],
        skipped: `override ${decision.override.id} already covers the window`,
      };
    if (decision.superseded)
      superseded = ` (override ${decision.superseded.id} covers the window, but a newer override of another admin takes part of it)`;
  }
  return {
    ...base,
    live: describe,
    actions: [`override: ${handover.incoming} primary from ${from} to ${formatUtc(window.end)}${superseded}`],
    skipped: null,
  };
}

export interface SummaryCounts {
  incidents: number;
  tickets: number;
  rollouts: number;
}

/** The channel post, exactly as spec §6 fixes it; the time is filled in when apply posts it. */
export function summaryText(handover: Handover, counts: SummaryCounts, time: string): string {
  return `On-call: @${handover.outgoing} → @${handover.incoming} as of ${time}. ${counts.incidents} incidents reassigned, ${counts.tickets} tickets reassigned, ${counts.rollouts} rollouts in flight. Details in the thread.`;
}

/** Everything apply will do, item by item, in its order. Pure. */
export function planItems(handover: Handover, config: HandoverConfig, live: LiveState): PlannedItem[] {
  const items: PlannedItem[] = [];
  if (handover.variant === 'mid-shift-outage' && handover.outage) {
    const outage = live.outageIncident ?? null;
    const open = outage !== null && outage.status !== 'resolved';
    items.push({
      section: 'outage',
      target: handover.outage.incident,
      ...(outage ? { title: outage.title } : {}),
      live: outage === null ? 'unknown to PagerDuty' : outage.status,
      actions: open
        ? [`defer (exit 3) until the outage is resolved; ${handover.outage.lead} leads meanwhile`]
        : [],
      skipped: open ? null : 'resolved: the formal handover goes ahead',
    });
  }
  items.push(windowItem(handover, config, live));
  const incidents = handover.incidents.map((item) => incidentItem(item, handover, config, live));
  const tickets = handover.tickets.map((item) => ticketItem(item, handover, config, live));
  const rollouts = handover.rollouts.map((item) => rolloutItem(item, handover, live));
  items.push(...incidents, ...tickets);

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
  items.push(...rollouts);

  const counts: SummaryCounts = {
    incidents: incidents.filter((item) => item.skipped === null).length,
    tickets: tickets.filter((item) => item.skipped === null).length,
    rollouts: rollouts.filter((item) => item.skipped === null).length,
  };
  const lead =
    handover.variant === 'mid-shift-outage' && handover.outage
      ? `; the thread names ${handover.outage.lead} as the outage lead`
      : '';
  items.push({
    section: 'summary',
    target: `#${config.slack.channelName}`,
    actions: [
      `post: ${summaryText(handover, counts, '<time of apply>')}`,
      `reply in the thread with the details${lead}`,
    ],
    skipped: null,
  });
  if (handover.variant === 'emergency')
    items.push({
      section: 'digest',
      target: `#${config.slack.channelName}`,
      actions: [
        `post a context digest: the PagerDuty log of ${counts.incidents} incidents, the comments of ${counts.tickets} tickets and the channel's last hour`,
        'flag unclear threads for a team-wide catch-up',
      ],
      skipped: null,
    });
  if (handover.reason === 'departure')
    items.push({
      section: 'audit',
      target: 'platform.impersonation_ended',
      actions: [`check the audit log shows platform.impersonation_ended for every session ended above`],
      skipped: null,
    });
  items.push({
    section: 'verify',
    target: config.pagerduty.serviceId,
    actions: [
      `check no open incident in the service and no pinned ticket is still assigned to ${handover.outgoing}`,
    ],
    skipped: null,
  });
  return items;
}

export function countsOf(items: PlannedItem[]): SummaryCounts {
  const active = (section: ActionSection) =>
    items.filter((item) => item.section === section && item.skipped === null).length;
  return { incidents: active('incidents'), tickets: active('tickets'), rollouts: active('rollouts') };
}
