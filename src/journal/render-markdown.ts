import { shortSha } from '../format.js';
import { escapeMarkdownInline } from '../render/escape.js';
import { countOutcomes, describeCounts, describeFailures } from './counts.js';
import { describeAcknowledgement } from './render-text.js';
import {
  type ActionOutcome,
  type Journal,
  type JournalAction,
  type JournalOutcome,
  STEP_TITLES,
} from './types.js';

export interface MarkdownOptions {
  /** Link to the workflow run, shown under the heading. Only http(s) URLs are linked. */
  runUrl?: string;
  /**
   * Upper bound on the rendered size. GitHub caps a comment at 65 536 characters; a handover with
   * hundreds of items would exceed it, so above this the routine rows are summarised per step.
   */
  maxLength?: number;
}

const OUTCOME_MARKS: Record<ActionOutcome, string> = {
  done: '✅ done',
  'already-done': '☑️ already done',
  skipped: '⏭️ skipped',
  failed: '❌ failed',
  deferred: '⏸️ deferred',
};

const RUN_MARKS: Record<JournalOutcome, string> = {
  done: '✅ done',
  failed: '❌ failed',
  deferred: '⏸️ deferred',
  running: '⏳ still running (or stopped before it finished)',
};

const DEFAULT_MAX_LENGTH = 60_000;
const TABLE_HEAD = '| Step | Target | Action | Outcome | Detail |\n|---|---|---|---|---|';

/**
 * The journal as GitHub Markdown for the job summary and the pull request comment. Every cell is
 * escaped with escapeMarkdownInline: manifest and service text cannot mention anyone, break the
 * table, or inject HTML, links or images.
 */
export function renderJournalMarkdown(journal: Journal, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const head = renderHead(journal, options.runUrl);
  const full = `${head}\n${TABLE_HEAD}\n${journal.actions.map(row).join('\n')}\n`;
  if (full.length <= maxLength) return full;

  // Too long: keep every row that needs attention and count the routine ones per step.
  const notable = journal.actions.filter((a) => a.outcome !== 'done' && a.outcome !== 'already-done');
  const routine = summariseRoutine(journal.actions);
  const note = `\n_${journal.actions.length - notable.length} routine rows (done / already done) are summarised per step; the journal artifact has every action._\n`;
  let rows = notable.map(row);
  let body = `${head}${note}\n${routine}\n\n${TABLE_HEAD}\n${rows.join('\n')}\n`;
  while (body.length > maxLength && rows.length > 0) {
    rows = rows.slice(0, Math.floor(rows.length * 0.8));
    const omitted = notable.length - rows.length;
    body = `${head}${note}\n${routine}\n\n${TABLE_HEAD}\n${rows.join('\n')}\n\n_… and ${omitted} more rows that needed attention: see the journal artifact._\n`;
  }
  return body;
}

function renderHead(journal: Journal, runUrl: string | undefined): string {
  const counts = countOutcomes(journal.actions);
  const title = `### Handover ${escapeMarkdownInline(journal.id)}: ${journal.dryRun ? 'dry run, ' : ''}${RUN_MARKS[journal.outcome]}`;
  const lines = [title, '', `${acknowledgementMarkdown(journal)}.`, `${describeCounts(counts)}.`];
  const failures = describeFailures(journal.actions);
  if (failures) lines.push(`${failures}.`);
  lines.push(
    `Manifest SHA-256 ${escapeMarkdownInline(journal.manifestSha256)}; started ${journal.startedAt}, finished ${journal.finishedAt}.`,
  );
  const link = safeLink(runUrl);
  if (link) lines.push(`[Workflow run log](${link})`);
  return `${lines.join('  \n')}\n`;
}

function acknowledgementMarkdown(journal: Journal): string {
  if (!journal.acknowledgementVerified) return `**${describeAcknowledgement(journal)}**`;
  const approver = escapeMarkdownInline(journal.approver ?? 'unknown');
  const sha = escapeMarkdownInline(shortSha(journal.approvedSha));
  return `acknowledged by ${approver} via approval of PR #${journal.pullRequest} at commit ${sha}`;
}

function row(action: JournalAction): string {
  const outcome =
    action.outcome === 'failed'
      ? `${OUTCOME_MARKS.failed} (${action.failure ?? 'failure'})`
      : OUTCOME_MARKS[action.outcome];
  // Every cell escaped, ours included: one rule, no cell can ever break the table.
  const cells = [STEP_TITLES[action.step], action.target, action.action, outcome, action.detail].map(
    escapeMarkdownInline,
  );
  return `| ${cells.join(' | ')} |`;
}

function summariseRoutine(actions: readonly JournalAction[]): string {
  const byStep = new Map<string, { done: number; already: number }>();
  for (const action of actions) {
    if (action.outcome !== 'done' && action.outcome !== 'already-done') continue;
    const entry = byStep.get(action.step) ?? { done: 0, already: 0 };
    if (action.outcome === 'done') entry.done += 1;
    else entry.already += 1;
    byStep.set(action.step, entry);
  }
  return [...byStep.entries()]
    .map(
      ([step, n]) =>
        `- ${STEP_TITLES[step as JournalAction['step']]}: ${n.done} done, ${n.already} already done`,
    )
    .join('\n');
}

/** Only an http(s) URL is linked, with the characters that could end the link target encoded. */
function safeLink(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return null;
  }
}
