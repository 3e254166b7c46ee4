/**
 * The GitHub emulator's stored world: repositories with their pull requests, issues, reviews
 * and issue comments. URLs are not stored: they are built per request from the sandbox's base
 * URL, so a saved state still works on another port.
 */
import { createHash } from 'node:crypto';

export type GhFileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
export type GhReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface GhStoredUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface GhStoredFile {
  filename: string;
  status: GhFileStatus;
  previousFilename: string | null;
  additions: number;
  deletions: number;
}

export interface GhStoredPull {
  number: number;
  id: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  draft: boolean;
  headRef: string;
  baseRef: string;
  /** Every head commit pushed, oldest first; the last one is the head. */
  commits: string[];
  baseSha: string;
  files: GhStoredFile[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  /** Logins; absent on pull requests created before these were kept (read as none). */
  assignees?: string[];
  requestedReviewers?: string[];
}

export interface GhStoredIssue {
  number: number;
  id: number;
  title: string;
  body: string | null;
  author: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface GhStoredReview {
  id: number;
  pullNumber: number;
  user: string;
  state: GhReviewState;
  body: string;
  commitId: string;
  /** Absent for PENDING reviews, as on GitHub. */
  submittedAt: string | null;
}

export interface GhStoredComment {
  id: number;
  /** Issue or pull request number (they share one sequence per repository). */
  issueNumber: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface GhStoredRepo {
  owner: string;
  name: string;
  id: number;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: string;
  /** Next issue/pull request number. */
  nextNumber: number;
  pulls: GhStoredPull[];
  issues: GhStoredIssue[];
  reviews: GhStoredReview[];
  comments: GhStoredComment[];
  /** Git objects and refs written through the git data API (./git-data.ts); absent until first used. */
  git?: GhGitStore;
  /** Commit statuses, oldest first. */
  statuses?: GhStoredStatus[];
  /**
   * The repository's activity log (GET /repos/{owner}/{repo}/activity): who moved which branch to which
   * commit. Optional so that states saved before it existed still load.
   */
  activities?: GhStoredActivity[];
}

/** A tree as paths (`a/b.yaml`) to blob SHAs: the API's nested trees are rendered from it. */
export interface GhGitStore {
  blobs: Record<string, string>;
  trees: Record<string, Record<string, string>>;
  commits: Record<
    string,
    {
      tree: string;
      parents: string[];
      message: string;
      author: { name: string; email: string; date: string };
    }
  >;
  /** `refs/heads/main` → commit SHA. */
  refs: Record<string, string>;
}

export interface GhStoredStatus {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

/** One entry of GitHub's repository activity: a push, force push or branch creation, and who did it. */
export interface GhStoredActivity {
  id: number;
  /** `refs/heads/<branch>`. */
  ref: string;
  before: string;
  after: string;
  actor: string;
  timestamp: string;
  type: 'push' | 'force_push' | 'branch_creation';
}

export interface GitHubState {
  users: GhStoredUser[];
  repos: GhStoredRepo[];
  /** Next numeric id for anything (reviews, comments, pulls…): GitHub ids are integers. */
  nextId: number;
  /** Counter behind the deterministic commit SHAs. */
  commitCounter: number;
}

/** The identity the sandbox's GitHub token belongs to (what Actions' GITHUB_TOKEN acts as). */
export const SANDBOX_GITHUB_BOT: GhStoredUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export function emptyGitHubState(): GitHubState {
  return { users: [{ ...SANDBOX_GITHUB_BOT }], repos: [], nextId: 1_000_001, commitCounter: 0 };
}

export function allocateId(state: GitHubState): number {
  const id = state.nextId;
  state.nextId += 1;
  return id;
}

/** A new, deterministic 40-hex commit SHA. */
export function newCommitSha(state: GitHubState, salt: string): string {
  state.commitCounter += 1;
  return createHash('sha1').update(`${salt}\u0000${state.commitCounter}`).digest('hex');
}

/** GitHub's timestamp format: ISO 8601 without milliseconds. */
export function githubTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The user record for a login, created on first sight (ids are stable per login). */
export function userFor(state: GitHubState, login: string): GhStoredUser {
  let user = state.users.find((u) => u.login.toLowerCase() === login.toLowerCase());
  if (!user) {
    user = { login, id: 5_000_000 + state.users.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
    state.users.push(user);
  }
  return user;
}

export function findRepo(state: GitHubState, owner: string, name: string): GhStoredRepo | undefined {
  return state.repos.find(
    (r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
  );
}

export function headSha(pull: GhStoredPull): string {
  return pull.commits[pull.commits.length - 1]!;
}
