import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { LiveState } from '../live-state.js';
import { planAudit } from '../steps/audit.js';
import { planDigest } from '../steps/digest.js';
import { planFreeze } from '../steps/freeze.js';
import { planIncidents } from '../steps/incidents.js';
import { planPreflight } from '../steps/preflight.js';
import { planRollouts } from '../steps/rollouts.js';
import { planSummary } from '../steps/summary.js';
import { planTickets } from '../steps/tickets.js';
import { planVerify } from '../steps/verify.js';
import type { PlannedItem, StepPlanner } from './item.js';

export type { ActionSection, PlannedItem, SummaryCounts } from './item.js';
export { countsOf } from './item.js';

/** The runbook's steps in the order apply runs them; each step's module says what it will do. */
const STEP_PLANNERS: readonly StepPlanner[] = [
  planPreflight,
  planFreeze,
  planIncidents,
  planTickets,
  planRollouts,
  planSummary,
  planDigest,
  planAudit,
  planVerify,
];

/** Everything apply will do, item by item, in its order: a loop over the runbook's steps. Pure. */
export function planItems(handover: Handover, config: HandoverConfig, live: LiveState): PlannedItem[] {
  const input = { handover, config, live };
  const items: PlannedItem[] = [];
  for (const plan of STEP_PLANNERS) items.push(...plan(input, items));
  return items;
}
