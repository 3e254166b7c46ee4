import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The npm package this tool is published as; an adopter's repository installs it as a devDependency. */
export const PACKAGE_NAME = '@novavms/handover';

export type SchemaFile = 'handover.schema.json' | 'config.schema.json';

/**
 * The `$schema` reference of a `# yaml-language-server:` line written into `file`, relative to the file's
 * folder, POSIX-style. The schemas ship in the package (`schemas/`), so the reference points at the
 * schema of the installed package: `<root>/node_modules/@novavms/handover/schemas/…` in an adopter's
 * repository, `<root>/schemas/…` in this tool's own. Where the running package is not inside the
 * repository (run from elsewhere, say an npx cache), the reference names the place a devDependency
 * install puts it, which is what docs/adoption.md tells adopters to do.
 */
export function schemaReference(
  root: string,
  file: string,
  schema: SchemaFile,
  packageRoot: string | undefined = ownPackageRoot(),
): string {
  const shipped = packageRoot === undefined ? undefined : join(packageRoot, 'schemas', schema);
  const target =
    shipped !== undefined && isInside(root, shipped) && existsSync(shipped)
      ? shipped
      : join(root, 'node_modules', ...PACKAGE_NAME.split('/'), 'schemas', schema);
  const path = relative(dirname(file), target).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

let cachedRoot: string | undefined | null = null;

/**
 * The folder of the package this code runs from: the nearest folder above this module (src/ in the
 * checkout, lib/ or lib/chunks/ once built) whose package.json is this package's.
 */
export function ownPackageRoot(): string | undefined {
  if (cachedRoot !== null) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  cachedRoot = undefined;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && packageName(manifest) === PACKAGE_NAME) {
      cachedRoot = dir;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cachedRoot;
}

function packageName(file: string): string | undefined {
  try {
    const { name } = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
