import { configPath } from '../../core/paths.js';
import { validateFiles } from '../../core/validate.js';
import { clockFlag, parseFormat, stringFlag } from '../common.js';
import type { CliIO } from '../io.js';
import { renderAnnotations, renderJson, renderMarkdown, renderText } from '../report/diagnostics.js';
import type { CommandLine } from '../usage.js';

/** `handover validate [FILE|DIR...]`: src/core/validate.ts does the work; this prints it. */
export async function validateCommand(line: CommandLine, io: CliIO): Promise<number> {
  const format = parseFormat(stringFlag(line, 'format'));
  const result = validateFiles({
    cwd: io.cwd,
    configPath: configPath(stringFlag(line, 'config'), io.cwd),
    targets: line.positionals,
    now: clockFlag(line),
  });

  if (result.nothingFound) io.stderr('handover validate: no manifests found under handovers/\n');
  for (const dir of result.emptyFolders)
    io.stderr(`handover validate: no manifests (*.yaml, *.yml) found in ${dir}\n`);
  const { diagnostics } = result;
  if (io.env.GITHUB_ACTIONS === 'true') {
    // Annotations are workflow commands; with --format json they go to stderr so stdout stays one array.
    const annotations = renderAnnotations(diagnostics);
    if (format === 'json') io.stderr(annotations);
    else io.stdout(annotations);
  }
  const checked = { manifests: result.manifestsChecked, config: result.config.kind !== 'unreadable' };
  const unreadable = result.unreadable.length;
  if (format === 'json') io.stdout(renderJson(diagnostics));
  else if (format === 'markdown') io.stdout(renderMarkdown(diagnostics, checked, unreadable));
  else io.stdout(renderText(result.reports, checked, unreadable));
  for (const problem of result.unreadable) io.stderr(`handover validate: ${problem}\n`);
  if (result.config.kind === 'invalid' && result.manifestsChecked > 0) {
    io.stderr('handover validate: the config has errors, so roster handles in manifests were not checked\n');
  }
  return result.exitCode;
}
