import { timingSafeEqual } from 'node:crypto';
import { githubError } from './github/errors.js';
import { fileAt, recordMerge } from './github/git-data.js';
import { type GitHubLimitSettings, GitHubLimits } from './github/limits.js';
import {
  allocateId,
  emptyGitHubState,
  findRepo,
  type GhFileStatus,
  type GhReviewState,
  type GhStoredActivity,
  type GhStoredComment,
  type GhStoredPull,
  type GhStoredRepo,
  type GhStoredReview,
  type GitHubState,
  githubTime,
  headSha,
  newCommitSha,
  SANDBOX_GITHUB_BOT,
  userFor,
} from './github/model.js';
import { routeGitHub } from './github/routes.js';
import { seedGitHubState } from './github/seed.js';
import { SEED_IDS } from './roster.js';
import type { EmulatorContext, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

export type { GitHubLimitSettings } from './github/limits.js';
export type {
  GhFileStatus,
  GhReviewState,
  GhStoredComment,
  GhStoredPull,
  GhStoredReview,
} from './github/model.js';
export { SANDBOX_GITHUB_BOT } from './github/model.js';
export { SEED_MANIFEST_PATH } from './github/seed.js';

export interface NewPullRequest {
  author: string;
  title: string;
  files: Array<{ filename: string; status: GhFileStatus; previousFilename?: string }>;
  body?: string;
  /** Defaults to `handover/<n>`. */
  headRef?: string;
  /** Who pushed the branch's first commit (the repository's activity log); defaults to the author. */
  pushedBy?: string;
}

export interface NewReview {
  /** The reviewer's GitHub login. */
  user: string;
  state: Exclude<GhReviewState, 'DISMISSED'>;
  /** Defaults to the pull request's current head. */
  commitId?: string;
  body?: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The GitHub REST API subset handover uses, served below `/github` (what `GITHUB_API_URL`
 * points at). The in-process controls play the humans: open a pull request, push, review, merge.
 */
export class GitHubEmulator implements ServiceEmulator {
  readonly service = 'github' as const;
  private state: GitHubState = emptyGitHubState();
  private readonly limits = new GitHubLimits();

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly token: string,
  ) {}

  authenticate(req: SandboxRequest): SandboxResponse | null {
    const header = String(req.headers.authorization ?? '').trim();
    if (!header) return githubError(401, 'Requires authentication');
    const given = /^(?:token|bearer)\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    if (!sameSecret(given, this.token)) return githubError(401, 'Bad credentials');
    return null;
  }

  handle(req: SandboxRequest): SandboxResponse {
    const admitted = this.limits.admit(this.ctx.now().getTime());
    if ('refusal' in admitted) {
      const refusal = admitted.refusal;
      return { ...refusal, headers: { ...refusal.headers, date: this.ctx.now().toUTCString() } };
    }
    const pending = this.limits.pullLinkPending(req, (sha) =>
      this.state.repos.some((r) =>
        r.pulls.some((p) => p.mergedAt !== null && p.mergeCommitSha?.startsWith(sha)),
      ),
    );
    // Before GitHub has linked a fresh merge commit to its pull request, the lookup answers an empty list.
    const response = pending
      ? { status: 200, body: [] }
      : routeGitHub(this.state, req, this.ctx.now(), SANDBOX_GITHUB_BOT.login);
    return {
      ...response,
      headers: {
        'x-github-api-version-selected': '2022-11-28',
        // The sandbox clock, so that a client can measure the reset against the server's time.
        date: this.ctx.now().toUTCString(),
        ...admitted.headers,
        ...response.headers,
      },
    };
  }

  /**
   * Quotas and lag (./github/limits.ts): the primary limit's window (403 when spent), secondary limits,
   * and how many lookups of a fresh merge commit answer no pull request.
   */
  setLimits(settings: Partial<GitHubLimitSettings>): void {
    this.limits.configure(settings, this.ctx.now().getTime());
  }

  isMutation(req: SandboxRequest): boolean {
    return req.method !== 'GET' && req.method !== 'HEAD';
  }

  rateLimited(retryAfterSeconds: number): SandboxResponse {
    const reset = Math.ceil(this.ctx.now().getTime() / 1000) + retryAfterSeconds;
    return {
      status: 429,
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4987',
        'x-ratelimit-used': '13',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
      },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          'If you reach out to GitHub Support for help, please include the request ID 0000:SANDBOX.',
        documentation_url:
          'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '429',
      },
    };
  }

  serverError(): SandboxResponse {
    return { status: 502, body: { message: 'Server Error' } };
  }

  seed(): void {
    this.state = seedGitHubState(this.ctx.now());
  }

  snapshot(): unknown {
    return structuredClone(this.state);
  }

  restore(state: unknown): void {
    const candidate = state as Partial<GitHubState> | undefined;
    this.state =
      candidate && Array.isArray(candidate.repos) && Array.isArray(candidate.users)
        ? { ...emptyGitHubState(), ...structuredClone(candidate) }
        : emptyGitHubState();
  }

  // ------------------------------------------------------------ in-process controls (tests, demo)

  /** Opens a pull request in novavms/oncall against the default branch. */
  createPullRequest(pr: NewPullRequest): { number: number; headSha: string } {
    const repo = this.oncall();
    const number = repo.nextNumber;
    repo.nextNumber += 1;
    userFor(this.state, pr.author);
    const at = this.now();
    const pull: GhStoredPull = {
      number,
      id: allocateId(this.state),
      title: pr.title,
      body: pr.body ?? null,
      author: pr.author,
      state: 'open',
      draft: false,
      headRef: pr.headRef ?? `handover/${number}`,
      baseRef: repo.defaultBranch,
      commits: [newCommitSha(this.state, `pull-${number}`)],
      baseSha: newCommitSha(this.state, `base-${number}`),
      files: pr.files.map((f) => ({
        filename: f.filename,
        status: f.status,
        previousFilename: f.previousFilename ?? null,
        additions: f.status === 'removed' ? 0 : 12,
        deletions: f.status === 'added' ? 0 : 3,
      })),
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      mergedAt: null,
      mergeCommitSha: null,
      mergedBy: null,
    };
    repo.pulls.push(pull);
    this.recordActivity(repo, pull, pr.pushedBy ?? pr.author, 'branch_creation', pull.baseSha);
    return { number, headSha: headSha(pull) };
  }

  /**
   * Pushes a new commit to the pull request's branch; returns the new head SHA. `pushedBy` is who
   * pushed it (the activity log's actor); by default the pull request's author.
   */
  pushCommit(number: number, options: { pushedBy?: string; force?: boolean } = {}): string {
    const pull = this.pull(number);
    if (pull.state !== 'open') throw new Error(`sandbox github: pull request #${number} is ${pull.state}`);
    const before = headSha(pull);
    const sha = newCommitSha(this.state, `pull-${number}`);
    pull.commits.push(sha);
    pull.updatedAt = this.now();
    const pusher = options.pushedBy ?? pull.author;
    userFor(this.state, pusher);
    this.recordActivity(this.oncall(), pull, pusher, options.force ? 'force_push' : 'push', before);
    return sha;
  }

  private recordActivity(
    repo: GhStoredRepo,
    pull: GhStoredPull,
    actor: string,
    type: GhStoredActivity['type'],
    before: string,
  ): void {
    repo.activities ??= [];
    repo.activities.push({
      id: allocateId(this.state),
      ref: `refs/heads/${pull.headRef}`,
      before,
      after: headSha(pull),
      actor,
      timestamp: this.now(),
      type,
    });
  }

  /** Submits a review; returns its id. */
  addReview(number: number, review: NewReview): number {
    const pull = this.pull(number);
    userFor(this.state, review.user);
    const stored: GhStoredReview = {
      id: allocateId(this.state),
      pullNumber: number,
      user: review.user,
      state: review.state,
      body: review.body ?? '',
      commitId: review.commitId ?? headSha(pull),
      submittedAt: review.state === 'PENDING' ? null : this.now(),
    };
    this.oncall().reviews.push(stored);
    return stored.id;
  }

  /** Dismisses a review, as branch protection does on a new push or an admin by hand. */
  dismissReview(number: number, id: number): void {
    const review = this.oncall().reviews.find((r) => r.pullNumber === number && r.id === id);
    if (!review) throw new Error(`sandbox github: no review ${id} on pull request #${number}`);
    review.state = 'DISMISSED';
  }

  /** Merges into the default branch; returns the merge commit SHA (which commits/{sha}/pulls then answers). */
  merge(number: number, by?: string): string {
    const pull = this.pull(number);
    if (pull.state !== 'open') throw new Error(`sandbox github: pull request #${number} is ${pull.state}`);
    const at = this.now();
    const sha = newCommitSha(this.state, `merge-${number}`);
    pull.state = 'closed';
    pull.mergedAt = at;
    pull.closedAt = at;
    pull.updatedAt = at;
    pull.mergeCommitSha = sha;
    pull.mergedBy = by ?? pull.author;
    recordMerge(this.oncall(), pull, sha, at);
    return sha;
  }

  /** Issue comments on the pull request (or issue), oldest first. */
  comments(number: number): GhStoredComment[] {
    return structuredClone(this.oncall().comments.filter((c) => c.issueNumber === number));
  }

  /** A file's text on a branch or at a commit of novavms/oncall (written through the git data API). */
  fileAt(ref: string, path: string): string | undefined {
    return fileAt(this.oncall(), ref, path);
  }

  /** The commit statuses of a SHA, oldest first. */
  statuses(sha: string): Array<{ state: string; context: string; description: string | null }> {
    return structuredClone((this.oncall().statuses ?? []).filter((s) => s.sha === sha));
  }

  /** Every pull request of novavms/oncall, oldest first. */
  pullRequests(): GhStoredPull[] {
    return structuredClone(this.oncall().pulls);
  }

  pullRequest(number: number): GhStoredPull {
    return structuredClone(this.pull(number));
  }

  reviews(number: number): GhStoredReview[] {
    return structuredClone(this.oncall().reviews.filter((r) => r.pullNumber === number));
  }

  /** Adds a comment as someone else (tests of comments the product must not touch). */
  addComment(number: number, user: string, body: string): number {
    this.pull(number);
    const at = this.now();
    const id = allocateId(this.state);
    this.oncall().comments.push({ id, issueNumber: number, user, body, createdAt: at, updatedAt: at });
    return id;
  }

  private now(): string {
    return githubTime(this.ctx.now());
  }

  private oncall(): GhStoredRepo {
    let repo = findRepo(this.state, SEED_IDS.githubOwner, SEED_IDS.githubRepo);
    if (!repo) {
      // An empty sandbox still has the handover repository: the controls need somewhere to act.
      repo = {
        owner: SEED_IDS.githubOwner,
        name: SEED_IDS.githubRepo,
        id: allocateId(this.state),
        private: true,
        description: null,
        defaultBranch: SEED_IDS.githubDefaultBranch,
        createdAt: this.now(),
        nextNumber: 1,
        pulls: [],
        issues: [],
        reviews: [],
        comments: [],
      };
      this.state.repos.push(repo);
    }
    return repo;
  }

  private pull(number: number): GhStoredPull {
    const pull = this.oncall().pulls.find((p) => p.number === number);
    if (!pull) throw new Error(`sandbox github: no pull request #${number} in novavms/oncall`);
    return pull;
  }
}
