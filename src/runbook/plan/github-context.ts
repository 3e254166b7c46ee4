import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Why plan cannot find its pull request from the environment: a setup mistake (exit 2). */
export class PullRequestContextError extends Error {
  override readonly name = 'PullRequestContextError';
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review']);

/**
 * The pull request plan reports on: `--pull-request N` when given, else the one of the GitHub Actions
 * event (pull_request or pull_request_review), else none (a local run).
 */
export function pullRequestNumber(env: NodeJS.ProcessEnv, flag: string | undefined): number | null {
  if (flag !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(flag))
      throw new PullRequestContextError(`--pull-request must be a pull request number (got '${flag}')`);
    return Number(flag);
  }
  if (env.GITHUB_ACTIONS !== 'true' || !PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) return null;
  const path = env.GITHUB_EVENT_PATH;
  if (!path)
    throw new PullRequestContextError('GITHUB_EVENT_PATH is not set: cannot tell which pull request this is');
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PullRequestContextError(
      `cannot read the event file GITHUB_EVENT_PATH (${(error as Error).message})`,
    );
  }
  const number = (event as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1)
    throw new PullRequestContextError(`the ${env.GITHUB_EVENT_NAME} event has no pull_request.number`);
  return number;
}

/** The repository root: GITHUB_WORKSPACE in Actions, else the nearest folder with `.git`, else `cwd`. */
export function repositoryRoot(env: NodeJS.ProcessEnv, start: string, cwd: string): string {
  if (env.GITHUB_WORKSPACE) return resolve(env.GITHUB_WORKSPACE);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** The manifest's path as GitHub lists it in the pull request's files: repo-relative, POSIX. */
export function repositoryPath(root: string, file: string): string {
  const path = relative(root, resolve(file));
  if (path.startsWith('..') || isAbsolute(path)) return file.split(sep).join('/');
  return path.split(sep).join('/');
}
