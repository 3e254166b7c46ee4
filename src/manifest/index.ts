/**
 * The manifest language (docs/design.md#the-manifest): strict YAML → JSON Schema (precompiled ajv) → the rules → a typed
 * Handover. Every problem is a located Diagnostic; nothing here throws for bad input.
 */
import type { HandoverConfig } from '../config/types.js';
import type { Diagnostic } from '../diagnostics.js';
import { checkDocument, type DocumentKind } from './check-document.js';
import { MANIFEST_RULES } from './rules/index.js';
import { rolloutRangeRule } from './rules/rollouts.js';
import { HANDOVER_SCHEMA } from './schema/validators.js';
import { readSourceFile, type SourceFile, sourceFromBytes, unreadableReason } from './source-file.js';
import { toHandover, type ValidManifestDocument } from './to-handover.js';
import type { Handover } from './types.js';

export { findManifests } from './files.js';

const MANIFEST: DocumentKind = {
  schema: HANDOVER_SCHEMA,
  rootName: 'the manifest',
  rules: MANIFEST_RULES,
  ruleFor: rolloutRangeRule,
};

export type { Handover } from './types.js';

export interface ManifestResult {
  /** The validated handover, or null when there is at least one error (warnings alone keep it). */
  handover: Handover | null;
  diagnostics: Diagnostic[];
}

export interface ParseManifestOptions {
  /** The repository config: without it, roster handles are not checked. */
  config?: HandoverConfig;
  /** The clock for warnings (a window already over); errors never depend on it. */
  now?: Date;
}

/** A manifest file that could not be read at all (missing, a directory, no permission): exit 2. */
export class ManifestUnreadableError extends Error {
  override readonly name = 'ManifestUnreadableError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
  }
}

/**
 * Parses and validates one manifest. `file` is how diagnostics name it, and its base name (without
 * `.yaml`/`.yml`) is what `id` must equal.
 */
export function parseManifest(
  text: string,
  file: string,
  options: ParseManifestOptions = {},
): ManifestResult {
  const checked = checkDocument(text, file, MANIFEST, options);
  const handover = checked.valid ? toHandover(checked.document as ValidManifestDocument) : null;
  return { handover, diagnostics: checked.diagnostics };
}

export interface LoadedManifest extends ManifestResult {
  /** The file's text as read (empty when it was too large to read). */
  text: string;
  /** SHA-256 of the file's bytes, hex (empty when it was too large to read). */
  sha256: string;
}

/**
 * Reads and validates a manifest file. Throws ManifestUnreadableError when the file cannot be read;
 * every other problem, including a file over the size limit (docs/design.md#input-limits) or not in UTF-8, is a diagnostic.
 */
export function loadManifestFile(
  path: string,
  options: { config?: HandoverConfig; displayPath?: string; now?: Date } = {},
): LoadedManifest {
  const displayPath = options.displayPath ?? path;
  let source: ReturnType<typeof readSourceFile>;
  try {
    source = readSourceFile(path, displayPath);
  } catch (error) {
    throw new ManifestUnreadableError(displayPath, unreadableReason(error));
  }
  return loadedFrom(source, displayPath, options);
}

/** A manifest from bytes read elsewhere (the git object apply executes), under the same rules as a file. */
export function loadManifestBytes(
  bytes: Uint8Array,
  displayPath: string,
  options: { config?: HandoverConfig; now?: Date } = {},
): LoadedManifest {
  return loadedFrom(sourceFromBytes(bytes, displayPath), displayPath, options);
}

function loadedFrom(
  source: SourceFile,
  displayPath: string,
  options: { config?: HandoverConfig; now?: Date },
): LoadedManifest {
  const result =
    source.kind === 'rejected'
      ? { handover: null, diagnostics: [source.diagnostic] }
      : parseManifest(source.text, displayPath, { config: options.config, now: options.now });
  // The hash is computed when first read (validate never reads it).
  return {
    ...result,
    text: source.text,
    get sha256() {
      return source.sha256();
    },
  };
}
