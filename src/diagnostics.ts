import type { RuleId } from './rules/registry.js';
/**
 * A finding about a user's input (manifest, config, command line), located in its source.
 * This is the wire format of `handover validate --format json` (docs/design.md#the-command-line): field names are fixed.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  /** 1-based line of the offending key or value. */
  line: number;
  /** 1-based column of the offending key or value. */
  column: number;
  severity: Severity;
  /** Stable rule id, e.g. `schema.unknown-key`, `status.placeholder`. Documented in docs/reference. */
  rule: RuleId;
  /** What is wrong and what to write instead. */
  message: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** One validated file: its name as reported, its text (for source lines) and its findings. */
export interface FileReport {
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}
