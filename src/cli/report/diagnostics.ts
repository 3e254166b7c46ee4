/**
 * Renderings of validation findings: compiler-style text with the source line and a caret, the JSON
 * wire format of docs/design.md#the-command-line, a Markdown table, and GitHub Actions annotations. Pure functions of their
 * input. Everything echoed from a user's file is made inert first: no control characters (a terminal
 * escape or a bidi override), no credential, no line that GitHub could read as a workflow command.
 */
import type { Diagnostic, FileReport, Severity } from '../../diagnostics.js';
import { plural } from '../../format.js';
import { redactCredentials } from '../../manifest/rules/credential-patterns.js';
import { printable } from '../../manifest/wording.js';
import { escapeMarkdownInline } from '../../render/escape.js';
import { commandData, commandProperty, defuseLegacy, neutralizeLine } from '../../render/log-safety.js';
import type { ReportFormat } from '../io.js';

export type { FileReport } from '../../diagnostics.js';

/** GitHub shows at most 10 annotations of each kind per step; the rest stay in the log. */
export const MAX_ANNOTATIONS_PER_SEVERITY = 10;

const SOURCE_WINDOW = 100;

function count(diagnostics: readonly Diagnostic[], severity: Severity): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

/** What a validate run looked at: so many manifests, and whether the config was read. */
export interface Checked {
  manifests: number;
  config: boolean;
}

/** "2 manifests and the config", "1 manifest" (the config could not be read). */
function checkedText(checked: Checked): string {
  const manifests = plural(checked.manifests, 'manifest');
  return checked.config ? `${manifests} and the config` : manifests;
}

/**
 * "2 manifests and the config checked: 2 errors, 1 warning" or "…: no problems". The config is named,
 * never counted as a file among the manifests. `unreadable` counts the files that could not be read at
 * all: without it, `validate missing.yaml` would end with "no problems" while exiting 2.
 */
export function summaryLine(diagnostics: readonly Diagnostic[], checked: Checked, unreadable = 0): string {
  const errors = count(diagnostics, 'error');
  const warnings = count(diagnostics, 'warning');
  const parts = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  const found = parts.length > 0 ? parts.join(', ') : 'no problems';
  const unread = unreadable > 0 ? `; ${plural(unreadable, 'file')} could not be read` : '';
  return `${checkedText(checked)} checked: ${found}${unread}`;
}

/**
 * Text safe to print on one line: credentials redacted, control and invisible characters spelt out, no
 * legacy workflow command (`##[`) anywhere.
 */
function inert(text: string): string {
  return defuseLegacy(printable(redactCredentials(text)));
}

/** A file name as the start of a report line; never `::`, which GitHub would read as a command. */
function safeFileName(file: string): string {
  const name = inert(file);
  return /^[\s\u0085]*:/.test(name) ? `./${name}` : name;
}

/** The source line under a finding and a caret under its column, trimmed around it when long. */
export function sourceExcerpt(text: string, line: number, column: number): string[] {
  const lines = text.replace(/^\ufeff/, '').split('\n');
  const raw = (lines[line - 1] ?? '').replace(/\r$/, '');
  if (raw.trim() === '' && column <= 1) return [];
  let start = 0;
  if (column > SOURCE_WINDOW * 0.7) start = column - 1 - Math.floor(SOURCE_WINDOW / 2);
  const end = Math.min(raw.length, start + SOURCE_WINDOW);
  // Tabs print as one space so that the caret lines up with what it points at.
  const shown = (s: string) => inert(s.replace(/\t/g, ' '));
  const before = start > 0 ? '…' : '';
  const after = end < raw.length ? '…' : '';
  const body = shown(raw.slice(start, end));
  const pad = before.length + shown(raw.slice(start, Math.min(column - 1, end))).length;
  const gutter = String(line);
  return [`  ${gutter} | ${before}${body}${after}`, `  ${' '.repeat(gutter.length)} | ${' '.repeat(pad)}^`];
}

function textLines(diagnostics: readonly Diagnostic[], text: string | undefined): string[] {
  // Every line neutralised once more as a whole: the parts are inert, this keeps the line so.
  return diagnostics
    .flatMap((d) => [
      `${safeFileName(d.file)}:${d.line}:${d.column}: ${d.severity} [${d.rule}] ${inert(d.message)}`,
      ...(text === undefined ? [] : sourceExcerpt(text, d.line, d.column)),
    ])
    .map(neutralizeLine);
}

/** Compiler-style: `file:line:col: severity [rule] message`, the source line, a caret; then a total. */
export function renderText(reports: readonly FileReport[], checked: Checked, unreadable = 0): string {
  const out = reports.flatMap((report) => textLines(report.diagnostics, report.text));
  out.push(
    summaryLine(
      reports.flatMap((r) => r.diagnostics),
      checked,
      unreadable,
    ),
  );
  return `${out.join('\n')}\n`;
}

/**
 * Findings in any report format, for commands that show why a manifest or config was refused
 * (plan, init, apply). Text shows source lines for the files whose text is given; no total line.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: ReportFormat = 'text',
  sources: Readonly<Record<string, string>> = {},
): string {
  if (format === 'json') return renderJson(diagnostics);
  if (format === 'markdown') return diagnostics.length === 0 ? '' : markdownTable(diagnostics);
  const lines = diagnostics.flatMap((d) =>
    textLines([d], Object.hasOwn(sources, d.file) ? sources[d.file] : undefined),
  );
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Exactly one JSON array of `{file, line, column, severity, rule, message}` (docs/design.md#the-command-line). */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  const wire = diagnostics.map(({ file, line, column, severity, rule, message }) => ({
    file,
    line,
    column,
    severity,
    rule,
    message: redactCredentials(message),
  }));
  return `${JSON.stringify(wire, null, 2)}\n`;
}

function markdownTable(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map((d) =>
    [d.file, String(d.line), String(d.column), d.severity, d.rule, inert(d.message)]
      .map((cell) => escapeMarkdownInline(cell))
      .join(' | '),
  );
  return [
    '| File | Line | Column | Severity | Rule | Message |',
    '| --- | ---: | ---: | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
    '',
  ].join('\n');
}

/** A Markdown table for a job summary or a pull request comment (every cell escaped), then the total. */
export function renderMarkdown(diagnostics: readonly Diagnostic[], checked: Checked, unreadable = 0): string {
  const summary = `**${escapeMarkdownInline(summaryLine(diagnostics, checked, unreadable))}**\n`;
  return diagnostics.length === 0 ? summary : `${markdownTable(diagnostics)}\n${summary}`;
}

/**
 * `::error file=…,line=…,col=…,title=…::message` lines, at most 10 per severity (GitHub drops the
 * rest; they remain in the text report).
 */
export function renderAnnotations(diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const severity of ['error', 'warning'] as const) {
    const selected = diagnostics.filter((d) => d.severity === severity);
    for (const d of selected.slice(0, MAX_ANNOTATIONS_PER_SEVERITY)) {
      const properties = [
        `file=${commandProperty(d.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `title=${commandProperty(d.rule)}`,
      ].join(',');
      lines.push(`::${severity} ${properties}::${commandData(inert(d.message))}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
