/**
 * The repository config (docs/design.md#the-config), read exactly like a manifest: strict YAML → JSON Schema → rules.
 */
import type { Diagnostic } from '../diagnostics.js';
import { checkDocument, type DocumentKind } from '../manifest/check-document.js';
import { CONFIG_SCHEMA } from '../manifest/schema/validators.js';
import { readSourceFile, unreadableReason } from '../manifest/source-file.js';
import { CONFIG_RULES } from './rules.js';
import type { HandoverConfig, RosterEntry } from './types.js';

export type { HandoverConfig, RosterEntry } from './types.js';

const CONFIG: DocumentKind = { schema: CONFIG_SCHEMA, rootName: 'the config', rules: CONFIG_RULES };

export interface ConfigResult {
  /** The validated config, or null when there is at least one error. */
  config: HandoverConfig | null;
  diagnostics: Diagnostic[];
}

/** The config file could not be read at all (missing, a directory, no permission): exit 2. */
export class ConfigUnreadableError extends Error {
  override readonly name = 'ConfigUnreadableError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read the config ${path}: ${reason}`);
  }
}

/**
 * The typed config, built field by field. The roster has no prototype, so looking up a handle such as
 * `constructor` finds only a roster entry, never an inherited property.
 */
function toConfig(document: HandoverConfig): HandoverConfig {
  const roster: Record<string, RosterEntry> = Object.create(null);
  for (const [handle, entry] of Object.entries(document.roster)) {
    roster[handle] = {
      github: entry.github,
      pagerduty: entry.pagerduty,
      slack: entry.slack,
      email: entry.email,
      tracker: entry.tracker,
    };
  }
  return {
    pagerduty: { serviceId: document.pagerduty.serviceId, scheduleId: document.pagerduty.scheduleId },
    slack: { channel: document.slack.channel, channelName: document.slack.channelName },
    platform: { url: document.platform.url },
    ...(document.prepare ? { prepare: { ...document.prepare } } : {}),
    roster,
  };
}

export function parseConfig(text: string, file: string): ConfigResult {
  const checked = checkDocument(text, file, CONFIG);
  return {
    config: checked.valid ? toConfig(checked.document as HandoverConfig) : null,
    diagnostics: checked.diagnostics,
  };
}

/**
 * Reads and validates handover.config.yaml. Throws ConfigUnreadableError when the file cannot be
 * read; every other problem is a diagnostic.
 */
export function loadConfig(
  path: string,
  options: { displayPath?: string } = {},
): ConfigResult & { text: string } {
  const displayPath = options.displayPath ?? path;
  let source: ReturnType<typeof readSourceFile>;
  try {
    source = readSourceFile(path, displayPath);
  } catch (error) {
    throw new ConfigUnreadableError(displayPath, unreadableReason(error));
  }
  if (source.kind === 'rejected')
    return { config: null, diagnostics: [source.diagnostic], text: source.text };
  return { ...parseConfig(source.text, displayPath), text: source.text };
}

/**
 * What became of reading the config, for every caller (CLI commands, the action, the demo) alike. The one
 * exit-code rule (docs/reference/commands.md): `unreadable` (missing, a folder, not a regular file, no
 * permission) is exit 2, like any input that cannot be read; `invalid` (readable, but breaking the
 * schema or a rule) is exit 1, like an invalid manifest.
 */
export type ConfigOutcome =
  | { kind: 'valid'; config: HandoverConfig; diagnostics: Diagnostic[]; text: string; displayPath: string }
  | { kind: 'invalid'; diagnostics: Diagnostic[]; text: string; displayPath: string }
  | { kind: 'unreadable'; message: string; displayPath: string };

export const CONFIG_EXIT = { invalid: 1, unreadable: 2 } as const;

/** The one config loader: never throws for a problem of the file. */
export function openConfig(path: string, displayPath: string = path): ConfigOutcome {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(path, { displayPath });
  } catch (error) {
    if (error instanceof ConfigUnreadableError)
      return { kind: 'unreadable', message: error.message, displayPath };
    throw error;
  }
  return loaded.config === null || loaded.diagnostics.some((d) => d.severity === 'error')
    ? { kind: 'invalid', diagnostics: loaded.diagnostics, text: loaded.text, displayPath }
    : {
        kind: 'valid',
        config: loaded.config,
        diagnostics: loaded.diagnostics,
        text: loaded.text,
        displayPath,
      };
}
