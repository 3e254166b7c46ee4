import type { HandoverConfig } from '../../config/types.js';
import type { Diagnostic, Severity } from '../../diagnostics.js';
import type { RuleId } from '../../rules/registry.js';
import { diagnosticAt } from '../located.js';
import type { DocumentPath, SourceMap } from '../yaml/source-map.js';

/** What a rule sees (manifest and config rules alike). Rules are pure: they read through `read` and return diagnostics. */
export interface RuleContext {
  file: string;
  /** The source text (without a byte-order mark), for rules that look at what is written. */
  text: string;
  /** The document as read, whatever the schema says of it (undefined when the YAML was unusable). */
  document: unknown;
  source: SourceMap;
  /** The repository config, when it was readable and valid: roster checks need it. */
  config?: HandoverConfig;
  /** The clock, for warnings only (an error never depends on the time of validation). */
  now?: Date;
  /**
   * The value at `path` if it is present and the schema accepted it and everything under it, else
   * undefined: rules run only on the schema-valid parts of a manifest, whatever else is wrong.
   */
  read<T>(path: DocumentPath): T | undefined;
  /** Whether something is written at `path`, valid or not. */
  has(path: DocumentPath): boolean;
  /** What is written at `path`, valid or not: only to tell "missing" from "wrong". */
  raw(path: DocumentPath): unknown;
  /** The length of the list at `path` if it is a list (its items may still be invalid), else 0. */
  count(path: DocumentPath): number;
  /** A finding at the key of `path` (for a sequence item: the item's start). */
  atKey(path: DocumentPath, rule: RuleId, message: string, severity?: Severity): Diagnostic;
  /** A finding at the value of `path`. */
  atValue(path: DocumentPath, rule: RuleId, message: string, severity?: Severity): Diagnostic;
}

export type Rule = (context: RuleContext) => Diagnostic[];

function toPointer(path: DocumentPath): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function valueAt(document: unknown, path: DocumentPath): unknown {
  let node = document;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

export function createRuleContext(options: {
  file: string;
  text: string;
  source: SourceMap;
  document: unknown;
  invalidPointers: ReadonlySet<string>;
  config?: HandoverConfig;
  now?: Date;
}): RuleContext {
  const { file, source, document } = options;
  // Every pointer that has a schema error at or below it: a path is valid when it is not in here.
  const tainted = new Set<string>();
  for (const pointer of options.invalidPointers) {
    for (let end = pointer.length; end > 0; end = pointer.lastIndexOf('/', end - 1)) {
      const prefix = pointer.slice(0, end);
      if (tainted.has(prefix)) break;
      tainted.add(prefix);
    }
    tainted.add('');
  }
  const isValid = (pointer: string): boolean => !tainted.has(pointer);
  return {
    file,
    text: options.text,
    document,
    source,
    config: options.config,
    now: options.now,
    read<T>(path: DocumentPath): T | undefined {
      const value = valueAt(document, path);
      if (value === undefined || !isValid(toPointer(path))) return undefined;
      return value as T;
    },
    has: (path) => valueAt(document, path) !== undefined,
    raw: (path) => valueAt(document, path),
    count(path: DocumentPath): number {
      const value = valueAt(document, path);
      return Array.isArray(value) ? value.length : 0;
    },
    atKey: (path, rule, message, severity = 'error') =>
      diagnosticAt(file, source.keyPosition(path), rule, message, severity),
    atValue: (path, rule, message, severity = 'error') =>
      diagnosticAt(file, source.valuePosition(path), rule, message, severity),
  };
}
