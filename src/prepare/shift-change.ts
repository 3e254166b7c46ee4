/**
 * The next shift change on the schedule's final layer, in roster terms. Pure: the schedule entries
 * come from PagerDuty (GET /schedules/{id} → final_schedule.rendered_schedule_entries).
 */
import type { HandoverConfig } from '../config/types.js';
import type { ScheduleEntry } from '../providers/pagerduty/schedule.js';
import { handleForPagerDutyUser } from '../runbook/people.js';

export interface ShiftChange {
  /** ISO instant, to the second, `Z`. */
  at: string;
  /** PagerDuty user ids. */
  fromUser: string;
  toUser: string;
  /** Roster handles; undefined when the PagerDuty user is not in the roster. */
  outgoing: string | undefined;
  incoming: string | undefined;
}

export function isoSecond(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Every instant where the on-call user changes, in order. Where nobody is on call between two entries
 * there is no hand-over to prepare (a gap is the schedule owner's problem, not a handover).
 */
export function shiftChanges(entries: readonly ScheduleEntry[], config: HandoverConfig): ShiftChange[] {
  const sorted = [...entries].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const changes: ShiftChange[] = [];
  for (let i = 1; i < sorted.length; i += 1) {
    const before = sorted[i - 1]!;
    const after = sorted[i]!;
    if (before.userId === after.userId) continue;
    if (Date.parse(before.end) !== Date.parse(after.start)) continue;
    changes.push({
      at: isoSecond(Date.parse(after.start)),
      fromUser: before.userId,
      toUser: after.userId,
      outgoing: handleForPagerDutyUser(config, before.userId),
      incoming: handleForPagerDutyUser(config, after.userId),
    });
  }
  return changes;
}

/** The first change after `now` (strictly), or undefined. */
export function nextChange(changes: readonly ShiftChange[], now: Date): ShiftChange | undefined {
  return changes.find((change) => Date.parse(change.at) > now.getTime());
}
