import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { LiveState } from '../live-state.js';

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

/** One item of the handover and what apply will do to it, in the order apply does it (docs/design.md#what-apply-does). */
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

/** What every step's planner reads: the manifest, the config and the live state, read once. */
export interface PlanInput {
  handover: Handover;
  config: HandoverConfig;
  live: LiveState;
}

/**
 * One runbook step's part of the plan: what apply will do in that step, item by item. Pure. `earlier`
 * is what the steps before it planned (the summary counts the items that will move).
 */
export type StepPlanner = (input: PlanInput, earlier: readonly PlannedItem[]) => PlannedItem[];

export interface SummaryCounts {
  incidents: number;
  tickets: number;
  rollouts: number;
}

/** How many incidents, tickets and rollouts apply will hand over (the items it will not skip). */
export function countsOf(items: readonly PlannedItem[]): SummaryCounts {
  const active = (section: ActionSection) =>
    items.filter((item) => item.section === section && item.skipped === null).length;
  return { incidents: active('incidents'), tickets: active('tickets'), rollouts: active('rollouts') };
}
