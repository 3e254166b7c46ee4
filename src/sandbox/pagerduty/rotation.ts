/** A schedule's single rotation layer and its overrides, as the model stores them (see ./model.ts). */
export interface RotationRecord {
  userIds: string[];
  /** A hand-off instant (ISO); turns before it are computed backwards, so the layer has no gaps. */
  start: string;
  turnLengthSeconds: number;
}

export interface OverrideRecord {
  id: string;
  start: string;
  end: string;
  userId: string;
  createdAt: string;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  timeZone: string;
  rotation: RotationRecord;
  /** In creation order: where two overlap, the later one wins (as in PagerDuty). */
  overrides: OverrideRecord[];
}

/** Who is on call from `start` (inclusive) to `end` (exclusive), in epoch milliseconds. */
export interface Shift {
  userId: string;
  start: number;
  end: number;
}

/** The rotation layer's turns that overlap [from, to). */
export function rotationShifts(rotation: RotationRecord, from: number, to: number): Shift[] {
  const count = rotation.userIds.length;
  const length = rotation.turnLengthSeconds * 1000;
  if (count === 0 || length <= 0 || to <= from) return [];
  const anchor = Date.parse(rotation.start);
  const shifts: Shift[] = [];
  for (let turn = Math.floor((from - anchor) / length); anchor + turn * length < to; turn += 1) {
    const userId = rotation.userIds[((turn % count) + count) % count]!;
    shifts.push({ userId, start: anchor + turn * length, end: anchor + (turn + 1) * length });
  }
  return shifts;
}

/** Lays one override over the shifts: the part it covers becomes the override's user. */
function applyOverride(shifts: Shift[], override: OverrideRecord, from: number, to: number): Shift[] {
  const start = Math.max(Date.parse(override.start), from);
  const end = Math.min(Date.parse(override.end), to);
  if (end <= start) return shifts;
  const result: Shift[] = [];
  for (const shift of shifts) {
    if (shift.end <= start || shift.start >= end) {
      result.push(shift);
      continue;
    }
    if (shift.start < start) result.push({ ...shift, end: start });
    if (shift.end > end) result.push({ ...shift, start: end });
  }
  result.push({ userId: override.userId, start, end });
  return result.sort((a, b) => a.start - b.start);
}

/** Adjacent shifts of the same user are one shift, as PagerDuty's final schedule shows them. */
function mergeAdjacent(shifts: Shift[]): Shift[] {
  const merged: Shift[] = [];
  for (const shift of shifts) {
    const last = merged.at(-1);
    if (last && last.userId === shift.userId && last.end === shift.start) last.end = shift.end;
    else merged.push({ ...shift });
  }
  return merged;
}

/**
 * The final schedule over [from, to): the rotation with every override laid on top in creation
 * order, so the newest override wins where two overlap.
 */
export function finalSchedule(schedule: ScheduleRecord, from: number, to: number): Shift[] {
  let shifts = rotationShifts(schedule.rotation, from, to).map((s) => ({
    ...s,
    start: Math.max(s.start, from),
    end: Math.min(s.end, to),
  }));
  for (const override of schedule.overrides) shifts = applyOverride(shifts, override, from, to);
  return mergeAdjacent(shifts);
}

/**
 * The shifts overlapping [since, until] with their real bounds (not cut at the query's): computed
 * over a margin of one turn on either side and across any override that reaches into the range.
 * `since === until` asks who is on call at that instant.
 */
export function shiftsOverlapping(schedule: ScheduleRecord, since: number, until: number): Shift[] {
  const margin = Math.max(schedule.rotation.turnLengthSeconds * 1000, 1);
  let from = since - margin;
  let to = until + margin;
  for (const override of schedule.overrides) {
    const start = Date.parse(override.start);
    const end = Date.parse(override.end);
    if (start <= until && end >= since) {
      from = Math.min(from, start - margin);
      to = Math.max(to, end + margin);
    }
  }
  return finalSchedule(schedule, from, to).filter((shift) =>
    since === until ? shift.start <= since && since < shift.end : shift.start < until && shift.end > since,
  );
}

/** The user on call at one instant, or null when nobody is. */
export function onCallAt(schedule: ScheduleRecord, at: number): string | null {
  return shiftsOverlapping(schedule, at, at)[0]?.userId ?? null;
}
