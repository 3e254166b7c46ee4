import { isAbsolute, resolve } from 'node:path';
import { UsageError } from './io.js';

export type ReportFormat = 'text' | 'json' | 'markdown';

/** Flags every report-printing command takes (for node:util parseArgs). */
export const COMMON_OPTIONS = {
  config: { type: 'string' },
  format: { type: 'string' },
} as const;

export function parseFormat(
  value: string | undefined,
  allowed: readonly ReportFormat[] = ['text', 'json', 'markdown'],
): ReportFormat {
  const format = (value ?? 'text') as ReportFormat;
  if (!allowed.includes(format))
    throw new UsageError(`--format must be one of ${allowed.join(', ')} (got '${value}')`);
  return format;
}

/** `--config PATH`, else `handover.config.yaml` in the working directory (docs/design.md#the-command-line). */
export function configPath(value: string | undefined, cwd: string): string {
  const path = value ?? 'handover.config.yaml';
  return isAbsolute(path) ? path : resolve(cwd, path);
}
