import { join } from 'node:path';
import { renderDiagnostics } from '../cli/report/diagnostics.js';
import { openConfig } from '../config/index.js';
import { errorMessage } from '../format.js';
import { runPrepare } from '../prepare/run.js';
import { createPrepareServices } from '../prepare/services.js';
import { prepareSettings } from '../prepare/settings.js';
import { escapeMarkdownInline } from '../render/escape.js';
import { logValue } from '../render/log-safety.js';
import { type CommandContext, type CommandOutcome, NO_COUNTS } from './context.js';
import { logOutput } from './log-output.js';

const HEADING = '## Handover prepare';

/**
 * `command: prepare` — the scheduled run of docs/prepare.md: src/prepare/run.ts, the function
 * `handover prepare` runs too; each action as a log line and a row of the job summary.
 */
export async function runPrepareCommand(ctx: CommandContext): Promise<CommandOutcome> {
  const fail = (reason: string): CommandOutcome => {
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(reason)}`);
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [reason] };
  };
  const config = openConfig(join(ctx.workspace, ctx.inputs.config), ctx.inputs.config);
  if (config.kind !== 'valid') {
    if (config.kind === 'invalid') logOutput(ctx, renderDiagnostics(config.diagnostics, 'text'));
    return fail(
      config.kind === 'unreadable' ? config.message : `the config ${ctx.inputs.config} is not valid`,
    );
  }
  const settings = prepareSettings(config.config);
  if (!settings) return fail(`the config ${ctx.inputs.config} has no prepare: section (docs/prepare.md)`);
  let services: ReturnType<typeof createPrepareServices>;
  try {
    services = createPrepareServices(ctx.env, config.config);
  } catch (error) {
    return fail(errorMessage(error));
  }
  const report = await runPrepare(services, config.config, settings, ctx.now());
  logOutput(ctx, `${logValue(report.headline)}\n`);
  for (const action of report.actions)
    logOutput(
      ctx,
      `${action.outcome.padEnd(12)} ${logValue(action.target)} · ${action.action}: ${logValue(action.detail)}\n`,
    );
  const rows = report.actions.map(
    (a) =>
      `| ${[a.target, a.action, a.outcome, a.detail].map((cell) => escapeMarkdownInline(cell)).join(' | ')} |`,
  );
  ctx.summary.push(
    [
      HEADING,
      '',
      escapeMarkdownInline(report.headline),
      ...(rows.length > 0
        ? ['', '| Target | Action | Outcome | Detail |', '|---|---|---|---|', ...rows]
        : []),
    ].join('\n'),
  );
  const failures = report.actions
    .filter((a) => a.outcome === 'failed')
    .map((a) => `${a.target} · ${a.action}: ${a.detail}`);
  return { result: failures.length > 0 ? 'failure' : 'success', counts: NO_COUNTS, journal: '', failures };
}
