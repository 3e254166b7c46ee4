import { renderDoctorText, runDoctor } from '../../onboarding/doctor.js';
import { commandConfig, parseFormat, stringFlag, switchFlag } from '../common.js';
import { type CliIO, EXIT } from '../io.js';
import type { CommandLine } from '../usage.js';

/** `handover doctor`: the wiring checks of src/onboarding/doctor.ts, as a table or JSON; exit 1 on any ✗. */
export async function doctorCommand(line: CommandLine, io: CliIO): Promise<number> {
  const format = parseFormat(stringFlag(line, 'format'), ['text', 'json']);
  const loaded = commandConfig('doctor', line, io, format);
  if ('exit' in loaded) return loaded.exit;
  const checks = await runDoctor({
    config: loaded.config.config,
    env: io.env,
    readOnly: switchFlag(line, 'read-only'),
  });
  const ok = checks.every((check) => check.ok);
  if (format === 'json') io.stdout(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
  else io.stdout(renderDoctorText(checks));
  return ok ? EXIT.ok : EXIT.failed;
}
