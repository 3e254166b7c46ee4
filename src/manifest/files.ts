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
    // Symbolic links are never followed, nor skipped: listed, they are refused when read (a link could
    // make an approved name execute text that another merge changes). So are other non-regular files.
    if (entry.isDirectory()) collect(path, into);
    else if (entry.isSymbolicLink()) into.push(path);
    else if (MANIFEST_FILE.test(entry.name)) into.push(path);
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
