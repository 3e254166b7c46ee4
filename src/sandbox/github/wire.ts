/**
 * GitHub REST response objects built from the stored world, shaped after GitHub's OpenAPI
 * description (`simple-user`, `repository`, `pull-request`, `diff-entry`, `pull-request-review`,
 * `issue`, `issue-comment`). API URLs point at the sandbox (`api`), web URLs at github.com.
 */
import { createHash } from 'node:crypto';
import {
  type GhStoredActivity,
  type GhStoredComment,
  type GhStoredFile,
  type GhStoredIssue,
  type GhStoredPull,
  type GhStoredRepo,
  type GhStoredReview,
  type GitHubState,
  headSha,
  userFor,
} from './model.js';

const WEB = 'https://github.com';

type Json = Record<string, unknown>;

/** GitHub's legacy global ids: base64 of `0<length>:<Type><id>` (e.g. `MDQ6VXNlcjE=` for user 1). */
function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

export function userObject(state: GitHubState, api: string, login: string): Json {
  const user = userFor(state, login);
  const url = `${api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? 'Bot' : 'User', user.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${WEB}/${user.type === 'Bot' ? `apps/${user.login.replace(/\[bot\]$/, '')}` : user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The `repository` object (as embedded in a pull request's head and base). */
export function repositoryObject(state: GitHubState, api: string, repo: GhStoredRepo): Json {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}`;
  const openIssues = repo.issues.filter((i) => i.state === 'open').length;
  const openPulls = repo.pulls.filter((p) => p.state === 'open').length;
  const pushedAt = [repo.createdAt, ...repo.pulls.map((p) => p.updatedAt)].sort().pop()!;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: full,
    owner: { ...userObject(state, api, repo.owner), type: 'Organization' },
    private: repo.private,
    html_url: `${WEB}/${full}`,
    description: repo.description,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${WEB}/${full}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${WEB}/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 128,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues + openPulls,
    open_issues: openIssues + openPulls,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: pushedAt,
    created_at: repo.createdAt,
    updated_at: pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_forking: false,
    web_commit_signoff_required: false,
    license: null,
  };
}

/** GET /repos/{owner}/{repo}: the `full-repository` object. */
export function fullRepositoryObject(state: GitHubState, api: string, repo: GhStoredRepo): Json {
  return {
    ...repositoryObject(state, api, repo),
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: false,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    network_count: 0,
    subscribers_count: 3,
    organization: { ...userObject(state, api, repo.owner), type: 'Organization' },
  };
}

function pullUrls(api: string, repo: GhStoredRepo, pull: GhStoredPull): Record<string, string> {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/pulls/${pull.number}`;
  return {
    url,
    html_url: `${WEB}/${full}/pull/${pull.number}`,
    diff_url: `${WEB}/${full}/pull/${pull.number}.diff`,
    patch_url: `${WEB}/${full}/pull/${pull.number}.patch`,
    issue_url: `${api}/repos/${full}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${api}/repos/${full}/issues/${pull.number}/comments`,
    statuses_url: `${api}/repos/${full}/statuses/${headSha(pull)}`,
  };
}

/** The `pull-request-simple` object (lists, commits/{sha}/pulls). */
export function pullRequestSimpleObject(
  state: GitHubState,
  api: string,
  repo: GhStoredRepo,
  pull: GhStoredPull,
): Json {
  const urls = pullUrls(api, repo, pull);
  const repoObject = repositoryObject(state, api, repo);
  const author = userObject(state, api, pull.author);
  const owner = userObject(state, api, repo.owner);
  return {
    ...urls,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: author,
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: pull.assignees?.[0] ? userObject(state, api, pull.assignees[0]) : null,
    assignees: (pull.assignees ?? []).map((login) => userObject(state, api, login)),
    requested_reviewers: (pull.requestedReviewers ?? []).map((login) => userObject(state, api, login)),
    requested_teams: [],
    head: {
      label: `${repo.owner}:${pull.headRef}`,
      ref: pull.headRef,
      sha: headSha(pull),
      user: owner,
      repo: repoObject,
    },
    base: {
      label: `${repo.owner}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: pull.baseSha,
      user: owner,
      repo: repoObject,
    },
    _links: {
      self: { href: urls.url },
      html: { href: urls.html_url },
      issue: { href: urls.issue_url },
      comments: { href: urls.comments_url },
      review_comments: { href: urls.review_comments_url },
      review_comment: { href: urls.review_comment_url },
      commits: { href: urls.commits_url },
      statuses: { href: urls.statuses_url },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: pull.draft,
  };
}

/** GET /repos/{o}/{r}/pulls/{n}: the full `pull-request` object. */
export function pullRequestObject(
  state: GitHubState,
  api: string,
  repo: GhStoredRepo,
  pull: GhStoredPull,
): Json {
  const comments = repo.comments.filter((c) => c.issueNumber === pull.number).length;
  const open = pull.state === 'open';
  return {
    ...pullRequestSimpleObject(state, api, repo, pull),
    merged: pull.mergedAt !== null,
    mergeable: open ? true : null,
    rebaseable: open ? true : null,
    mergeable_state: open ? 'clean' : 'unknown',
    merged_by: pull.mergedBy ? userObject(state, api, pull.mergedBy) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.commits.length,
    additions: pull.files.reduce((sum, f) => sum + f.additions, 0),
    deletions: pull.files.reduce((sum, f) => sum + f.deletions, 0),
    changed_files: pull.files.length,
  };
}

