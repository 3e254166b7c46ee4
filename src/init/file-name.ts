import { join } from 'node:path';

/** `2026-11-26-alice-to-bob`: the manifest id, which is also its file name (docs/design.md#the-manifest). */
export function manifestId(date: Date, outgoing: string, incoming: string): string {
  return `${date.toISOString().slice(0, 10)}-${outgoing}-to-${incoming}`;
}

/** `handovers/<YYYY>/<id>.yaml` below the repository root. */
export function defaultManifestPath(root: string, date: Date, id: string): string {
  return join(root, 'handovers', String(date.getUTCFullYear()), `${id}.yaml`);
}
