/**
 * Writing text we did not author into the Actions log. The runner treats any line that starts with `::`
 * (after leading whitespace) as a workflow command, so a manifest or a service's error text could hide
 * later lines (`::add-mask::`), forge an annotation (`::error::`) or stop command processing. Every line
 * that would start a command is JSON-encoded instead (docs/design.md#logs).
 */
const COMMAND_START = /^\s*::/;

export function neutralizeLine(line: string): string {
  return COMMAND_START.test(line) ? JSON.stringify(line) : line;
}

/** A single log line: line breaks become spaces, and a command start is neutralized. */
export function oneLogLine(text: string): string {
  return neutralizeLine(text.replace(/[\r\n\u2028\u2029]+/g, ' '));
}

/** Splits text into lines that are safe to log one by one (empty trailing line dropped). */
export function safeLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => neutralizeLine(line.replace(/[\u2028\u2029]/g, ' ')));
}
