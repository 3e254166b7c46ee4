/**
 * What `handover prepare` and the "handover verified" status write on GitHub, without a checkout:
 * a file committed on a branch through the git data API (blob, tree, commit, ref), the pull request
 * with its assignee and requested reviewer, plain comments, and commit statuses.
 */

import { withRetry } from '../retry.js';
import type { ProviderSettings } from '../types.js';
import { ProviderError } from '../types.js';
import { createGitHubClient } from './client.js';

export interface PreparedPull {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  title: string;
  body: string;
  headRef: string;
  headSha: string;
  author: string;
  htmlUrl: string;
  assignees: string[];
  requestedReviewers: string[];
}

export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success';

export interface GitHubPullWriter {
  readonly owner: string;
  readonly repo: string;
  /** The commit a branch points at, or null when there is no such branch. */
  branchHead(branch: string): Promise<string | null>;
  /**
   * Commits `files` (path → text) on `branch`: a new commit whose tree is `baseBranch`'s with these
   * files, its parent the branch's head (or `baseBranch`'s head for a new branch). Creates or moves
   * the branch; returns the new commit's SHA.
   */
  commitFiles(input: {
    branch: string;
    baseBranch: string;
    files: Record<string, string>;
    message: string;
  }): Promise<string>;
  /** Pull requests whose head branch starts with `prefix`, in any state, newest first. */
  listPulls(prefix: string, state: 'open' | 'all'): Promise<PreparedPull[]>;
  createPull(input: { branch: string; base: string; title: string; body: string }): Promise<PreparedPull>;
  updatePull(
    number: number,
    patch: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<PreparedPull>;
  requestReviewer(number: number, login: string): Promise<void>;
  assign(number: number, login: string): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  setStatus(
    sha: string,
    status: { state: CommitStatusState; context: string; description: string; targetUrl?: string },
  ): Promise<void>;
}

interface PullData {
  number: number;
  state: string;
  merged_at: string | null;
  title: string;
  body: string | null;
  head: { ref: string; sha: string };
  user: { login: string } | null;
  html_url: string;
  assignees?: Array<{ login: string }> | null;
  requested_reviewers?: Array<{ login?: string }> | null;
}

function toPreparedPull(pull: PullData): PreparedPull {
  return {
    number: pull.number,
    state: pull.state === 'closed' ? 'closed' : 'open',
    merged: pull.merged_at !== null,
    title: pull.title,
    body: pull.body ?? '',
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    author: pull.user?.login ?? '',
    htmlUrl: pull.html_url,
    assignees: (pull.assignees ?? []).map((a) => a.login),
    requestedReviewers: (pull.requested_reviewers ?? []).flatMap((r) => (r.login ? [r.login] : [])),
  };
}

export function createGitHubPullWriter(
  settings: ProviderSettings & { owner: string; repo: string },
): GitHubPullWriter {
  const { owner, repo } = settings;
  const { octokit, named } = createGitHubClient(settings);

  const branchHead = async (branch: string): Promise<string | null> => {
    try {
      const { data } = await octokit.git.getRef({ owner, repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not-found') return null;
      throw error;
    }
  };

  return {
    owner,
    repo,

    branchHead: (branch) => named('git.getRef', branch, () => branchHead(branch)),

    commitFiles: ({ branch, baseBranch, files, message }) =>
      named('git.commitFiles', branch, async () => {
        const base = await branchHead(baseBranch);
        if (!base)
          throw new ProviderError('github', 'git.getRef', baseBranch, 'not-found', 404, 'no such branch');
        const { data: baseCommit } = await octokit.git.getCommit({ owner, repo, commit_sha: base });
        const tree = await Promise.all(
          Object.entries(files).map(async ([path, content]) => {
            const { data: blob } = await octokit.git.createBlob({ owner, repo, content, encoding: 'utf-8' });
            return { path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha };
          }),
        );
        const { data: newTree } = await octokit.git.createTree({
          owner,
          repo,
          base_tree: baseCommit.tree.sha,
          tree,
        });
        const current = await branchHead(branch);
        const { data: commit } = await octokit.git.createCommit({
          owner,
          repo,
          message,
          tree: newTree.sha,
          parents: [current ?? base],
        });
        if (current === null) {
          try {
            await octokit.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.sha });
            return commit.sha;
          } catch (error) {
            // Another run created the branch meanwhile: move it below like any existing branch.
            if (!(error instanceof ProviderError && error.status === 422)) throw error;
          }
        }
        // Not forced: a head someone pushed to since we read it is never thrown away.
        await octokit.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
        return commit.sha;
      }),

    listPulls: (prefix, state) =>
      named('pulls.list', prefix, async () => {
        const pulls = await octokit.paginate(octokit.pulls.list, {
          owner,
          repo,
          state,
          per_page: 100,
          sort: 'created',
          direction: 'desc',
        });
        return pulls.filter((p) => p.head.ref.startsWith(prefix)).map((p) => toPreparedPull(p as PullData));
      }),

    createPull: ({ branch, base, title, body }) =>
      named('pulls.create', branch, async () => {
        const { data } = await octokit.pulls.create({ owner, repo, head: branch, base, title, body });
        return toPreparedPull(data as PullData);
      }),

    updatePull: (number, patch) =>
      named('pulls.update', `#${number}`, async () => {
        const { data } = await octokit.pulls.update({ owner, repo, pull_number: number, ...patch });
        return toPreparedPull(data as PullData);
      }),

    requestReviewer: (number, login) =>
      named('pulls.requestReviewers', `#${number}`, async () => {
        await octokit.pulls.requestReviewers({ owner, repo, pull_number: number, reviewers: [login] });
      }),

    assign: (number, login) =>
      named('issues.addAssignees', `#${number}`, async () => {
        await octokit.issues.addAssignees({ owner, repo, issue_number: number, assignees: [login] });
      }),

    comment: (number, body) =>
      named('issues.createComment', `#${number}`, async () => {
        await octokit.issues.createComment({ owner, repo, issue_number: number, body });
      }),

    setStatus: (sha, status) =>
      named('repos.createCommitStatus', sha, () =>
        withRetry(settings.retry, async () => {
          try {
            await octokit.repos.createCommitStatus({
              owner,
              repo,
              sha,
              state: status.state,
              context: status.context,
              // GitHub refuses descriptions over 140 characters.
              description:
                status.description.length > 140 ? `${status.description.slice(0, 139)}…` : status.description,
              ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
            });
            return { ok: true, value: undefined };
          } catch (error) {
            // A status is a value for its context: setting it twice is harmless, so retry like a PUT.
            if (error instanceof ProviderError) return { ok: false, error };
            throw error;
          }
        }),
      ),
  };
}
