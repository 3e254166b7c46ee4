import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { PdIncident } from '../../providers/types.js';
import type { RuleId } from '../../rules/registry.js';
import { rosterEntry } from '../people.js';

/**
 * What plan says about one item. `error` means something would be stranded (plan exits 1);
 * `warning` is worth a reviewer's look but apply can proceed; `info` is context.
 * The rule ids are registered in src/rules/registry.ts (docs/reference/rules.md).
 */
export interface PlanFinding {
  severity: 'error' | 'warning' | 'info';
  section: 'incidents' | 'tickets' | 'rollouts' | 'sessions' | 'window' | 'outage' | 'permissions';
  target: string;
  rule: RuleId;
  message: string;
}

/** Who is who in this handover, resolved once from the roster. */
export interface People {
  outgoing: string;
  incoming: string;
  outgoingPagerDuty: string | undefined;
  incomingPagerDuty: string | undefined;
  outgoingTracker: string;
}

export function people(handover: Handover, config: HandoverConfig): People {
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
export function quoted(id: string, title: string | undefined): string {
  return title ? `${id} "${title}"` : id;
}

export function isOpen(incident: PdIncident): boolean {
  return incident.status === 'triggered' || incident.status === 'acknowledged';
}
