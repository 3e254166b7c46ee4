import type { Diagnostic, Severity } from '../diagnostics.js';
import type { RuleId } from '../rules/registry.js';
import type { SourcePosition } from './yaml/positions.js';

/** A diagnostic at a position: the one way rules and parsers build their findings. */
export function diagnosticAt(
  file: string,
  position: SourcePosition,
  rule: RuleId,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { file, line: position.line, column: position.column, severity, rule, message };
}

/** Report order: by position, errors before warnings at the same place, duplicates removed. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.rule}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(d);
  }
  return unique.sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
