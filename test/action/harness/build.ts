import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Builds the action bundle from the current source with the project's own build script, run in a scratch
 * root that links to src/ and node_modules/. The result is what `npm run build` would write to dist/, but
 * the committed dist/ is left alone (CI's check-dist compares it) and so is lib/, which other test files
 * use while this one runs. Returns the bundle's path and a cleanup.
 */
export function buildActionBundle(): { bundle: string; cleanup: () => void } {
  const scratch = mkdtempSync(join(tmpdir(), 'handover-action-build-'));
  mkdirSync(join(scratch, 'scripts'));
  copyFileSync(join(ROOT, 'scripts/build.mjs'), join(scratch, 'scripts/build.mjs'));
  for (const entry of ['src', 'node_modules', 'package.json', 'tsconfig.json'])
    symlinkSync(join(ROOT, entry), join(scratch, entry));
  execFileSync(process.execPath, [join(scratch, 'scripts/build.mjs')], { cwd: scratch, stdio: 'pipe' });
  return {
    bundle: join(scratch, 'dist/index.js'),
    cleanup: () => rmSync(scratch, { recursive: true, force: true }),
  };
}