/** One entry of GET /pulls/{n}/files (`diff-entry`). */
export function diffEntryObject(
  api: string,
  repo: GhStoredRepo,
  pull: GhStoredPull,
  file: GhStoredFile,
): Json {
  const full = `${repo.owner}/${repo.name}`;
  const head = headSha(pull);
  const path = file.filename.split('/').map(encodeURIComponent).join('/');
  const entry: Json = {
    sha: createBlobSha(file.filename, head),
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${WEB}/${full}/blob/${head}/${path}`,
    raw_url: `${WEB}/${full}/raw/${head}/${path}`,
    contents_url: `${api}/repos/${full}/contents/${path}?ref=${head}`,
  };
  if (file.previousFilename) entry.previous_filename = file.previousFilename;
  return entry;
}

/** A stable pseudo blob SHA per file and head commit. */
function createBlobSha(filename: string, head: string): string {
  return createHash('sha1').update(`blob\u0000${head}\u0000${filename}`).digest('hex');
}

export function reviewObject(
  state: GitHubState,
  api: string,
  repo: GhStoredRepo,
  review: GhStoredReview,
): Json {
  const full = `${repo.owner}/${repo.name}`;
  const wire: Json = {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: userObject(state, api, review.user),
    body: review.body,
    state: review.state,
    html_url: `${WEB}/${full}/pull/${review.pullNumber}#pullrequestreview-${review.id}`,
    pull_request_url: `${api}/repos/${full}/pulls/${review.pullNumber}`,
    author_association: 'MEMBER',
    _links: {
      html: { href: `${WEB}/${full}/pull/${review.pullNumber}#pullrequestreview-${review.id}` },
      pull_request: { href: `${api}/repos/${full}/pulls/${review.pullNumber}` },
    },
    commit_id: review.commitId,
  };
  if (review.submittedAt) wire.submitted_at = review.submittedAt;
  return wire;
}

export function issueObject(state: GitHubState, api: string, repo: GhStoredRepo, issue: GhStoredIssue): Json {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${api}/repos/${full}/issues/${issue.number}`;
  return {
    id: issue.id,
    node_id: nodeId('Issue', issue.id),
    url,
    repository_url: `${api}/repos/${full}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${WEB}/${full}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state === 'closed' ? 'completed' : null,
    title: issue.title,
    body: issue.body,
    user: userObject(state, api, issue.author),
    labels: [],
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: repo.comments.filter((c) => c.issueNumber === issue.number).length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: 'MEMBER',
  };
}

/** GET /issues/{n} for a pull request: GitHub answers the issue side with a `pull_request` link. */
export function pullAsIssueObject(
  state: GitHubState,
  api: string,
  repo: GhStoredRepo,
  pull: GhStoredPull,
): Json {
  const full = `${repo.owner}/${repo.name}`;
  const issue = issueObject(state, api, repo, {
    number: pull.number,
    id: pull.id + 500_000_000,
    title: pull.title,
    body: pull.body,
    author: pull.author,
    state: pull.state,
    createdAt: pull.createdAt,
    updatedAt: pull.updatedAt,
    closedAt: pull.closedAt,
  });
  return {
    ...issue,
    draft: pull.draft,
    pull_request: {
      url: `${api}/repos/${full}/pulls/${pull.number}`,
      html_url: `${WEB}/${full}/pull/${pull.number}`,
      diff_url: `${WEB}/${full}/pull/${pull.number}.diff`,
      patch_url: `${WEB}/${full}/pull/${pull.number}.patch`,
      merged_at: pull.mergedAt,
    },
  };
}

export function commentObject(
  state: GitHubState,
  api: string,
  repo: GhStoredRepo,
  comment: GhStoredComment,
): Json {
  const full = `${repo.owner}/${repo.name}`;
  const isPull = repo.pulls.some((p) => p.number === comment.issueNumber);
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: `${api}/repos/${full}/issues/comments/${comment.id}`,
    html_url: `${WEB}/${full}/${isPull ? 'pull' : 'issues'}/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userObject(state, api, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${api}/repos/${full}/issues/${comment.issueNumber}`,
    author_association: comment.user.endsWith('[bot]') ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
  };
}

/** An entry of GET /repos/{owner}/{repo}/activity ("activity" in GitHub's REST description). */
export function activityObject(state: GitHubState, api: string, activity: GhStoredActivity): Json {
  return {
    id: activity.id,
    node_id: nodeId('RepositoryActivity', activity.id),
    before: activity.before,
    after: activity.after,
    ref: activity.ref,
    timestamp: activity.timestamp,
    activity_type: activity.type,
    actor: userObject(state, api, activity.actor),
  };
}
