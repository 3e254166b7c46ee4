/** GitHub REST objects → our domain types. Only the fields handover reads survive. */
import type { GhIssue, GhPullFile, GhPullRequest, GhReview } from '../types.js';

interface PullLike {
  number: number;
  title: string;
  state: string;
  merged?: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string; ref: string };
  base: { ref: string };
  user: { login: string } | null;
  html_url: string;
}

export function toPullRequest(pull: PullLike): GhPullRequest {
  const merged = pull.merged ?? pull.merged_at !== null;
  return {
    number: pull.number,
    title: pull.title,
    state: pull.state === 'closed' ? 'closed' : 'open',
    merged,
    mergedAt: pull.merged_at,
    // Before a merge GitHub reports its test-merge commit here: not a commit on any branch.
    mergeCommitSha: merged ? pull.merge_commit_sha : null,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseRef: pull.base.ref,
    author: pull.user?.login ?? '',
    htmlUrl: pull.html_url,
  };
}

const FILE_STATUSES = new Set<GhPullFile['status']>([
  'added',
  'removed',
  'modified',
  'renamed',
  'copied',
  'changed',
  'unchanged',
]);

export function toPullFile(file: {
  filename: string;
  status: string;
  previous_filename?: string;
}): GhPullFile {
  const status = FILE_STATUSES.has(file.status as GhPullFile['status'])
    ? (file.status as GhPullFile['status'])
    : 'changed';
  return { filename: file.filename, status, previousFilename: file.previous_filename ?? null };
}

const REVIEW_STATES = new Set<GhReview['state']>([
  'APPROVED',
  'CHANGES_REQUESTED',
  'COMMENTED',
  'DISMISSED',
  'PENDING',
]);

export function toReview(review: {
  id: number;
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string;
}): GhReview {
  const state = REVIEW_STATES.has(review.state as GhReview['state'])
    ? (review.state as GhReview['state'])
    : 'COMMENTED';
  return {
    id: review.id,
    user: review.user?.login ?? null,
    state,
    commitId: review.commit_id ?? '',
    submittedAt: review.submitted_at ?? null,
  };
}

export function toIssue(issue: { number: number; title: string; state: string; html_url: string }): GhIssue {
  return {
    number: issue.number,
    title: issue.title,
    state: issue.state === 'closed' ? 'closed' : 'open',
    htmlUrl: issue.html_url,
  };
}
