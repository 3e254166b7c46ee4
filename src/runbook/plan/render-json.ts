import { type Plan, planSucceeded, strandedCount } from './plan.js';

/** `plan --format json`: one object, stable field names (documented in docs/plan.md). */
export function renderPlanJson(plan: Plan): string {
  const document = {
    file: plan.file,
    id: plan.handover.id,
    ok: planSucceeded(plan),
    stranded: strandedCount(plan),
    readAt: plan.readAt,
    counts: plan.counts,
    items: plan.items,
    findings: plan.findings,
    timeline: plan.timeline.map((bar) => ({
      ...bar,
      start: bar.start.toISOString(),
      end: bar.end.toISOString(),
    })),
    ...(plan.acknowledgement ? { acknowledgement: plan.acknowledgement } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
