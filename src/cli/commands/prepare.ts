import { runPrepare } from '../../prepare/run.js';
import { createPrepareServices } from '../../prepare/services.js';
import { prepareSettings } from '../../prepare/settings.js';
import { MissingCredentialsError } from '../../providers/index.js';
import { logValue } from '../../render/log-safety.js';
import { clockFlag, commandConfig, parseFormat, stringFlag } from '../common.js';
import { type CliIO, EXIT } from '../io.js';
import type { CommandLine } from '../usage.js';

/**
 * `handover prepare [--now ISO]`: the scheduled run that opens the next shift change's handover pull
 * request ahead of time and holds its acknowledgement to a deadline (docs/prepare.md).
 */
export async function prepareCommand(line: CommandLine, io: CliIO): Promise<number> {
  const format = parseFormat(stringFlag(line, 'format'), ['text', 'json']);
  const now = clockFlag(line)();
  const loaded = commandConfig('prepare', line, io, format);
  if ('exit' in loaded) return loaded.exit;
  const config = loaded.config.config;
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
