import { shortSha } from '../../format.js';
import { escapeMarkdownInline } from '../../render/escape.js';
import type { ActionSection, PlannedItem } from './actions.js';
import { type Plan, planSucceeded } from './plan.js';
import { resultLine, SECTION_ORDER, SECTION_TITLES } from './render-text.js';
import { renderGantt } from './timeline.js';

/** The marker that finds plan's one comment on a pull request again (upsertMarkedComment). */
export const PLAN_COMMENT_MARKER = '<!-- handover:plan -->';

/** GitHub refuses comment bodies over 65 536 characters; keep room for the marker and notes. */
const MAX_BODY = 60_000;

const SEVERITY_BADGE = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' } as const;

function cell(text: string | undefined): string {
  return text === undefined || text === '' ? '' : escapeMarkdownInline(text);
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function willDo(item: PlannedItem): string {
  if (item.skipped !== null) return `skipped: ${cell(item.skipped)}`;
  // Each action is escaped on its own; the line breaks between them are ours.
  return item.actions.map(cell).join('<br>');
}

function sectionTable(section: ActionSection, items: PlannedItem[]): string {
  const withTitles = items.some((item) => item.title !== undefined);
  const header = withTitles ? ['item', 'title', 'now', 'apply will'] : ['item', 'now', 'apply will'];
  const rows = items.map((item) =>
    withTitles
      ? [cell(item.target), cell(item.title), cell(item.live), willDo(item)]
      : [cell(item.target), cell(item.live), willDo(item)],
  );
  return `#### ${SECTION_TITLES[section]}\n\n${table(header, rows)}`;
}

function acknowledgementLine(plan: Plan): string | null {
  const ack = plan.acknowledgement;
  if (!ack) return null;
  if (ack.ok)
    return `**Acknowledgement:** ✅ ${cell(ack.approver ?? '')} approved commit ${shortSha(ack.headSha)}, the head of this pull request.`;
  return [
    `**Acknowledgement:** ❌ missing`,
    '',
    ...ack.problems.map((problem) => `- ${cell(problem.message)} (${cell(problem.rule)})`),
  ].join('\n');
}

function findingsTable(plan: Plan): string | null {
  if (plan.findings.length === 0) return null;
  return `#### Findings\n\n${table(
    ['', 'rule', 'item', 'finding'],
    plan.findings.map((finding) => [
      SEVERITY_BADGE[finding.severity],
      cell(finding.rule),
      cell(finding.target),
      cell(finding.message),
    ]),
  )}`;
}

/** What a reviewer reads on the pull request: summary, findings, the timeline, a table per section. */
export function renderPlanMarkdown(plan: Plan): string {
  const { handover } = plan;
  // The headline says what blocks the merge, the acknowledgement included, never ✅ while the check fails.
  const ok = planSucceeded(plan);
  const head = [
    PLAN_COMMENT_MARKER,
    `### Handover plan: ${cell(handover.id)}`,
    '',
    `${ok ? '✅' : '❌'} ${cell(resultLine(plan, 'below'))}`,
    '',
    `**${cell(handover.outgoing)} → ${cell(handover.incoming)}** · ${cell(handover.variant)} · ${cell(handover.reason)} · manifest ${cell(plan.file)} · live state read at ${cell(plan.readAt)}`,
  ];
  const ack = acknowledgementLine(plan);
  if (ack) head.push('', ack);
  const findings = findingsTable(plan);
  const timeline = `#### Timeline (UTC)\n\n\`\`\`mermaid\n${renderGantt(plan.timeline, `${handover.outgoing} to ${handover.incoming}`)}\n\`\`\``;
  const sections = SECTION_ORDER.flatMap((section) => {
    const items = plan.items.filter((item) => item.section === section);
    return items.length > 0 ? [sectionTable(section, items)] : [];
  });
  const full = [head.join('\n'), ...(findings ? [findings] : []), timeline, ...sections].join('\n\n');
  if (full.length <= MAX_BODY) return `${full}\n`;
  // A huge handover: keep the verdict and the findings, point to the log for the item tables.
  const short = [
    head.join('\n'),
    '_The item tables are too long for a comment: the full plan is in the job log._',
    ...(findings ? [findings] : []),
  ].join('\n\n');
  return `${short.slice(0, MAX_BODY)}\n`;
}
