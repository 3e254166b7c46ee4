/**
 * The one place that makes text safe for a GitHub Actions log. The runner reads every stdout line with two
 * command grammars (actions/runner, src/Runner.Common/ActionCommand.cs):
 *
 * - `::name props::data`, when the line starts with `::` after leading white space (TryParseV2);
 * - the legacy `##[name props]data`, found ANYWHERE in a line (TryParse).
 *
 * A line counts as one line as .NET's StreamReader reads it: `\r`, `\n` and `\r\n` all end a line.
 * Manifest values, service errors and command output could otherwise hide later lines (`add-mask`), forge
 * an annotation (`error title=Approved`) or silence every later command (`stop-commands`). Every line we
 * build from text we did not write goes through a function here; docs/adoption.md describes the threat.
 * Markdown and Slack escaping are other concerns and live in render/escape.ts.
 */
import { randomBytes } from 'node:crypto';

/** White space the runner's `TrimStart()` removes (.NET char.IsWhiteSpace), beyond JavaScript's `\s`. */
const COMMAND_START = /^[\s\u0085]*::/;
/** The legacy grammar's prefix; it matches anywhere in a line. */
const LEGACY_PREFIX = /##\[/g;
/** What ends a line for the runner, and what ends one for a human reading the log in a browser. */
const LINE_BREAKS = /\r\n?|\n|[\u0085\u2028\u2029]/g;

/**
 * `##[` becomes `## [`: still readable, no longer a legacy command (the result holds no `##[`). For a part
 * of a line whose other parts are ours; whole lines go through neutralizeLine.
 */
export function defuseLegacy(text: string): string {
  return text.replace(LEGACY_PREFIX, '## [');
}

/**
 * One line that is no command in either grammar: `##[` is broken up anywhere, and a line that would start
 * with `::` is JSON-encoded (it then starts with `"`). The input must hold no line break (see oneLogLine).
 */
export function neutralizeLine(line: string): string {
  const defused = defuseLegacy(line);
  return COMMAND_START.test(defused) ? JSON.stringify(defused) : defused;
}

/** A single log line from any text: line breaks become spaces, then it is neutralised. */
export function oneLogLine(text: string): string {
  return neutralizeLine(text.replace(LINE_BREAKS, ' '));
}

/** Text split into lines as the runner would split it, each neutralised (an empty trailing line dropped). */
export function safeLines(text: string): string[] {
  const lines = text.split(LINE_BREAKS);
  if (lines.at(-1) === '') lines.pop();
  return lines.map(neutralizeLine);
}

/**
 * An untrusted value inside a line we write: JSON-encoded (so line breaks are `\n` and it is visibly a
 * value) with `##[` broken up. The quotes also keep it from starting the line.
 */
export function logValue(text: string): string {
  return defuseLegacy(JSON.stringify(text));
}

/** The data part of a `::command::data` line we emit (GitHub's escaping, plus `##[` broken up). */
export function commandData(text: string): string {
  return defuseLegacy(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a `::command k=v::data` line we emit. */
export function commandProperty(text: string): string {
  return commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A workflow command we mean: `::name k=v,…::data`, every part escaped. */
export function workflowCommand(
  name: 'error' | 'warning' | 'notice' | 'group' | 'endgroup' | 'debug',
  data: string,
  properties: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${commandProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${commandData(data)}`;
}

/** A token no text written before it was made can contain: 128 random bits. */
export function stopToken(): string {
  return `handover-${randomBytes(16).toString('hex')}`;
}

/**
 * A block of text we did not write, as log lines: each line neutralised, and the whole block between
 * `::stop-commands::<token>` and `::<token>::`, so that even a line the neutralising missed is not run.
 * Empty text gives no lines (no pair of commands around nothing).
 */
export function untrustedBlock(text: string, token: string = stopToken()): string[] {
  const lines = safeLines(text);
  if (lines.length === 0) return [];
  return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}
