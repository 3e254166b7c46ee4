import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * How a file is named in reports and messages: relative to `cwd` when inside it (POSIX separators), else
 * absolute. One rule for every command and the action.
 */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : absolute;
}

/** `--config PATH`, else `handover.config.yaml` in the working directory (docs/reference/commands.md). */
export function configPath(value: string | undefined, cwd: string): string {
  return resolve(cwd, value ?? 'handover.config.yaml');
}
