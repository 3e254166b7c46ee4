/**
 * The deliberate manual run: `workflow_dispatch` of the apply workflow with two inputs, `manifest` (the
 * path of one merged manifest) and `confirm` (the same path typed again). It executes that one manifest
 * even when apply holds it — merged before a newer handover that finished, stale, or with a ledger record
 * that does not verify — after every other check (its pull request, the acknowledgement, its bytes). Who
 * started it is recorded in the ledger record and the run's summary (docs/adoption.md).
 */
import { readFileSync } from 'node:fs';
import { assessCandidate, type Candidate, type CandidateContext } from './candidates.js';
import type { GitHistory } from './git-history.js';
import { Refusal } from './preconditions.js';

export type ManualRequest =
  | { kind: 'valid'; manifest: string; actor: string; ref: string; defaultBranch: string }
  | { kind: 'invalid'; problem: string };

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The inputs of a workflow_dispatch run, from the event payload the runner wrote. */
export function readManualRequest(
  runner: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ManualRequest {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(readFile(runner.GITHUB_EVENT_PATH ?? '')) as Record<string, unknown>;
  } catch {
    return {
      kind: 'invalid',
      problem: 'the workflow_dispatch event payload could not be read: nothing was applied',
    };
  }
  const inputs = (payload.inputs ?? {}) as Record<string, unknown>;
  const manifest = text(inputs.manifest);
  const confirm = text(inputs.confirm);
  const repository = (payload.repository ?? {}) as Record<string, unknown>;
  if (!/^handovers\/.+\.ya?ml$/i.test(manifest))
    return {
      kind: 'invalid',
      problem: `a manual run names one merged manifest (input manifest, e.g. handovers/2026/2026-11-27-alice-to-bob.yaml), not ${JSON.stringify(manifest)}: nothing was applied`,
    };
  if (confirm !== manifest)
    return {
      kind: 'invalid',
      problem: `a manual run executes a handover out of order only when confirmed: set confirm to the same path as manifest (${manifest}); nothing was applied`,
    };
  return {
    kind: 'valid',
    manifest,
    actor: text(runner.GITHUB_ACTOR) || 'unknown',
    ref: text(payload.ref) || text(runner.GITHUB_REF),
    defaultBranch: text(repository.default_branch),
  };
}

/** A manual run executes from the default branch's tip as checked out, never from another branch. */
export async function acceptManualRun(
  ctx: { core: { info(line: string): void } },
  history: GitHistory,
  request: Extract<ManualRequest, { kind: 'valid' }>,
): Promise<{ head: string; defaultBranch: string }> {
  if (!request.defaultBranch || request.ref !== `refs/heads/${request.defaultBranch}`)
    throw new Refusal(
      `a manual run must be started on the default branch${request.defaultBranch ? ` (${request.defaultBranch})` : ''}, not ${request.ref || 'an unknown ref'}: nothing was applied`,
    );
  if (await history.isShallow())
    throw new Refusal(
      'the checkout is shallow: check out with fetch-depth: 0 so that the history of handovers/ is there',
    );
  const head = await history.head();
  ctx.core.info(
    `Manual run by ${JSON.stringify(request.actor)} for ${JSON.stringify(request.manifest)}, confirmed.`,
  );
  return { head, defaultBranch: request.defaultBranch };
}

/** The named manifest as the one candidate, assessed like any other; refused when no merge added it. */
export async function manualCandidate(
  history: GitHistory,
  head: string,
  manifest: string,
  assess: CandidateContext,
): Promise<Candidate[]> {
  const added = (await history.addedManifests(head)).filter((a) => a.path === manifest);
  const last = added.at(-1);
  if (!last)
    throw new Refusal(`${manifest} was never added on the default branch's history: nothing was applied`);
  return [await assessCandidate(last, assess)];
}
