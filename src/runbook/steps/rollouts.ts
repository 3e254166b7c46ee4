import type { Handover, HandoverRollout } from '../../manifest/types.js';
import type { Rollout, RolloutAnnotation } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { LiveState } from '../live-state.js';
import type { People, PlanFinding } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import { mapConcurrent } from '../runtime/concurrency.js';
import type { ItemResult } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';

const EVERY_STATE: Rollout['state'][] = ['ramping', 'paused', 'complete', 'rolled_back'];

/** The annotation this handover writes, as the platform stores it. */
export function annotationFor(item: HandoverRollout, author: string) {
  return {
    rampPercent: item.rampPercent,
    lastErrorRatePercent: item.lastErrorRatePercent,
    nextStep: item.nextStep,
    author,
  };
}

function sameAnnotation(a: RolloutAnnotation, b: ReturnType<typeof annotationFor>): boolean {
  return (
    a.author === b.author &&
    a.rampPercent === b.rampPercent &&
    a.lastErrorRatePercent === b.lastErrorRatePercent &&
    a.nextStep === b.nextStep
  );
}

/**
 * Step 4: per rollout in flight, the outgoing admin's annotation (ramp, last error rate, next step) —
 * unless an identical one by them is there — and the incoming admin as the annotation's owner. A
 * rollout that is no longer ramping or paused is skipped with a warning.
 */
export async function handOverRollouts(run: StepRun): Promise<void> {
  const { ctx } = run;
  if (ctx.handover.rollouts.length === 0) {
    run.info('no rollouts in this handover');
    ctx.results.rollouts = [];
    return;
  }
  let rollouts: Rollout[];
  try {
    rollouts = await ctx.read.platform.listRollouts(EVERY_STATE);
  } catch (error) {
    for (const item of ctx.handover.rollouts)
      run.fail(`rollout ${logValue(item.flag)}`, 'annotate', error, 'could not read the rollouts');
    ctx.results.rollouts = ctx.handover.rollouts.map((r) => ({
      id: r.flag,
      title: null,
      covered: false,
      failed: true,
    }));
    return;
  }
  const byFlag = new Map(rollouts.map((r) => [r.flag, r]));
  ctx.results.rollouts = await mapConcurrent(ctx.handover.rollouts, ctx.itemConcurrency, async (item) => {
    try {
      return await handOverRollout(run, item, byFlag.get(item.flag));
    } catch (error) {
      run.fail(`rollout ${logValue(item.flag)}`, 'hand over', error);
      return { id: item.flag, title: null, covered: false, failed: true };
    }
  });
}

async function handOverRollout(
  run: StepRun,
  item: HandoverRollout,
  rollout: Rollout | undefined,
): Promise<ItemResult> {
  const { ctx } = run;
  const { outgoing, incoming } = ctx;
  const target = `rollout ${logValue(item.flag)}`;
  const result = (covered: boolean, failed: boolean): ItemResult => ({
    id: item.flag,
    title: null,
    covered,
    failed,
  });
  if (!rollout) {
    run.failure(target, 'annotate', 'the feature-flag console does not know this flag');
    return result(false, true);
  }
  if (rollout.state !== 'ramping' && rollout.state !== 'paused') {
    run.skipWithWarning(
      target,
      'annotate',
      `now ${logValue(rollout.state)}, no longer in flight: left alone`,
    );
    return result(false, false);
  }

  const wanted = annotationFor(item, outgoing.tracker);
  const readBack = async () =>
    (await ctx.read.platform.listRollouts(EVERY_STATE)).find((r) => r.flag === item.flag);
  const summary = `ramp ${item.rampPercent}%, last error rate ${item.lastErrorRatePercent}%, next step ${logValue(item.nextStep)}`;

  const existing = rollout.annotations.find((a) => sameAnnotation(a, wanted));
  if (existing) {
    ctx.results.traceTimes.push(existing.createdAt);
    run.record(target, 'annotate', 'already-done', `${outgoing.tracker}'s identical annotation is there`);
  } else {
    const outcome = await run.perform({
      target,
      action: 'annotate',
      done: `annotated as ${outgoing.tracker}: ${summary}`,
      would: `annotate as ${outgoing.tracker}: ${summary}`,
      write: async () => {
        const created = await ctx.write.platform.annotateRollout(item.flag, wanted);
        ctx.results.traceTimes.push(created.createdAt);
      },
      landed: async () => (await readBack())?.annotations.some((a) => sameAnnotation(a, wanted)) ?? false,
    });
    if (outcome === 'failed') return result(false, true);
  }

  if (rollout.owner === incoming.tracker) {
    run.record(target, 'take ownership', 'already-done', `${incoming.tracker} already owns the annotation`);
  } else {
    const outcome = await run.perform({
      target,
      action: 'take ownership',
      done: `${incoming.tracker} owns the annotation`,
      would: `make ${incoming.tracker} the annotation's owner`,
      write: () => ctx.write.platform.setAnnotationOwner(item.flag, incoming.tracker),
      landed: async () => (await readBack())?.owner === incoming.tracker,
    });
    if (outcome === 'failed') return result(true, true);
  }
  return result(true, false);
}

/** What plan shows for step 4: per listed rollout, the annotation and its new owner. */
export function planRollouts({ handover, live }: PlanInput): PlannedItem[] {
  return handover.rollouts.map((item) => {
    const rollout = live.rollouts.find((candidate) => candidate.flag === item.flag);
    const base = { section: 'rollouts' as const, target: item.flag };
    if (rollout === undefined)
      return { ...base, live: 'unknown to the console', actions: [], skipped: 'not found' };
    const state = `${rollout.state} at ${rollout.rampPercent}%, error rate ${rollout.errorRatePercent}%`;
    if (rollout.state !== 'ramping' && rollout.state !== 'paused')
      return { ...base, live: state, actions: [], skipped: `already ${rollout.state.replace('_', ' ')}` };
    return {
      ...base,
      live: state,
      actions: [
        `annotate from ${handover.outgoing}: ramp ${item.rampPercent}%, error rate ${item.lastErrorRatePercent}%, next step: ${item.nextStep}`,
        `make ${handover.incoming} the annotation owner${rollout.owner ? ` (now ${rollout.owner})` : ''}`,
      ],
      skipped: null,
    };
  });
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

export function rolloutFindings(handover: Handover, live: LiveState, who: People): PlanFinding[] {
  const findings: PlanFinding[] = [];
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
