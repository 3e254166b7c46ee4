import { plural, shortSha } from '../../format.js';
import { printable } from '../../manifest/wording.js';
import type { ActionSection, PlannedItem } from './actions.js';
import { type Plan, planBlockers } from './plan.js';

export const SECTION_TITLES: Record<ActionSection, string> = {
  outage: 'Outage',
  window: 'Override window',
  incidents: 'Incidents',
  tickets: 'Tickets',
  sessions: 'Impersonation sessions',
  rollouts: 'Rollouts',
  summary: 'Slack summary',
  digest: 'Emergency digest',
  audit: 'Audit',
  verify: 'Verify',
};

export const SECTION_ORDER = Object.keys(SECTION_TITLES) as ActionSection[];

/**
 * One line a reader can act on: "Nothing would be stranded: …", or exactly what blocks the merge (work
 * stranded, the acknowledgement missing, or both). `findingsAre` says where the findings are printed.
 */
export function resultLine(plan: Plan, findingsAre: 'above' | 'below' = 'above'): string {
  const blockers = planBlockers(plan, findingsAre);
  const { incidents, tickets, rollouts } = plan.counts;
  if (blockers.length > 0) return blockers.join(' ');
  return `Nothing would be stranded: ${plural(incidents, 'incident')}, ${plural(tickets, 'ticket')} and ${plural(rollouts, 'rollout')} move to ${plan.handover.incoming}.`;
}

function itemLines(item: PlannedItem): string[] {
  const title = item.title ? ` ${JSON.stringify(printable(item.title))}` : '';
  const live = item.live ? `  (${printable(item.live)})` : '';
  const head = `  ${printable(item.target)}${title}${live}`;
  if (item.skipped !== null) return [`${head}`, `    - skipped: ${printable(item.skipped)}`];
  return [head, ...item.actions.map((action) => `    + ${printable(action)}`)];
}

/** The plan for a terminal or the Actions log. */
export function renderPlanText(plan: Plan): string {
  const { handover } = plan;
  const lines = [
    `Plan for ${printable(plan.file)} (${printable(handover.id)})`,
    `  ${handover.outgoing} → ${handover.incoming} · ${handover.variant} · ${handover.reason} · live state read at ${plan.readAt}`,
  ];
  for (const section of SECTION_ORDER) {
    const items = plan.items.filter((item) => item.section === section);
    if (items.length === 0) continue;
    lines.push('', SECTION_TITLES[section], ...items.flatMap(itemLines));
  }
  if (plan.findings.length > 0) {
    lines.push('', 'Findings');
    for (const finding of plan.findings)
      lines.push(
        `  ${finding.severity.padEnd(7)} ${finding.rule}  ${printable(finding.target)}: ${printable(finding.message)}`,
      );
  }
  lines.push('', resultLine(plan));
  const ack = plan.acknowledgement;
  if (ack) {
    lines.push(
      ack.ok
        ? `Acknowledged: ${ack.approver} approved ${shortSha(ack.headSha)}, the head of pull request #${ack.pullRequest}.`
        : `Not acknowledged (pull request #${ack.pullRequest}):`,
      ...ack.problems.map((problem) => `  ${problem.rule}  ${printable(problem.message)}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
