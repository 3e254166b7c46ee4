/**
 * `validate` as a typed function: the CLI renders its result, the action turns it into annotations and a
 * job summary. Neither re-reads a file nor parses the other's output.
 */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Clock } from '../clock.js';
import { type ConfigOutcome, openConfig } from '../config/index.js';
import type { HandoverConfig } from '../config/types.js';
import { type Diagnostic, type FileReport, hasErrors } from '../diagnostics.js';
import { listManifestFiles } from '../manifest/files.js';
import { findManifests, loadManifestFile, ManifestUnreadableError } from '../manifest/index.js';
import type { Handover } from '../manifest/types.js';
import { displayPath } from './paths.js';

export interface ValidateRequest {
  /** Where relative targets and display paths start. */
  cwd: string;
  /** The config file (absolute). */
  configPath: string;
  /** Files and folders to check; none means every manifest under handovers/ in `cwd`. */
  targets: readonly string[];
  /** For time rules, which apply only to files named in `targets` (a folder is history). */
  now: Clock;
}

export interface ValidateResult {
  config: ConfigOutcome;
  /** The config's report first, then one per manifest checked, in order. */
  reports: FileReport[];
  /** How many of the reports are manifests (the rest is the config). */
  manifestsChecked: number;
  /** The valid manifests, for what they list (the action's counts). */
  handovers: Handover[];
  diagnostics: Diagnostic[];
  /** One line per file that could not be read at all (the config included). */
  unreadable: string[];
  /** Folders named in `targets` that hold no manifest. */
  emptyFolders: string[];
  /** No target was given and handovers/ holds no manifest. */
  nothingFound: boolean;
  /** 0 valid (warnings allowed), 1 something invalid, 2 something unreadable. */
  exitCode: 0 | 1 | 2;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A file named like the config is checked as a config, not as a manifest. */
function looksLikeConfig(path: string): boolean {
  return /^handover\.config\.ya?ml$/.test(basename(path));
}

interface Target {
  path: string;
  /** Named on the command line (time rules apply), not found in a folder. */
  named: boolean;
  kind: 'manifest' | 'config';
}

function expandTargets(request: ValidateRequest): { targets: Target[]; empty: string[] } {
  if (request.targets.length === 0) {
    return {
      targets: findManifests(request.cwd).map((path) => ({ path, named: false, kind: 'manifest' })),
      empty: [],
    };
  }
  const empty: string[] = [];
  const targets = request.targets.flatMap((arg): Target[] => {
    const path = resolve(request.cwd, arg);
    if (!isDirectory(path))
      return [{ path, named: true, kind: looksLikeConfig(path) ? 'config' : 'manifest' }];
    const inside = listManifestFiles(path);
    if (inside.length === 0) empty.push(arg);
    return inside.map((file) => ({ path: file, named: false, kind: 'manifest' }));
  });
  return { targets, empty };
}

export function validateFiles(request: ValidateRequest): ValidateResult {
  const config = openConfig(request.configPath, displayPath(request.configPath, request.cwd));
  const reports: FileReport[] = [];
  const unreadable: string[] = [];
  if (config.kind === 'unreadable') unreadable.push(config.message);
  else reports.push({ file: config.displayPath, text: config.text, diagnostics: config.diagnostics });
  const valid: HandoverConfig | undefined = config.kind === 'valid' ? config.config : undefined;

  const { targets, empty } = expandTargets(request);
  const now = request.now();
  const handovers: Handover[] = [];
  let manifestsChecked = 0;
  for (const target of targets) {
    const display = displayPath(target.path, request.cwd);
    if (target.kind === 'config') {
      // The config of this run is already checked; another config file is checked as a config.
      if (resolve(target.path) === resolve(request.configPath)) continue;
      const other = openConfig(target.path, display);
      if (other.kind === 'unreadable') unreadable.push(other.message);
      else reports.push({ file: display, text: other.text, diagnostics: other.diagnostics });
      continue;
    }
    try {
      // Time rules (window.past) speak to a handover still to be applied: a file named explicitly (the
      // action names the manifests a pull request adds). A folder is history, checked without the clock.
      const loaded = loadManifestFile(target.path, {
        config: valid,
        displayPath: display,
        now: target.named ? now : undefined,
      });
      reports.push({ file: display, text: loaded.text, diagnostics: loaded.diagnostics });
      manifestsChecked += 1;
      if (loaded.handover && !hasErrors(loaded.diagnostics)) handovers.push(loaded.handover);
    } catch (error) {
      if (!(error instanceof ManifestUnreadableError)) throw error;
      unreadable.push(error.message);
    }
  }

  const diagnostics = reports.flatMap((report) => report.diagnostics);
  return {
    config,
    reports,
    manifestsChecked,
    handovers,
    diagnostics,
    unreadable,
    emptyFolders: empty,
    nothingFound: request.targets.length === 0 && targets.length === 0,
    exitCode: unreadable.length > 0 ? 2 : hasErrors(diagnostics) ? 1 : 0,
  };
}
