import { formatUtc } from '../../format.js';
import type { Handover } from '../../manifest/types.js';
import type { PdOverride } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { LiveState } from '../live-state.js';
import { rosterEntry } from '../people.js';
import type { People, PlanFinding } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import type { StepRun } from '../runtime/step-run.js';
import { resolveWindow } from '../window.js';
import { decideFreeze, type SettledFreezeDecision } from './freeze-coverage.js';

/**
 * Step 1: make the incoming admin primary for the window with a PagerDuty schedule override
 * (emergency: from now). Read before write: an override for the incoming admin that already covers
 * the window (a re-run; in an emergency "now" has moved on, and the first run's override still
 * covers it) is already done — unless the final schedule shows a newer override of someone else
 * taking part of the window, when a new override (the newest wins) restores it. Weekly rotation: when
 * the schedule's own rotation already puts the incoming admin on call for the whole window, no
 * override is made. The decision is plan's `decideFreeze`, so plan and apply never disagree about it;
 * the final schedule (the on-call API) is read only when the decision depends on it.
 */
export async function freeze(run: StepRun): Promise<void> {
  const { ctx } = run;
  const { handover, incoming } = ctx;
  const scheduleId = ctx.config.pagerduty.scheduleId;
  const window = resolveWindow(handover, ctx.now());
  const target = `schedule ${logValue(scheduleId)}`;
  const span = `${window.start.toISOString()} → ${window.end.toISOString()}`;

  if (window.end.getTime() <= window.start.getTime()) {
    run.failure(
      target,
      'override',
      `the window ends at ${window.end.toISOString()}, which is already past: write a new manifest with a window that has not ended`,
    );
    return;
  }

  let overrides: Awaited<ReturnType<typeof ctx.read.pagerduty.listOverrides>>;
  try {
    overrides = await ctx.read.pagerduty.listOverrides(
      scheduleId,
      window.start.toISOString(),
      window.end.toISOString(),
    );
  } catch (error) {
    run.fail(target, 'override', error, 'could not read the schedule overrides');
    return;
  }

  const inputs = { variant: handover.variant, incoming: incoming.pagerduty, window, overrides };
  const first = decideFreeze(inputs);
  let decision: SettledFreezeDecision;
  if (first.kind === 'needs-on-calls') {
    try {
      const onCalls = await ctx.read.pagerduty.listOnCalls(
        scheduleId,
        window.start.toISOString(),
        window.end.toISOString(),
      );
      decision = decideFreeze({ ...inputs, onCalls });
    } catch (error) {
      run.fail(target, 'override', error, 'could not read the on-call schedule');
      return;
    }
  } else {
    decision = first;
  }

  switch (decision.kind) {
    case 'override-stands': {
      const existing = decision.override;
      // PagerDuty writes it in the account's time zone; the run keeps instants in UTC.
      ctx.results.overrideStart = new Date(existing.start).toISOString();
      run.record(
        target,
        'override',
        'already-done',
        `override ${logValue(existing.id)} already makes ${incoming.handle} primary ${existing.start} → ${existing.end}`,
      );
      return;
    }
    case 'rotation-covers':
      run.record(
        target,
        'override',
        'skipped',
        `no override needed: auto-rotation already puts ${incoming.handle} on call for the whole window ${span}`,
      );
      return;
    case 'create':
      if (decision.superseded)
        run.info(
          `override ${logValue(decision.superseded.id)} for ${incoming.handle} covers the window, but a newer override of another admin takes part of it: overriding again (the newest override wins)`,
        );
      else if (decision.rotationGap)
        run.info(`auto-rotation does not cover ${incoming.handle} for the whole window ${span}: overriding`);
  }

  const outcome = await run.perform({
    target,
    action: 'override',
    done: `override makes ${incoming.handle} primary ${span}`,
    would: `create an override making ${incoming.handle} primary ${span}`,
    write: () =>
      ctx.write.pagerduty.createOverride(scheduleId, {
        start: window.start.toISOString(),
        end: window.end.toISOString(),
        userId: incoming.pagerduty,
      }),
    // One more override exactly like ours than before: an older one that covers the window (which the
    // new one supersedes) must not pass for this one.
    landed: async () => {
      const now = await ctx.read.pagerduty.listOverrides(
        scheduleId,
        window.start.toISOString(),
        window.end.toISOString(),
      );
      return exactly(now, incoming.pagerduty, window) > exactly(overrides, incoming.pagerduty, window);
    },
  });
  if (outcome !== 'failed') ctx.results.overrideStart = window.start.toISOString();
}

type Window = { start: Date; end: Date };

function exactly(overrides: readonly PdOverride[], userId: string, window: Window): number {
  return overrides.filter(
    (o) =>
      o.userId === userId &&
      Date.parse(o.start) === window.start.getTime() &&
      Date.parse(o.end) === window.end.getTime(),
  ).length;
}

/** What plan shows for step 1: the override apply will make, or why none is needed. */
export function planFreeze({ handover, config, live }: PlanInput): PlannedItem[] {
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
      return [
        {
          ...base,
          live: describe,
          actions: [],
          skipped: `auto-rotation already puts ${handover.incoming} on call: no override needed`,
        },
      ];
    if (decision.kind === 'override-stands')
      return [
        {
          ...base,
          live: describe,
          actions: [],
          skipped: `override ${decision.override.id} already covers the window`,
        },
      ];
    if (decision.superseded)
      superseded = ` (override ${decision.superseded.id} covers the window, but a newer override of another admin takes part of it)`;
  }
  return [
    {
      ...base,
      live: describe,
      actions: [
        `override: ${handover.incoming} primary from ${from} to ${formatUtc(window.end)}${superseded}`,
      ],
      skipped: null,
    },
  ];
}

export function windowFindings(handover: Handover, live: LiveState, who: People): PlanFinding[] {
  const findings: PlanFinding[] = [];
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
  const finding = (about: Pick<PlanFinding, 'severity' | 'rule' | 'message'>): PlanFinding => ({
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
