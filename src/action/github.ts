import { createGitHubProvider } from '../providers/github.js';
import { DEFAULT_URLS } from '../providers/index.js';
import { DEFAULT_RETRY } from '../providers/retry.js';
import type { GitHubProvider } from '../providers/types.js';

/**
 * The GitHub provider for the action's own questions (which files a pull request changes, which pull
 * request merged a commit, the journal comments). It needs no handover config, so it works even when the
 * config is the thing a pull request breaks. Null when the token or the repository is missing.
 */
export function githubFromEnvironment(env: NodeJS.ProcessEnv): GitHubProvider | null {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!env.GITHUB_TOKEN || !owner || !repo) return null;
  return createGitHubProvider({
    baseUrl: env.GITHUB_API_URL || DEFAULT_URLS.github,
    token: env.GITHUB_TOKEN,
    retry: DEFAULT_RETRY,
    concurrency: 4,
    owner,
    repo,
  });
}
