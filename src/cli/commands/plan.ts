import { resolve } from 'node:path';
import { displayPath } from '../../core/paths.js';
import { planExitCode, planHandover } from '../../core/plan.js';
import { PullRequestContextError, pullRequestNumber } from '../../runbook/plan/github-context.js';
import type { Plan } from '../../runbook/plan/plan.js';
import { renderPlanJson } from '../../runbook/plan/render-json.js';
import { renderPlanMarkdown } from '../../runbook/plan/render-markdown.js';
import { renderPlanText } from '../../runbook/plan/render-text.js';
import { clockFlag, commandConfig, parseFormat, type ReportFormat, stringFlag } from '../common.js';
import { type CliIO, EXIT } from '../io.js';
import { renderDiagnostics } from '../report/diagnostics.js';
import type { CommandLine } from '../usage.js';

function render(plan: Plan, format: ReportFormat): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan);
}

/** A one-line failure in the command's format: JSON mode prints JSON on stdout too. */
function failure(io: CliIO, format: ReportFormat, message: string, exitCode: number): number {
  if (format === 'json') io.stdout(`${JSON.stringify({ error: message, exitCode })}\n`);
  io.stderr(`handover plan: ${message}\n`);
  return exitCode;
}

/**
 * `handover plan FILE`: src/core/plan.ts validates the manifest, reads live state and, on a pull request
 * (GitHub Actions, or `--pull-request N`), checks the acknowledgement and keeps the plan comment; this
 * prints what came of it.
 */
export async function planCommand(line: CommandLine, io: CliIO): Promise<number> {
  const format = parseFormat(stringFlag(line, 'format'));
  const now = clockFlag(line);
  const file = resolve(io.cwd, line.positionals[0] ?? '');
  const display = displayPath(file, io.cwd);

  let pullRequest: number | null;
  try {
    pullRequest = pullRequestNumber(io.env, stringFlag(line, 'pull-request'));
  } catch (error) {
    if (error instanceof PullRequestContextError) return failure(io, format, error.message, EXIT.usage);
    throw error;
  }
  const loaded = commandConfig('plan', line, io, format);
  if ('exit' in loaded) return loaded.exit;

  const outcome = await planHandover({
    manifestPath: file,
    displayPath: display,
    config: loaded.config.config,
    env: io.env,
    now,
    pullRequest,
    cwd: io.cwd,
  });
  const code = planExitCode(outcome);
  switch (outcome.kind) {
    case 'planned':
      if (outcome.warnings.length > 0)
        io.stderr(renderDiagnostics(outcome.warnings, 'text', { [display]: outcome.text }));
      if (outcome.comment)
        io.stderr(
          `handover plan: ${outcome.comment.created ? 'posted' : 'updated'} the plan comment on pull request #${pullRequest}\n`,
        );
      io.stdout(render(outcome.plan, format));
      return code;
    case 'invalid-manifest':
      if (format === 'json') io.stdout(renderDiagnostics(outcome.diagnostics, 'json'));
      else io.stderr(renderDiagnostics(outcome.diagnostics, 'text', { [display]: outcome.text }));
      io.stderr(
        `handover plan: ${display} is not a valid manifest; fix the errors ${format === 'json' ? 'listed' : 'above'}, then run plan again\n`,
      );
      return code;
    default:
      return failure(io, format, outcome.message, code);
  }
}
