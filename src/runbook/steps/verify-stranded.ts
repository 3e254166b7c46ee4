import type { HandoverConfig } from '../../config/types.js';
import type { Handover, HandoverRollout } from '../../manifest/types.js';
import type { PdIncident, Rollout } from '../../providers/types.js';
import type { RuleId } from '../../rules/registry.js';
import type { LiveState } from '../live-state.js';
import { nameForPagerDutyUser, rosterEntry } from '../people.js';
import { resolveWindow } from '../window.js';
import { decideFreeze } from './freeze-coverage.js';
import { listedSessionIds } from './tickets-session-ids.js';

/**
 * What plan says about one item. `error` means something would be stranded (plan exits 1);
 * `warning` is worth a reviewer's look but apply can proceed; `info` is context.
 * The rule ids are stable and documented in docs/plan.md.
 */
export interface PlanFinding {
  severity: 'error' | 'warning' | 'info';
  section: 'incidents' | 'tickets' | 'rollouts' | 'sessions' | 'window' | 'outage';
  target: string;
  rule: RuleId;
  message: string;
}

type Finding = PlanFinding;

/** Who is who in this handover, resolved once from the roster. */
interface People {
  outgoing: string;
  incoming: string;
  outgoingPagerDuty: string | undefined;
  incomingPagerDuty: string | undefined;
  outgoingTracker: string;
}

function people(handover: Handover, config: HandoverConfig): People {
  const outgoing = rosterEntry(config, handover.outgoing);
  const incoming = rosterEntry(config, handover.incoming);
  return {
    outgoing: handover.outgoing,
    incoming: handover.incoming,
    outgoingPagerDuty: outgoing?.pagerduty,
    incomingPagerDuty: incoming?.pagerduty,
    outgoingTracker: outgoing?.tracker ?? handover.outgoing,
  };
}

/** `Q1ABC "EU API latency"`: an item as a reader recognises it. Titles are data; renderers escape them. */
function quoted(id: string, title: string | undefined): string {
  return title ? `${id} "${title}"` : id;
}

function isOpen(incident: PdIncident): boolean {
  return incident.status === 'triggered' || incident.status === 'acknowledged';
}

function incidentFindings(
  handover: Handover,
  config: HandoverConfig,
  live: LiveState,
  who: People,
): Finding[] {
  const findings: Finding[] = [];
  const listed = new Set(handover.incidents.map((incident) => incident.id));
  // During a mid-shift outage the outage incident is handed over by the outage block, not the list.
  const outageId = handover.variant === 'mid-shift-outage' ? handover.outage?.incident : undefined;

  for (const incident of live.openIncidents) {
    if (listed.has(incident.id) || incident.id === outageId) continue;
    const ours = who.outgoingPagerDuty !== undefined && incident.assigneeIds.includes(who.outgoingPagerDuty);
    if (ours) {
      findings.push({
        severity: 'error',
        section: 'incidents',
        target: incident.id,
        rule: 'incident.omitted',
        message: `${quoted(incident.id, incident.title)} is ${incident.status} and assigned to ${who.outgoing}, but the manifest does not list it: add it under incidents with its status paragraph, or resolve it before the handover`,
      });
    } else {
      const assignees = incident.assigneeIds.map((id) => nameForPagerDutyUser(config, id));
      findings.push({
        severity: 'info',
        section: 'incidents',
        target: incident.id,
        rule: 'incident.not-outgoing',
        message: `${quoted(incident.id, incident.title)} is ${incident.status} in the service but assigned to ${assignees.length > 0 ? assignees.join(', ') : 'nobody'}, not ${who.outgoing}: not part of this handover`,
      });
    }
  }

  for (const item of handover.incidents) {
    const incident = live.manifestIncidents.get(item.id) ?? null;
    if (incident === null) {
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.unknown',
        message: `PagerDuty does not know incident ${item.id}: check the id; apply will skip it`,
      });
      continue;
    }
    if (!isOpen(incident)) {
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.resolved',
        message: `${quoted(item.id, incident.title)} is already resolved: apply will skip it; remove it from the manifest or leave it as a record`,
      });
      continue;
    }
    if (incident.serviceId !== config.pagerduty.serviceId) {
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.other-service',
        message: `${quoted(item.id, incident.title)} belongs to service ${incident.serviceId}, not ${config.pagerduty.serviceId}: apply will still reassign it to ${who.incoming}; remove it if that is not intended`,
      });
    }
    const ours = who.outgoingPagerDuty !== undefined && incident.assigneeIds.includes(who.outgoingPagerDuty);
    if (!ours) {
      const assignees = incident.assigneeIds.map((id) => nameForPagerDutyUser(config, id));
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.not-outgoing',
        message: `${quoted(item.id, incident.title)} is assigned to ${assignees.length > 0 ? assignees.join(', ') : 'nobody'}, not ${who.outgoing}: apply will still reassign it to ${who.incoming}`,
      });
    }
  }
  return findings;
}

