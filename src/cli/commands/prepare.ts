import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigUnreadableError, loadConfig } from '../../config/index.js';
import { runPrepare } from '../../prepare/run.js';
import { createPrepareServices } from '../../prepare/services.js';
import { prepareSettings } from '../../prepare/settings.js';
import { MissingCredentialsError } from '../../providers/index.js';
import { logValue } from '../../render/escape.js';
import { configPath, parseFormat } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import { renderDiagnostics } from '../report/diagnostics.js';

const OPTIONS = {
  config: { type: 'string' },
  format: { type: 'string' },
  now: { type: 'string' },
} as const;

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * `handover prepare [--now ISO]`: the scheduled run that opens the next shift change's handover pull
 * request ahead of time and holds its acknowledgement to a deadline (docs/prepare.md).
 */
export async function prepareCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`prepare takes no argument (got '${positionals.join(' ')}')`);
  const format = parseFormat(values.format, ['text', 'json']);
  let now = new Date();
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(values.now) || Number.isNaN(now.getTime()))
      throw new UsageError(
        `--now must be an ISO 8601 instant such as 2026-11-30T13:00:00Z (got '${values.now}')`,
      );
  }

  const path = configPath(values.config, io.cwd);
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(path, { displayPath: shown(path, io.cwd) });
  } catch (error) {
    if (error instanceof ConfigUnreadableError) {
      io.stderr(`handover prepare: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (loaded.config === null) {
    io.stderr(renderDiagnostics(loaded.diagnostics, 'text'));
    io.stderr('handover prepare: the config is invalid; fix it first\n');
    return EXIT.failed;
  }
  const config = loaded.config;
  const settings = prepareSettings(config);
  if (!settings) {
    io.stderr(
      'handover prepare: the config has no `prepare:` section; add one (see docs/prepare.md) to let the scheduled workflow open handovers\n',
    );
    return EXIT.usage;
  }
  let services: ReturnType<typeof createPrepareServices>;
  try {
    services = createPrepareServices(io.env, config);
  } catch (error) {
    if (error instanceof MissingCredentialsError) {
      io.stderr(`handover prepare: ${error.message} (secrets come from the environment only)\n`);
      return EXIT.usage;
    }
    throw error;
  }

  const report = await runPrepare(services, config, settings, now);
  if (format === 'json') {
    io.stdout(
      `${JSON.stringify({ now: now.toISOString(), headline: report.headline, actions: report.actions })}\n`,
    );
  } else {
    const lines = [`handover prepare at ${now.toISOString()}: ${logValue(report.headline)}`];
    for (const action of report.actions)
      lines.push(
        `  ${action.outcome.padEnd(12)} ${logValue(action.target)} · ${action.action}: ${logValue(action.detail)}`,
      );
    if (report.actions.length === 0) lines.push('  nothing to do');
    io.stdout(`${lines.join('\n')}\n`);
  }
  return report.failed ? EXIT.failed : EXIT.ok;
}
