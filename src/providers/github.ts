import { createGitHubClient } from './github/client.js';
import { toIssue, toPullFile, toPullRequest, toReview } from './github/convert.js';
import { withRetry } from './retry.js';
import type { ProviderSettings } from './types.js';
import { type CommitStatus, type GitHubProvider, ProviderError } from './types.js';

/**
 * Waits between lookups of a commit's pull requests while GitHub has not linked them yet (about a
 * minute in all): long enough for the usual lag, short enough that a direct push is refused promptly.
 */
export const PULL_LINK_BACKOFF_MS = [2_000, 4_000, 8_000, 16_000, 30_000] as const;

/**
 * The GitHub side of handover, on the shared client (github/client.ts). The one POST we make (creating
 * the marked comment) retries by reading again first.
 */
export function createGitHubProvider(
  settings: ProviderSettings & { owner: string; repo: string },
): GitHubProvider {
  const { owner, repo } = settings;
  const { octokit, named, retryAfterOf } = createGitHubClient(settings);

  const ref = (number: number, ownerName = owner, repoName = repo) => `${ownerName}/${repoName}#${number}`;

  /**
   * The marked comment on the pull request. Ours starts with the marker (upsert puts it first), or is a
   * bot's that carries it; a person merely quoting the marker is never a match. A bot's comment wins over
   * one a person started with the marker, so a forged copy is never the one read back; the author is
   * returned so callers can refuse records nobody's bot wrote. `botOnly` is for writing: a comment a
   * person wrote is never rewritten by the automation (nor would the automation's record then be its own).
   */
  const findMarkedComment = async (number: number, marker: string, botOnly = false) => {
    const comments = await octokit.paginate(octokit.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100,
    });
    const marked = comments.filter((c) => {
      const text = c.body ?? '';
      return text.trimStart().startsWith(marker) || (c.user?.type === 'Bot' && text.includes(marker));
    });
    const ours = marked.find((c) => c.user?.type === 'Bot') ?? (botOnly ? undefined : marked[0]);
    return ours ? { id: ours.id, body: ours.body ?? '', author: ours.user?.login } : null;
  };

  /** GitHub lists a commit's statuses newest first: the first of the context is its latest. */
  const latestStatus = async (sha: string, context: string): Promise<CommitStatus | null> => {
    const { data: existing } = await octokit.repos.listCommitStatusesForRef({
      owner,
      repo,
      ref: sha,
      per_page: 100,
    });
    const latest = existing.find((s) => s.context === context);
    return latest ? { state: latest.state, description: latest.description ?? null } : null;
  };

  return {
    owner,
    repo,

    getPullRequest: (number) =>
      named('pulls.get', ref(number), async () => {
        const { data } = await octokit.pulls.get({ owner, repo, pull_number: number });
        return toPullRequest(data);
      }),

    listPullFiles: (number) =>
      named('pulls.listFiles', ref(number), async () => {
        const files = await octokit.paginate(octokit.pulls.listFiles, {
          owner,
          repo,
          pull_number: number,
          per_page: 100,
        });
        return files.map(toPullFile);
      }),

    listReviews: (number) =>
      named('pulls.listReviews', ref(number), async () => {
        const reviews = await octokit.paginate(octokit.pulls.listReviews, {
          owner,
          repo,
          pull_number: number,
          per_page: 100,
        });
        return reviews.map(toReview);
      }),

    pullRequestsForCommit: (sha) =>
      named('repos.listPullRequestsAssociatedWithCommit', `${owner}/${repo}@${sha}`, async () => {
        // GitHub links a merge commit to its pull request asynchronously: right after the merge the
        // answer can be empty. An empty answer is asked again with backoff before it is believed.
        for (let attempt = 0; ; attempt += 1) {
          const pulls = await octokit.paginate(octokit.repos.listPullRequestsAssociatedWithCommit, {
            owner,
            repo,
            commit_sha: sha,
            per_page: 100,
          });
          if (pulls.length > 0 || attempt >= PULL_LINK_BACKOFF_MS.length) return pulls.map(toPullRequest);
          await settings.retry.sleep(PULL_LINK_BACKOFF_MS[attempt]!);
        }
      }),

    pushersOf: (headRef, sha) =>
      named('repos.listActivities', `${owner}/${repo}@${headRef}`, async () => {
        const activities = await octokit.paginate(octokit.repos.listActivities, {
          owner,
          repo,
          ref: `refs/heads/${headRef}`,
          per_page: 100,
        });
        const logins = activities
          .filter((a) => a.after === sha && a.activity_type !== 'branch_deletion')
          .flatMap((a) => (a.actor?.login ? [a.actor.login] : []));
        return [...new Set(logins)];
      }),

    findMarkedComment: (number, marker) =>
      named('issues.findMarkedComment', ref(number), () => findMarkedComment(number, marker)),

    upsertMarkedComment: (number, marker, text) => {
      const body = text.includes(marker) ? text : `${marker}\n${text}`;
      return named('issues.upsertMarkedComment', ref(number), () =>
        // Read before every write: after a failed create whose fate is unknown (5xx, timeout),
        // the next attempt finds the comment if it was made and updates it instead.
        withRetry<{ id: number; created: boolean }>(settings.retry, async () => {
          const existing = await findMarkedComment(number, marker, true);
          if (existing) {
            if (existing.body !== body) {
              await octokit.issues.updateComment({ owner, repo, comment_id: existing.id, body });
            }
            return { ok: true, value: { id: existing.id, created: false } };
          }
          try {
            const { data } = await octokit.issues.createComment({ owner, repo, issue_number: number, body });
            return { ok: true, value: { id: data.id, created: true } };
          } catch (error) {
            if (!(error instanceof ProviderError)) throw error;
            return { ok: false, error, retryAfterMs: retryAfterOf(error) };
          }
        }),
      );
    },

    latestCommitStatus: (sha, context) =>
      named('repos.listCommitStatusesForRef', `${owner}/${repo}@${sha}`, () => latestStatus(sha, context)),

    setCommitStatus: (sha, status, known) =>
      named('repos.createCommitStatus', `${owner}/${repo}@${sha}`, async () => {
        // Read before write: a re-run whose verdict is unchanged adds no second status.
        const latest = known !== undefined ? known : await latestStatus(sha, status.context);
        const description =
          status.description.length > 140 ? `${status.description.slice(0, 139)}…` : status.description;
        if (latest && latest.state === status.state && latest.description === description) return false;
        // A status is a value per context: repeating the POST is harmless, so it may be retried.
        await withRetry(settings.retry, async () => {
          try {
            await octokit.repos.createCommitStatus({
              owner,
              repo,
              sha,
              state: status.state,
              context: status.context,
              // GitHub refuses descriptions over 140 characters.
              description,
            });
            return { ok: true, value: undefined };
          } catch (error) {
            if (!(error instanceof ProviderError)) throw error;
            return { ok: false, error, retryAfterMs: retryAfterOf(error) };
          }
        });
        return true;
      }),

    getIssue: (issueOwner, issueRepo, number) =>
      named('issues.get', ref(number, issueOwner, issueRepo), async () => {
        const { data } = await octokit.issues.get({
          owner: issueOwner,
          repo: issueRepo,
          issue_number: number,
        });
        return toIssue(data);
      }),
  };
}
