import { isAbsolute, relative } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { plural } from '../format.js';
import { escapeMarkdownInline } from '../render/escape.js';
import { loadConfigQuietly } from './config.js';
import { type CommandContext, type CommandOutcome, NO_COUNTS } from './context.js';
import { countListedItems, resolveTargets, workspaceManifests } from './manifests.js';
import { logOutput, pathArgument, runCli } from './run-cli.js';

const HEADING = '## Handover validate';

/** Rows beyond this are left out of the job summary (the log and the JSON have them all). */
const SUMMARY_ROWS = 200;

function isDiagnostic(value: unknown): value is Diagnostic {
  const d = value as Partial<Diagnostic> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.file === 'string' &&
    typeof d.line === 'number' &&
    typeof d.column === 'number' &&
    (d.severity === 'error' || d.severity === 'warning') &&
    typeof d.rule === 'string' &&
    typeof d.message === 'string'
  );
}

/** `validate --format json` prints one array of diagnostics (docs/design.md#the-command-line); anything else is not ours to read. */
export function parseDiagnostics(stdout: string): Diagnostic[] | null {
  try {
    const parsed: unknown = JSON.parse(stdout);
    return Array.isArray(parsed) && parsed.every(isDiagnostic) ? parsed : null;
  } catch {
    return null;
  }
}

/** Annotations need the path relative to the repository root. */
function repoPath(workspace: string, file: string): string {
  const path = isAbsolute(file) ? relative(workspace, file) : file;
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

/** `command: validate` — every problem as an annotation on its manifest line, and a table in the summary. */
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
  const { code, io } = await runCli(ctx, [
    'validate',
    '--format',
    'json',
    '--config',
    pathArgument(ctx.inputs.config),
    ...files.map(pathArgument),
  ]);
  const diagnostics = parseDiagnostics(io.out());
  if (diagnostics === null) logOutput(ctx, io.out());
  logOutput(ctx, io.err());
  for (const d of diagnostics ?? []) {
    ctx.annotations.annotate(d.severity, d.message, {
      title: d.rule,
      file: repoPath(ctx.workspace, d.file),
      startLine: d.line,
      startColumn: d.column,
    });
  }
  ctx.core.endGroup();

  const errors = (diagnostics ?? []).filter((d) => d.severity === 'error').length;
  const warnings = (diagnostics ?? []).length - errors;
  const checked = files.length > 0 ? files : workspaceManifests(ctx.workspace);
  const counts = countListedItems(ctx.workspace, checked, loadConfigQuietly(ctx));
  if (code === 0) {
    const note = warnings > 0 ? ` with ${plural(warnings, 'warning')}` : '';
    ctx.summary.push(
      `${HEADING}\n\n✅ ${escapeMarkdownInline(what)} and ${escapeMarkdownInline(ctx.inputs.config)} are valid${note}.${warnings > 0 ? `\n\n${summaryTable(diagnostics ?? [])}` : ''}`,
    );
    return { result: 'success', counts, journal: '', failures: [] };
  }
  if (code === 1 && diagnostics) {
    const failure = `${plural(errors, 'error')} in the handover manifests or config: see the annotations`;
    ctx.summary.push(`${HEADING}\n\n❌ ${failure}.\n\n${summaryTable(diagnostics)}`);
    return { result: 'failure', counts, journal: '', failures: [failure] };
  }
  const reason = io.err().trim().split('\n')[0] || `validate exited with ${code}`;
  ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(reason)}`);
  return { result: 'failure', counts, journal: '', failures: [reason] };
}
