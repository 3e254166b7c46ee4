import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { LiveState } from '../live-state.js';
import { type PlanFinding, people } from '../plan/finding.js';
import { windowFindings } from './freeze.js';
import { incidentFindings } from './incidents.js';
import { outageFindings } from './preflight.js';
import { rolloutFindings } from './rollouts.js';
import { sessionFindings, ticketFindings } from './tickets.js';

export type { PlanFinding } from '../plan/finding.js';

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
