import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../cli/io.js';

/**
 * The folder the demo works in: a fresh temporary one, or `--dir PATH` when it is new or empty. An
 * existing folder with files is refused rather than mixed with: the demo writes a config, a manifest
 * and its journals there, and must not overwrite anything of the user's.
 */
export function prepareWorkspace(requested: string | undefined, cwd: string): string {
  if (requested === undefined) return mkdtempSync(resolve(tmpdir(), 'handover-demo-'));
  const dir = resolve(cwd, requested);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  if (!statSync(dir).isDirectory()) throw new UsageError(`--dir ${requested} exists and is not a folder`);
  if (readdirSync(dir).length > 0)
    throw new UsageError(`--dir ${requested} is not empty: give a new or empty folder, or leave --dir out`);
  return dir;
}
