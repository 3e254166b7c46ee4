/**
 * The manifest prepare commits: exactly what `handover init` would write for the shift change's
 * outgoing and incoming admins, from the same live state and the same drafting code.
 */
import type { HandoverConfig } from '../config/types.js';
import { type DraftRequest, draftManifest, manifestSkeleton } from '../init/draft.js';
import { defaultManifestPath, manifestId } from '../init/file-name.js';
import { defaultWindow } from '../init/window.js';
import { renderDraft } from '../init/yaml.js';
import type { Providers } from '../providers/types.js';
import { readLiveState } from '../runbook/live-state.js';
import { schemaReference } from '../schema-reference.js';

export interface PreparedDraft {
  request: DraftRequest;
  /** Repo-relative, POSIX: handovers/<YYYY>/<id>.yaml */
  path: string;
  yaml: string;
  counts: { incidents: number; tickets: number; rollouts: number; placeholders: number };
}

/** A folder that stands for the repository root when paths are made repo-relative. */
const ROOT = '/repository';

export async function draftForChange(
  providers: Pick<Providers, 'pagerduty' | 'platform'>,
  config: HandoverConfig,
  change: { at: string; outgoing: string; incoming: string },
  windowHours: number,
  now: Date,
): Promise<PreparedDraft> {
  const start = new Date(change.at);
  // The shift change is the rotation's: weekly-rotation relies on it, and apply adds an override only
  // where the final schedule does not already put the incoming admin on call (docs/design.md, apply's step 1).
  const request: DraftRequest = {
    id: manifestId(start, change.outgoing, change.incoming),
    variant: 'weekly-rotation',
    reason: 'rotation',
    outgoing: change.outgoing,
    incoming: change.incoming,
    window: defaultWindow({ variant: 'weekly-rotation', now, start, hours: windowHours }),
  };
  const live = await readLiveState(providers as Providers, config, manifestSkeleton(request), now);
  const draft = draftManifest(request, config, live);
  const absolute = defaultManifestPath(ROOT, start, request.id);
  const yaml = renderDraft(draft, {
    // Committed into the on-call repository, which installs the package as a devDependency (docs/adoption.md).
    schemaReference: schemaReference(ROOT, absolute, 'handover.schema.json', undefined),
    generatedAt: now,
    generator: 'prepare',
  });
  return {
    request,
    path: absolute
      .slice(ROOT.length + 1)
      .split('\\')
      .join('/'),
    yaml,
    counts: draft.counts,
  };
}
