/**
 * The rule ids `handover plan` reports. The ids live in code (string literals in src/runbook/), their
 * meaning in docs/plan.md's tables; this joins the two and refuses to go on when they disagree, so
 * neither can drift from the other unnoticed.
 */

export interface PlanFinding {
  id: string;
  /** `error`, `warning`, `info / warning`…; `refused` for the acknowledgement rules. */
  severity: string;
  when: string;
  /** Which table of docs/plan.md described it. */
  kind: 'finding' | 'acknowledgement';
}

export interface SourceFile {
  path: string;
  text: string;
}

const RULE_LITERAL = /\brule: '([a-z]+(?:\.[a-z0-9-]+)+)'/g;

/** Every `rule: '<id>'` literal in the given sources, with the file it came from. */
export function ruleIdsInCode(files: readonly SourceFile[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of files)
    for (const match of file.text.matchAll(RULE_LITERAL)) if (match[1]) ids.set(match[1], file.path);
  return ids;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((part) => part.trim());
}

/** The rows of every Markdown table in `text` whose first column is headed `rule`. */
export function ruleTables(text: string): PlanFinding[] {
  const found: PlanFinding[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const head = cells(lines[index] ?? '');
    if (!lines[index]?.trim().startsWith('|') || head[0] !== 'rule') continue;
    const severityColumn = head.indexOf('severity');
    const kind = severityColumn >= 0 ? 'finding' : 'acknowledgement';
    for (index += 2; lines[index]?.trim().startsWith('|'); index += 1) {
      const row = cells(lines[index] ?? '');
      const id = /^`([^`]+)`$/.exec(row[0] ?? '')?.[1];
      if (!id) continue;
      found.push({
        id,
        severity: severityColumn >= 0 ? (row[severityColumn] ?? '') : 'refused',
        when: row.at(-1) ?? '',
        kind,
      });
    }
  }
  return found;
}

/** Joins code and docs; throws, naming every id that only one side knows. */
export function planFindings(code: Map<string, string>, documented: readonly PlanFinding[]): PlanFinding[] {
  const documentedIds = new Set(documented.map((finding) => finding.id));
  const problems = [
    ...[...code]
      .filter(([id]) => !documentedIds.has(id))
      .map(([id, path]) => `${id} (reported in ${path}) has no row in docs/plan.md`),
    ...documented
      .filter((finding) => !code.has(finding.id))
      .map((finding) => `${finding.id} is described in docs/plan.md but no code in src/runbook/ reports it`),
  ];
  if (problems.length > 0)
    throw new Error(`plan's rule ids and docs/plan.md disagree:\n  ${problems.join('\n  ')}`);
  return [...documented];
}
