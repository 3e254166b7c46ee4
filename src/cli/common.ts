import { type Clock, fixedClock, parseInstant, systemClock } from '../clock.js';
import { CONFIG_EXIT, type ConfigOutcome, openConfig } from '../config/index.js';
import { configPath, displayPath } from '../core/paths.js';
import { type CliIO, type ReportFormat, UsageError } from './io.js';
import { renderDiagnostics } from './report/diagnostics.js';
import type { CommandLine } from './usage.js';

export type { ReportFormat } from './io.js';

export function parseFormat(
  value: string | boolean | undefined,
  allowed: readonly ReportFormat[] = ['text', 'json', 'markdown'],
): ReportFormat {
  const format = (value ?? 'text') as ReportFormat;
  if (!allowed.includes(format))
    throw new UsageError(`--format must be one of ${allowed.join(', ')} (got '${value}')`);
  return format;
}

/** A string flag's value (the parser, driven by the command's description, guarantees the type). */
export function stringFlag(line: CommandLine, name: string): string | undefined {
  const value = line.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function switchFlag(line: CommandLine, name: string): boolean {
  return line.values[name] === true;
}

/** An ISO 8601 instant flag, or a UsageError naming it. */
export function instantFlag(line: CommandLine, name: string): Date | undefined {
  const value = stringFlag(line, name);
  if (value === undefined) return undefined;
  const date = parseInstant(value);
  if (!date)
    throw new UsageError(
      `--${name} must be an ISO 8601 instant such as 2026-11-26T16:00:00Z (got '${value}')`,
    );
  return date;
}

/** The run's clock: `--now` pins it; otherwise the machine's (src/clock.ts, the one place that reads it). */
export function clockFlag(line: CommandLine): Clock {
  const at = instantFlag(line, 'now');
  return at ? fixedClock(at) : systemClock;
}

/**
 * The config for a command, by the one rule (docs/reference/commands.md): unreadable → exit 2, readable
 * but invalid → exit 1 with its diagnostics, in the command's format (JSON on stdout in JSON mode).
 * Returns the valid config, or the exit code after reporting.
 */
export function commandConfig(
  command: string,
  line: CommandLine,
  io: CliIO,
  format: ReportFormat,
): { config: Extract<ConfigOutcome, { kind: 'valid' }> } | { exit: number } {
  const path = configPath(stringFlag(line, 'config'), io.cwd);
  const outcome = openConfig(path, displayPath(path, io.cwd));
  if (outcome.kind === 'valid') {
    // Warnings do not stop a command, but are not hidden either.
    if (outcome.diagnostics.length > 0 && format !== 'json')
      io.stderr(renderDiagnostics(outcome.diagnostics, 'text', { [outcome.displayPath]: outcome.text }));
    return { config: outcome };
  }
  if (outcome.kind === 'unreadable') {
    if (format === 'json')
      io.stdout(`${JSON.stringify({ error: outcome.message, exitCode: CONFIG_EXIT.unreadable })}\n`);
    io.stderr(`handover ${command}: ${outcome.message}\n`);
    return { exit: CONFIG_EXIT.unreadable };
  }
  if (format === 'json') io.stdout(renderDiagnostics(outcome.diagnostics, 'json'));
  else io.stderr(renderDiagnostics(outcome.diagnostics, 'text', { [outcome.displayPath]: outcome.text }));
  io.stderr(`handover ${command}: the config ${outcome.displayPath} is not valid; fix it first\n`);
  return { exit: CONFIG_EXIT.invalid };
}