function ticketFindings(handover: Handover, live: LiveState, who: People): Finding[] {
  const findings: Finding[] = [];
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

function sessionFindings(handover: Handover, live: LiveState, who: People): Finding[] {
  const findings: Finding[] = [];
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

function percent(value: number): string {
  return `${value}%`;
}

/** Error rates are observations: differences below a hundredth of a percent are noise. */
function sameRate(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.005;
}

function drift(item: HandoverRollout, rollout: Rollout): string[] {
  const differences: string[] = [];
  if (rollout.state !== item.state) differences.push(`state is ${rollout.state}, not ${item.state}`);
  if (rollout.rampPercent !== item.rampPercent)
    differences.push(`ramp is ${percent(rollout.rampPercent)}, not ${percent(item.rampPercent)}`);
  if (!sameRate(rollout.errorRatePercent, item.lastErrorRatePercent))
    differences.push(
      `error rate is ${percent(rollout.errorRatePercent)}, not ${percent(item.lastErrorRatePercent)}`,
    );
  return differences;
}

function rolloutFindings(handover: Handover, live: LiveState, who: People): Finding[] {
  const findings: Finding[] = [];
  const listed = new Map(handover.rollouts.map((rollout) => [rollout.flag, rollout]));
  const liveByFlag = new Map(live.rollouts.map((rollout) => [rollout.flag, rollout]));
  for (const rollout of live.rollouts) {
    if (listed.has(rollout.flag) || (rollout.state !== 'ramping' && rollout.state !== 'paused')) continue;
    const owner = rollout.owner ? ` (annotation owner: ${rollout.owner})` : '';
    findings.push({
      severity: 'error',
      section: 'rollouts',
      target: rollout.flag,
      rule: 'rollout.omitted',
      message: `rollout ${rollout.flag} is ${rollout.state} at ${percent(rollout.rampPercent)}${owner}, but the manifest does not annotate it: every rollout in flight is handed over; add it under rollouts with its next step`,
    });
  }
  for (const item of handover.rollouts) {
    const rollout = liveByFlag.get(item.flag);
    if (rollout === undefined) {
      findings.push({
        severity: 'warning',
        section: 'rollouts',
        target: item.flag,
        rule: 'rollout.unknown',
        message: `the feature-flag console does not know rollout ${item.flag}: check the flag name; apply will skip it`,
      });
    } else if (rollout.state === 'complete' || rollout.state === 'rolled_back') {
      findings.push({
        severity: 'warning',
        section: 'rollouts',
        target: item.flag,
        rule: 'rollout.finished',
        message: `rollout ${item.flag} is already ${rollout.state === 'complete' ? 'complete' : 'rolled back'}: apply will skip it; remove it from the manifest`,
      });
    } else {
      const differences = drift(item, rollout);
      if (differences.length > 0)
        findings.push({
          severity: 'warning',
          section: 'rollouts',
          target: item.flag,
          rule: 'rollout.drift',
          message: `rollout ${item.flag} has moved since the manifest was written: ${differences.join('; ')}; update the annotation so ${who.incoming} starts from the current numbers`,
        });
    }
  }
  return findings;
}

function windowFindings(handover: Handover, live: LiveState, who: People): Finding[] {
  const findings: Finding[] = [];
  const now = new Date(live.readAt);
  const window = resolveWindow(handover, now);
  const target = `${handover.window.start ?? 'apply'} → ${handover.window.end}`;
  if (window.end.getTime() <= now.getTime()) {
    findings.push({
      severity: 'error',
      section: 'window',
      target,
      rule: 'window.ended',
      message: `the window ended at ${handover.window.end}: no override can cover it any more; move the window to when the handover happens`,
    });
    return findings;
  }
  if (who.incomingPagerDuty === undefined) return findings;
  const decision = decideFreeze({
    variant: handover.variant,
    incoming: who.incomingPagerDuty,
    window,
    overrides: live.overrides,
    onCalls: live.onCalls,
  });
  const finding = (about: Pick<Finding, 'severity' | 'rule' | 'message'>): Finding => ({
    ...about,
    section: 'window',
    target,
  });
  if (decision.kind === 'rotation-covers')
    findings.push(
      finding({
        severity: 'info',
        rule: 'window.rotation-covers',
        message: `auto-rotation already puts ${who.incoming} on call for the whole window: no override needed`,
      }),
    );
  else if (decision.kind === 'override-stands')
    findings.push(
      finding({
        severity: 'info',
        rule: 'window.override-exists',
        message: `override ${decision.override.id} already makes ${who.incoming} primary from ${decision.override.start} to ${decision.override.end}: apply will not make a second one`,
      }),
    );
  else if (decision.superseded)
    findings.push(
      finding({
        severity: 'warning',
        rule: 'window.override-superseded',
        message: `override ${decision.superseded.id} makes ${who.incoming} primary from ${decision.superseded.start} to ${decision.superseded.end}, but a newer override of another admin takes part of the window (the newest override wins): apply will make a new override`,
      }),
    );
  else if (decision.rotationGap)
    findings.push(
      finding({
        severity: 'warning',
        rule: 'window.rotation-gap',
        message: `auto-rotation does not put ${who.incoming} on call for the whole window: an override will be made; check the rotation if this is a routine weekly handover`,
      }),
    );
  return findings;
}

function outageFindings(handover: Handover, live: LiveState): Finding[] {
  if (handover.variant !== 'mid-shift-outage' || !handover.outage) return [];
  const id = handover.outage.incident;
  const incident = live.outageIncident ?? null;
  if (incident === null)
    return [
      {
        severity: 'warning',
        section: 'outage',
        target: id,
        rule: 'outage.unknown',
        message: `PagerDuty does not know the outage incident ${id}: check outage.incident; apply waits for it to be resolved`,
      },
    ];
  if (isOpen(incident))
    return [
      {
        severity: 'error',
        section: 'outage',
        target: id,
        rule: 'outage.unresolved',
        message: `the outage ${quoted(id, incident.title)} is still ${incident.status}: the formal handover waits until it is resolved (apply defers, exit 3); ${handover.outage.lead} leads meanwhile`,
      },
    ];
  return [
    {
      severity: 'info',
      section: 'outage',
      target: id,
      rule: 'outage.resolved',
      message: `the outage ${quoted(id, incident.title)} is resolved: the formal handover can go ahead`,
    },
  ];
}

const SEVERITY_ORDER: Record<PlanFinding['severity'], number> = { error: 0, warning: 1, info: 2 };

/**
 * Compares the manifest with the live world: what would be stranded (errors), what deserves a look
 * (warnings) and context (info). Pure; sorted by severity, then in section order.
 */
export function findStranded(handover: Handover, config: HandoverConfig, live: LiveState): PlanFinding[] {
  const who = people(handover, config);
  const findings = [
    ...outageFindings(handover, live),
    ...windowFindings(handover, live, who),
    ...incidentFindings(handover, config, live, who),
    ...ticketFindings(handover, live, who),
    ...sessionFindings(handover, live, who),
    ...rolloutFindings(handover, live, who),
  ];
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index,
    )
    .map(({ finding }) => finding);
}
