import type { Handover } from '../manifest/types.js';

export interface ResolvedWindow {
  start: Date;
  end: Date;
  /** An emergency manifest without `window.start`: the override starts when apply runs. */
  startsAtApply: boolean;
}

/** The override window as instants; an emergency window without a start begins "now" (docs/design.md#the-manifest). */
export function resolveWindow(handover: Handover, now: Date): ResolvedWindow {
  const start = handover.window.start ? new Date(handover.window.start) : now;
  return { start, end: new Date(handover.window.end), startsAtApply: handover.window.start === undefined };
}
