import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigUnreadableError, type HandoverConfig, loadConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics.js';
import { hasErrors } from '../../diagnostics.js';
import { listManifestFiles } from '../../manifest/files.js';
import { findManifests, loadManifestFile, ManifestUnreadableError } from '../../manifest/index.js';
import { COMMON_OPTIONS, configPath, parseFormat } from '../common.js';
import { type CliIO, EXIT } from '../io.js';
import {
  type FileReport,
  renderAnnotations,
  renderJson,
  renderMarkdown,
  renderText,
} from '../report/diagnostics.js';

const USAGE = `usage: handover validate [FILE|DIR...] [--config PATH] [--format text|json|markdown]

Checks manifests against the schema and the rules of the handover format, and the config.
Without FILE, every *.yaml / *.yml under handovers/ is checked.
Exit 0 when valid (warnings allowed), 1 when anything is invalid, 2 when a file cannot be read.
`;

/** How a file is named in reports: relative to the working directory when inside it, else absolute. */
function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : absolute;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The manifests to check: the arguments (a directory stands for the manifests in it), else handovers/.
 * `empty` names the directories given that hold no manifest, so that `validate somedir` with nothing
 * in it says so instead of passing silently.
 */
function manifestPaths(
  positionals: readonly string[],
  cwd: string,
): { paths: { path: string; named: boolean }[]; empty: string[] } {
  if (positionals.length === 0) {
    return { paths: findManifests(cwd).map((path) => ({ path, named: false })), empty: [] };
  }
  const empty: string[] = [];
  const paths = positionals.flatMap((arg) => {
    const path = resolve(cwd, arg);
    if (!isDirectory(path)) return [{ path, named: true }];
    const inside = listManifestFiles(path);
    if (inside.length === 0) empty.push(arg);
    return inside.map((file) => ({ path: file, named: false }));
  });
  return { paths, empty };
}

export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...COMMON_OPTIONS, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const format = parseFormat(values.format);
  const problems: string[] = [];
  const reports: FileReport[] = [];

  const configFile = configPath(values.config, io.cwd);
  let config: HandoverConfig | undefined;
  try {
    const loaded = loadConfig(configFile, { displayPath: displayPath(configFile, io.cwd) });
    config = loaded.config ?? undefined;
    reports.push({
      file: displayPath(configFile, io.cwd),
      text: loaded.text,
      diagnostics: loaded.diagnostics,
    });
  } catch (error) {
    if (!(error instanceof ConfigUnreadableError)) throw error;
    problems.push(error.message);
  }

  const { paths, empty } = manifestPaths(positionals, io.cwd);
  if (positionals.length === 0 && paths.length === 0) {
    io.stderr('handover validate: no manifests found under handovers/\n');
  }
  for (const dir of empty) io.stderr(`handover validate: no manifests (*.yaml, *.yml) found in ${dir}\n`);
  const now = new Date();
  for (const { path, named } of paths) {
    try {
      // Time rules (window.past) speak to a handover still to be applied: a file named on the command line
      // (the action names the manifest a pull request adds). A folder scan is history, where a window that
      // ended long ago is normal, so it is checked without the clock.
      const loaded = loadManifestFile(path, {
        config,
        displayPath: displayPath(path, io.cwd),
        now: named ? now : undefined,
      });
      reports.push({ file: displayPath(path, io.cwd), text: loaded.text, diagnostics: loaded.diagnostics });
    } catch (error) {
      if (!(error instanceof ManifestUnreadableError)) throw error;
      problems.push(error.message);
    }
  }

  const diagnostics: Diagnostic[] = reports.flatMap((report) => report.diagnostics);
  const filesChecked = reports.length;
  if (io.env.GITHUB_ACTIONS === 'true') {
    // Annotations are workflow commands; with --format json they go to stderr so stdout stays one array.
    const annotations = renderAnnotations(diagnostics);
    if (format === 'json') io.stderr(annotations);
    else io.stdout(annotations);
  }
  if (format === 'json') io.stdout(renderJson(diagnostics));
  else if (format === 'markdown') io.stdout(renderMarkdown(diagnostics, filesChecked, problems.length));
  else io.stdout(renderText(reports, filesChecked, problems.length));
  for (const problem of problems) io.stderr(`handover validate: ${problem}\n`);
  if (config === undefined && problems.length === 0 && paths.length > 0) {
    io.stderr('handover validate: the config has errors, so roster handles in manifests were not checked\n');
  }

  if (problems.length > 0) return EXIT.usage;
  return hasErrors(diagnostics) ? EXIT.failed : EXIT.ok;
}
