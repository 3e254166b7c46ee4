import { relative } from 'node:path';
import { errorMessage } from '../format.js';
import { findManifests } from '../manifest/index.js';
import type { CommandContext } from './context.js';
import { githubFromEnvironment } from './github.js';
import { expandPatterns, pullRequestChanges } from './targets.js';

/** The manifests of the checkout, as repo-relative POSIX paths. */
export function workspaceManifests(workspace: string): string[] {
  return findManifests(workspace).map((path) => relative(workspace, path).split('\\').join('/'));
}

export type Targets =
  /** These manifests. */
  | { kind: 'files'; files: string[]; source: 'input' | 'pull-request' }
  /** No particular manifest: the command's own default (every manifest, and the config). */
  | { kind: 'all'; why: string }
  | { kind: 'none'; why: string }
  /** The workflow asked for something that does not exist, or GitHub could not be asked. */
  | { kind: 'error'; message: string };

/**
 * The manifests the event concerns: the `manifests` input when given; on a pull request, the manifests it
 * adds or changes (or, when it changes only the config, everything); otherwise everything.
 */
export async function resolveTargets(ctx: CommandContext): Promise<Targets> {
  if (ctx.inputs.manifests.length > 0) {
    const { files, unmatched } = expandPatterns(ctx.inputs.manifests, workspaceManifests(ctx.workspace));
    if (unmatched.length > 0)
      return {
        kind: 'error',
        message: `input 'manifests': ${unmatched.map((p) => JSON.stringify(p)).join(', ')} matched no manifest under handovers/`,
      };
    return { kind: 'files', files, source: 'input' };
  }
  if (ctx.event.kind !== 'pull-request')
    return { kind: 'all', why: `a ${ctx.event.kind === 'push' ? 'push' : ctx.event.name || 'manual'} event` };

  const github = githubFromEnvironment(ctx.env);
  if (!github)
    return {
      kind: 'error',
      message:
        'GITHUB_TOKEN and GITHUB_REPOSITORY are needed to see what the pull request changes (input github-token)',
    };
  let files: Awaited<ReturnType<typeof github.listPullFiles>>;
  try {
    files = await github.listPullFiles(ctx.event.number);
  } catch (error) {
    return { kind: 'error', message: errorMessage(error) };
  }
  const changes = pullRequestChanges(files, ctx.inputs.config);
  if (changes.manifests.length > 0)
    return { kind: 'files', files: changes.manifests, source: 'pull-request' };
  if (changes.configChanged)
    return { kind: 'all', why: `pull request #${ctx.event.number} changes ${ctx.inputs.config}` };
  return { kind: 'none', why: `pull request #${ctx.event.number} changes no manifest and not the config` };
}
