import { join, relative } from 'node:path';
import { renderText } from '../cli/report/diagnostics.js';
import { validateFiles } from '../core/validate.js';
import type { Diagnostic } from '../diagnostics.js';
import { plural } from '../format.js';
import type { Handover } from '../manifest/types.js';
import { escapeMarkdownInline } from '../render/escape.js';
import { type CommandContext, type CommandOutcome, type ItemCounts, NO_COUNTS } from './context.js';
import { logOutput } from './log-output.js';
import { resolveTargets } from './manifests.js';

const HEADING = '## Handover validate';

/** Rows beyond this are left out of the job summary (the log and the JSON have them all). */
const SUMMARY_ROWS = 200;

/** Annotations need the path relative to the repository root. */
function repoPath(workspace: string, file: string): string {
  const path = file.startsWith('/') ? relative(workspace, file) : file;
  return path.split('\\').join('/').replace(/^\.\//, '');
}

function summaryTable(diagnostics: Diagnostic[]): string {
  const rows = diagnostics
    .slice(0, SUMMARY_ROWS)
    .map((d) =>
      [`${d.file}:${d.line}:${d.column}`, d.severity, d.rule, d.message]
        .map(escapeMarkdownInline)
        .join(' | '),
    )
    .map((cells) => `| ${cells} |`);
  const more =
    diagnostics.length > SUMMARY_ROWS
      ? `\n\n_… and ${diagnostics.length - SUMMARY_ROWS} more in the log._`
      : '';
  return `| Where | Severity | Rule | Message |\n|---|---|---|---|\n${rows.join('\n')}${more}`;
}

/** What the valid manifests list: the outputs incidents, tickets and rollouts. */
export function listedItems(handovers: readonly Handover[]): ItemCounts {
  return handovers.reduce(
    (counts, handover) => ({
      incidents: counts.incidents + handover.incidents.length,
      tickets: counts.tickets + handover.tickets.length,
      rollouts: counts.rollouts + handover.rollouts.length,
    }),
    NO_COUNTS,
  );
}

/**
 * `command: validate` — src/core/validate.ts, the function `handover validate` runs too; every problem
 * as an annotation on its manifest line, and a table in the summary.
 */
export async function runValidate(ctx: CommandContext): Promise<CommandOutcome> {
  const targets = await resolveTargets(ctx);
  if (targets.kind === 'error') {
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(targets.message)}`);
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [targets.message] };
  }
  if (targets.kind === 'none') {
    ctx.core.info(`Nothing to validate: ${targets.why}.`);
    ctx.summary.push(`${HEADING}\n\nNothing to validate: ${escapeMarkdownInline(targets.why)}.`);
    return { result: 'success', counts: NO_COUNTS, journal: '', failures: [] };
  }

  const files = targets.kind === 'files' ? targets.files : [];
  const what = files.length > 0 ? plural(files.length, 'manifest') : 'every manifest';
  ctx.core.startGroup(`Validate ${what} and ${ctx.inputs.config}`);
  // Files the pull request adds are named (time rules apply); without them, every manifest is history.
  const result = validateFiles({
    cwd: ctx.workspace,
    configPath: join(ctx.workspace, ctx.inputs.config),
    targets: files,
    now: ctx.now,
  });
  logOutput(
    ctx,
    renderText(result.reports, {
      manifests: result.manifestsChecked,
      config: result.config.kind !== 'unreadable',
    }),
  );
  for (const problem of result.unreadable) logOutput(ctx, problem);
  for (const d of result.diagnostics) {
    ctx.annotations.annotate(d.severity, d.message, {
      title: d.rule,
      file: repoPath(ctx.workspace, d.file),
      startLine: d.line,
      startColumn: d.column,
    });
  }
  ctx.core.endGroup();

  const { diagnostics } = result;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counts = listedItems(result.handovers);
  if (result.exitCode === 0) {
    const note = warnings > 0 ? ` with ${plural(warnings, 'warning')}` : '';
    ctx.summary.push(
      `${HEADING}\n\n✅ ${escapeMarkdownInline(what)} and ${escapeMarkdownInline(ctx.inputs.config)} are valid${note}.${warnings > 0 ? `\n\n${summaryTable(diagnostics)}` : ''}`,
    );
    return { result: 'success', counts, journal: '', failures: [] };
  }
  if (result.exitCode === 1) {
    const failure = `${plural(errors, 'error')} in the handover manifests or config: see the annotations`;
    ctx.summary.push(`${HEADING}\n\n❌ ${failure}.\n\n${summaryTable(diagnostics)}`);
    return { result: 'failure', counts, journal: '', failures: [failure] };
  }
  const reason = result.unreadable[0] ?? 'a file could not be read';
  ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(reason)}`);
  return { result: 'failure', counts, journal: '', failures: [reason] };
}
