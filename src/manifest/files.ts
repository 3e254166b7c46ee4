import { type Dirent, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const MANIFEST_FILE = /\.ya?ml$/i;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function collect(dir: string, into: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Symbolic links are not followed: a link cannot pull files from outside handovers/ into a run.
    if (entry.isDirectory()) collect(path, into);
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) into.push(path);
  }
}

/** Every `*.yaml` / `*.yml` file under `dir`, sub-folders included, sorted by path. */
export function listManifestFiles(dir: string): string[] {
  const found: string[] = [];
  collect(dir, found);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Every manifest (`*.yaml`, `*.yml`) under the handovers folder, sub-folders included, sorted by path.
 * `dir` is either the repository root (its `handovers/` is searched) or the handovers folder itself;
 * with neither, the answer is [] — never the repository's other YAML files.
 */
export function findManifests(dir: string): string[] {
  const nested = join(dir, 'handovers');
  const root = isDirectory(nested) ? nested : basename(dir) === 'handovers' && isDirectory(dir) ? dir : null;
  return root === null ? [] : listManifestFiles(root);
}
