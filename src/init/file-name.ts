import { dirname, join, relative, sep } from 'node:path';

/** `2026-11-26-alice-to-bob`: the manifest id, which is also its file name (docs/design.md#the-manifest). */
export function manifestId(date: Date, outgoing: string, incoming: string): string {
  return `${date.toISOString().slice(0, 10)}-${outgoing}-to-${incoming}`;
}

/** `handovers/<YYYY>/<id>.yaml` below the repository root. */
export function defaultManifestPath(root: string, date: Date, id: string): string {
  return join(root, 'handovers', String(date.getUTCFullYear()), `${id}.yaml`);
}

/** The `$schema` path of the yaml-language-server line, relative to the manifest's folder, POSIX-style. */
export function schemaReference(root: string, manifestPath: string): string {
  const path = relative(dirname(manifestPath), join(root, 'schemas', 'handover.schema.json'));
  return path.split(sep).join('/');
}
