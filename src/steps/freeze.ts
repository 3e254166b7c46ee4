import type { StepRun } from '../apply/step-run.js';
import { overrideCovering, rotationCovers } from '../plan/coverage.js';
import { resolveWindow } from '../plan/window.js';
import { logValue } from '../render/escape.js';

/**
 * Step 1: make the incoming admin primary for the window with a PagerDuty schedule override
 * (emergency: from now). Read before write: an override for the incoming admin that already covers
 * the window (a re-run; in an emergency "now" has moved on, and the first run's override still
 * covers it) is already done. Weekly rotation: when the schedule's own rotation already puts the
 * incoming admin on call for the whole window, no override is made.
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

  const existing = overrideCovering(overrides, incoming.pagerduty, window.start, window.end);
  if (existing) {
    ctx.results.overrideStart = existing.start;
    run.record(
      target,
      'override',
      'already-done',
      `override ${logValue(existing.id)} already makes ${incoming.handle} primary ${existing.start} → ${existing.end}`,
    );
    return;
  }

  if (handover.variant === 'weekly-rotation') {
    try {
      const onCalls = await ctx.read.pagerduty.listOnCalls(
        scheduleId,
        window.start.toISOString(),
        window.end.toISOString(),
      );
      if (rotationCovers(onCalls, incoming.pagerduty, window.start, window.end)) {
        run.record(
          target,
          'override',
          'skipped',
          `no override needed: auto-rotation already puts ${incoming.handle} on call for the whole window ${span}`,
        );
        return;
      }
      run.info(`auto-rotation does not cover ${incoming.handle} for the whole window ${span}: overriding`);
    } catch (error) {
      run.fail(target, 'override', error, 'could not read the on-call schedule');
      return;
    }
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
    landed: async () => {
      const now = await ctx.read.pagerduty.listOverrides(
        scheduleId,
        window.start.toISOString(),
        window.end.toISOString(),
      );
      return overrideCovering(now, incoming.pagerduty, window.start, window.end) !== undefined;
    },
  });
  if (outcome !== 'failed') ctx.results.overrideStart = window.start.toISOString();
}
