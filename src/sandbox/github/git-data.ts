/**
 * What `handover prepare` does on GitHub without a checkout: the git data API (blobs, trees, commits,
 * refs), pull request creation and listing, reviewers and assignees, and commit statuses. Shapes follow
 * GitHub's OpenAPI description (`short-blob`, `git-tree`, `git-commit`, `git-ref`, `pull-request`,
 * `status`, `combined-commit-status`); test/conformance checks them against it.
 */
import { createHash } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { DOCS, githubError, notFound, validationFailed } from './errors.js';
import {
  allocateId,
  type GhGitStore,
  type GhStoredPull,
  type GhStoredRepo,
  type GhStoredStatus,
  type GitHubState,
  githubTime,
  headSha,
  SANDBOX_GITHUB_BOT,
  userFor,
} from './model.js';
import {
  issueObject,
  pullRequestObject,
  pullRequestSimpleObject,
  repositoryObject,
  userObject,
} from './wire.js';

const WEB = 'https://github.com';
type Json = Record<string, unknown>;

export interface GitRouteContext {
  state: GitHubState;
  req: SandboxRequest;
  now: Date;
  params: Record<string, string>;
  repo: GhStoredRepo;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The repository's git store; a repository first touched here has one empty commit on its default branch. */
export function gitStore(repo: GhStoredRepo): GhGitStore {
  if (!repo.git) {
    const emptyTree = sha1('tree\u0000');
    const root = sha1(`commit\u0000${repo.owner}/${repo.name}\u0000root`);
    repo.git = {
      blobs: {},
      trees: { [emptyTree]: {} },
      commits: {
        [root]: {
          tree: emptyTree,
          parents: [],
          message: 'Initial commit',
          author: { name: repo.owner, email: `${repo.owner}@users.noreply.github.com`, date: repo.createdAt },
        },
      },
      refs: {},
    };
    // Pull requests seeded without git objects still need their base to be a commit.
    repo.git.refs[`refs/heads/${repo.defaultBranch}`] = root;
  }
  return repo.git;
}

/** Every commit SHA the repository knows, whether written through git data or seeded with a pull request. */
export function knownCommit(repo: GhStoredRepo, sha: string): boolean {
  const lower = sha.toLowerCase();
  if (repo.git?.commits[lower]) return true;
  return repo.pulls.some(
    (p) => p.baseSha === lower || p.commits.includes(lower) || p.mergeCommitSha === lower,
  );
}

/** A file's text at a ref (`main`, a branch, or a commit SHA); undefined when there is none. */
export function fileAt(repo: GhStoredRepo, ref: string, path: string): string | undefined {
  const git = gitStore(repo);
  const commit = git.commits[git.refs[`refs/heads/${ref}`] ?? ref];
  const blob = commit ? git.trees[commit.tree]?.[path] : undefined;
  return blob === undefined ? undefined : Buffer.from(git.blobs[blob] ?? '', 'base64').toString('utf8');
}

/** The emulator's merge moves the default branch to a merge commit with the head's tree, as GitHub's does. */
export function recordMerge(repo: GhStoredRepo, pull: GhStoredPull, mergeSha: string, at: string): void {
  const git = repo.git;
  const head = git?.commits[headSha(pull)];
  if (!git || !head) return;
  const branch = `refs/heads/${pull.baseRef}`;
  git.commits[mergeSha] = {
    tree: head.tree,
    parents: [git.refs[branch] ?? pull.baseSha, headSha(pull)],
    message: `Merge pull request #${pull.number} from ${repo.owner}/${pull.headRef}`,
    author: { name: 'GitHub', email: 'noreply@github.com', date: at },
  };
  git.refs[branch] = mergeSha;
}

function repoUrl(ctx: GitRouteContext): string {
  return `${ctx.req.baseUrl}/repos/${ctx.repo.owner}/${ctx.repo.name}`;
}

function body(ctx: GitRouteContext): Json {
  const value = ctx.req.body;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function invalid(message: string, docs: string): SandboxResponse {
  return githubError(422, message, docs);
}

// ------------------------------------------------------------------ blobs

export function createBlob(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/git/blobs#create-a-blob`;
  const { content, encoding = 'utf-8' } = body(ctx);
  if (typeof content !== 'string') return invalid('Invalid request.\n\n"content" wasn\'t supplied.', docs);
  if (encoding !== 'utf-8' && encoding !== 'base64')
    return invalid(`Invalid request.\n\n${JSON.stringify(encoding)} is not a valid encoding.`, docs);
  const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
  // Git's own object id, so equal content is one blob.
  const sha = createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\u0000`), bytes]))
    .digest('hex');
  gitStore(ctx.repo).blobs[sha] = bytes.toString('base64');
  return { status: 201, body: { url: `${repoUrl(ctx)}/git/blobs/${sha}`, sha } };
}

export function getBlob(ctx: GitRouteContext): SandboxResponse {
  const sha = ctx.params.sha ?? '';
  const content = gitStore(ctx.repo).blobs[sha];
  if (content === undefined) return notFound(`${DOCS}/git/blobs#get-a-blob`);
  return {
    status: 200,
    body: {
      content,
      encoding: 'base64',
      url: `${repoUrl(ctx)}/git/blobs/${sha}`,
      sha,
      size: Buffer.from(content, 'base64').length,
      node_id: Buffer.from(`04:Blob${sha}`).toString('base64'),
    },
  };
}

// ------------------------------------------------------------------ trees

/** The top level of a flat tree as GitHub shows it: files, and one `tree` entry per folder. */
function treeObject(ctx: GitRouteContext, sha: string, paths: Record<string, string>): Json {
  const git = gitStore(ctx.repo);
  const top = new Map<string, Json>();
  for (const [path, blob] of Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))) {
    const [first, ...rest] = path.split('/');
    if (rest.length === 0) {
      top.set(first!, {
        path: first,
        mode: '100644',
        type: 'blob',
        sha: blob,
        size: Buffer.from(git.blobs[blob] ?? '', 'base64').length,
        url: `${repoUrl(ctx)}/git/blobs/${blob}`,
      });
    } else if (!top.has(first!)) {
      const sub = Object.fromEntries(
        Object.entries(paths)
          .filter(([p]) => p.startsWith(`${first}/`))
          .map(([p, b]) => [p.slice(first!.length + 1), b]),
      );
      const subSha = storeTree(git, sub);
      top.set(first!, {
        path: first,
        mode: '040000',
        type: 'tree',
        sha: subSha,
        url: `${repoUrl(ctx)}/git/trees/${subSha}`,
      });
    }
  }
  return { sha, url: `${repoUrl(ctx)}/git/trees/${sha}`, truncated: false, tree: [...top.values()] };
}

function storeTree(git: GhGitStore, paths: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const sha = sha1(`tree\u0000${JSON.stringify(sorted)}`);
  git.trees[sha] = sorted;
  return sha;
}

export function createTree(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/git/trees#create-a-tree`;
  const git = gitStore(ctx.repo);
  const { base_tree: baseTree, tree } = body(ctx);
  if (!Array.isArray(tree)) return invalid('Invalid request.\n\n"tree" wasn\'t supplied.', docs);
  const paths: Record<string, string> = {};
  if (baseTree !== undefined) {
    const base = typeof baseTree === 'string' ? git.trees[baseTree] : undefined;
    if (!base) return invalid('Invalid tree info', docs);
    Object.assign(paths, base);
  }
  for (const raw of tree as Json[]) {
    const path = typeof raw.path === 'string' ? raw.path.replace(/^\/+/, '') : '';
    if (!path || raw.type !== 'blob' || (raw.mode !== '100644' && raw.mode !== '100755'))
      return invalid('GitRPC::BadObjectState', docs);
    if (raw.sha === null) {
      delete paths[path]; // GitHub: `sha: null` deletes the file
      continue;
    }
    if (typeof raw.content === 'string') {
      const bytes = Buffer.from(raw.content, 'utf8');
      const blob = createHash('sha1')
        .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\u0000`), bytes]))
        .digest('hex');
      git.blobs[blob] = bytes.toString('base64');
      paths[path] = blob;
    } else if (typeof raw.sha === 'string' && git.blobs[raw.sha] !== undefined) {
      paths[path] = raw.sha;
    } else {
      return invalid('Invalid tree info', docs);
    }
  }
  const sha = storeTree(git, paths);
  return { status: 201, body: treeObject(ctx, sha, paths) };
}

// ------------------------------------------------------------------ commits

function commitObject(ctx: GitRouteContext, sha: string): Json {
  const commit = gitStore(ctx.repo).commits[sha]!;
  const person = { ...commit.author };
  return {
    sha,
    node_id: Buffer.from(`06:Commit${sha}`).toString('base64'),
    url: `${repoUrl(ctx)}/git/commits/${sha}`,
    html_url: `${WEB}/${ctx.repo.owner}/${ctx.repo.name}/commit/${sha}`,
    author: person,
    committer: person,
    message: commit.message,
    tree: { sha: commit.tree, url: `${repoUrl(ctx)}/git/trees/${commit.tree}` },
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${repoUrl(ctx)}/git/commits/${parent}`,
      html_url: `${WEB}/${ctx.repo.owner}/${ctx.repo.name}/commit/${parent}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function createCommit(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/git/commits#create-a-commit`;
  const git = gitStore(ctx.repo);
  const { message, tree, parents = [], author } = body(ctx);
  if (typeof message !== 'string') return invalid('Invalid request.\n\n"message" wasn\'t supplied.', docs);
  if (typeof tree !== 'string' || !git.trees[tree]) return invalid('Tree SHA does not exist', docs);
  if (!Array.isArray(parents) || parents.some((p) => typeof p !== 'string' || !git.commits[p]))
    return invalid('Parent SHA does not exist or is not a commit object', docs);
  const given = (author ?? {}) as Json;
  const bot = SANDBOX_GITHUB_BOT.login;
  const person = {
    name: typeof given.name === 'string' ? given.name : bot,
    email:
      typeof given.email === 'string' ? given.email : '41898282+github-actions[bot]@users.noreply.github.com',
    date: typeof given.date === 'string' ? given.date : githubTime(ctx.now),
  };
  const sha = sha1(
    `commit\u0000${tree}\u0000${(parents as string[]).join(',')}\u0000${message}\u0000${person.date}`,
  );
  git.commits[sha] = { tree, parents: parents as string[], message, author: person };
  return { status: 201, body: commitObject(ctx, sha) };
}

export function getCommit(ctx: GitRouteContext): SandboxResponse {
  const sha = (ctx.params.sha ?? '').toLowerCase();
  if (!gitStore(ctx.repo).commits[sha]) return notFound(`${DOCS}/git/commits#get-a-commit-object`);
  return { status: 200, body: commitObject(ctx, sha) };
}

// ------------------------------------------------------------------ refs

/** Clients send `heads/a/b` with its slashes escaped (`heads%2Fa%2Fb`), as octokit does. */
function refParam(ctx: GitRouteContext): string {
  try {
    return decodeURIComponent(ctx.params.ref ?? '');
  } catch {
    return '';
  }
}

function refObject(ctx: GitRouteContext, ref: string, sha: string): Json {
  return {
    ref,
    node_id: Buffer.from(`03:Ref${ref}`).toString('base64'),
    url: `${repoUrl(ctx)}/git/${ref}`,
    object: { type: 'commit', sha, url: `${repoUrl(ctx)}/git/commits/${sha}` },
  };
}

export function getRef(ctx: GitRouteContext): SandboxResponse {
  const ref = `refs/${refParam(ctx)}`;
  const sha = gitStore(ctx.repo).refs[ref];
  if (!sha) return notFound(`${DOCS}/git/refs#get-a-reference`);
  return { status: 200, body: refObject(ctx, ref, sha) };
}

export function createRef(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/git/refs#create-a-reference`;
  const git = gitStore(ctx.repo);
  const { ref, sha } = body(ctx);
  if (typeof ref !== 'string' || !/^refs\/.+/.test(ref) || ref.split('/').length < 3)
    return invalid("Reference name must start with 'refs/' and have at least two slashes.", docs);
  if (typeof sha !== 'string' || !git.commits[sha]) return invalid('Object does not exist', docs);
  if (git.refs[ref]) return invalid('Reference already exists', docs);
  git.refs[ref] = sha;
  recordPush(ctx, ref, '0'.repeat(40), sha, 'branch_creation');
  return { status: 201, headers: { location: `${repoUrl(ctx)}/git/${ref}` }, body: refObject(ctx, ref, sha) };
}

function isAncestor(git: GhGitStore, ancestor: string, of: string): boolean {
  const seen = new Set<string>();
  const queue = [of];
  while (queue.length > 0) {
    const sha = queue.pop()!;
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(git.commits[sha]?.parents ?? []));
  }
  return false;
}

export function updateRef(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/git/refs#update-a-reference`;
  const git = gitStore(ctx.repo);
  const ref = `refs/${refParam(ctx)}`;
  const current = git.refs[ref];
  if (!current) return invalid('Reference does not exist', docs);
  const { sha, force } = body(ctx);
  if (typeof sha !== 'string' || !git.commits[sha]) return invalid('Object does not exist', docs);
  const fastForward = isAncestor(git, current, sha);
  if (force !== true && !fastForward) return invalid('Update is not a fast forward', docs);
  git.refs[ref] = sha;
  if (current !== sha) recordPush(ctx, ref, current, sha, fastForward ? 'push' : 'force_push');
  // An open pull request from this branch gets the new head, as a push would give it.
  for (const pull of ctx.repo.pulls) {
    if (pull.state === 'open' && `refs/heads/${pull.headRef}` === ref && headSha(pull) !== sha) {
      pull.commits.push(sha);
      pull.files = changedFiles(ctx.repo, pull.baseSha, sha);
      pull.updatedAt = githubTime(ctx.now);
    }
  }
  return { status: 200, body: refObject(ctx, ref, sha) };
}

/** The repository activity GitHub keeps for a ref the token's identity moved (GET /repos/{o}/{r}/activity). */
function recordPush(
  ctx: GitRouteContext,
  ref: string,
  before: string,
  after: string,
  type: 'push' | 'force_push' | 'branch_creation',
): void {
  ctx.repo.activities ??= [];
  ctx.repo.activities.push({
    id: allocateId(ctx.state),
    ref,
    before,
    after,
    actor: SANDBOX_GITHUB_BOT.login,
    timestamp: githubTime(ctx.now),
    type,
  });
}

// ------------------------------------------------------------------ pull requests

function changedFiles(repo: GhStoredRepo, baseSha: string, head: string): GhStoredPull['files'] {
  const git = gitStore(repo);
  const before = git.trees[git.commits[baseSha]?.tree ?? ''] ?? {};
  const after = git.trees[git.commits[head]?.tree ?? ''] ?? {};
  const lines = (blob: string | undefined) =>
    blob === undefined
      ? 0
      : Buffer.from(git.blobs[blob] ?? '', 'base64')
          .toString('utf8')
          .split('\n').length;
  const files: GhStoredPull['files'] = [];
  for (const path of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (before[path] === after[path]) continue;
    const status = before[path] === undefined ? 'added' : after[path] === undefined ? 'removed' : 'modified';
    files.push({
      filename: path,
      status,
      previousFilename: null,
      additions: status === 'removed' ? 0 : lines(after[path]),
      deletions: status === 'added' ? 0 : lines(before[path]),
    });
  }
  return files;
}

/** `owner:branch` or `branch`, as the `head` of a pull request or its list filter. */
function headBranch(repo: GhStoredRepo, head: string): string | undefined {
  const [owner, branch] = head.includes(':') ? head.split(':', 2) : [repo.owner, head];
  return owner?.toLowerCase() === repo.owner.toLowerCase() ? branch : undefined;
}

export function createPull(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/pulls/pulls#create-a-pull-request`;
  const git = gitStore(ctx.repo);
  const { title, head, base, body: text, draft } = body(ctx);
  if (typeof title !== 'string' || !title.trim())
    return validationFailed('PullRequest', 'title', 'title is missing', docs);
  const branch = typeof head === 'string' ? headBranch(ctx.repo, head) : undefined;
  const headCommit = branch ? git.refs[`refs/heads/${branch}`] : undefined;
  if (!branch || !headCommit) return validationFailed('PullRequest', 'head', 'invalid', docs);
  const baseCommit = typeof base === 'string' ? git.refs[`refs/heads/${base}`] : undefined;
  if (!baseCommit) return validationFailed('PullRequest', 'base', 'invalid', docs);
  if (ctx.repo.pulls.some((p) => p.state === 'open' && p.headRef === branch && p.baseRef === base))
    return validationFailed(
      'PullRequest',
      'head',
      `A pull request already exists for ${ctx.repo.owner}:${branch}.`,
      docs,
    );
  const files = changedFiles(ctx.repo, baseCommit, headCommit);
  if (files.length === 0)
    return validationFailed('PullRequest', 'head', `No commits between ${base} and ${branch}`, docs);
  const at = githubTime(ctx.now);
  const number = ctx.repo.nextNumber;
  ctx.repo.nextNumber += 1;
  const pull: GhStoredPull = {
    number,
    id: allocateId(ctx.state),
    title,
    body: typeof text === 'string' ? text : null,
    author: SANDBOX_GITHUB_BOT.login,
    state: 'open',
    draft: draft === true,
    headRef: branch,
    baseRef: base as string,
    commits: [headCommit],
    baseSha: baseCommit,
    files,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
    assignees: [],
    requestedReviewers: [],
  };
  ctx.repo.pulls.push(pull);
  const wire = pullRequestObject(ctx.state, ctx.req.baseUrl, ctx.repo, pull);
  return { status: 201, headers: { location: String(wire.url) }, body: wire };
}

export function listPulls(ctx: GitRouteContext): SandboxResponse {
  const state = ctx.req.query.get('state') ?? 'open';
  const head = ctx.req.query.get('head');
  const base = ctx.req.query.get('base');
  const branch = head ? headBranch(ctx.repo, head) : undefined;
  const pulls = ctx.repo.pulls
    .filter((p) => state === 'all' || p.state === state)
    .filter((p) => !head || p.headRef === branch)
    .filter((p) => !base || p.baseRef === base)
    .sort((a, b) => b.number - a.number);
  const perPage = Math.min(100, Math.max(1, Number(ctx.req.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(ctx.req.query.get('page') ?? 1) || 1);
  const items = pulls.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    body: items.map((p) => pullRequestSimpleObject(ctx.state, ctx.req.baseUrl, ctx.repo, p)),
  };
}

function findPull(ctx: GitRouteContext): GhStoredPull | undefined {
  return ctx.repo.pulls.find((p) => p.number === Number.parseInt(ctx.params.number ?? '', 10));
}

export function updatePull(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/pulls/pulls#update-a-pull-request`;
  const pull = findPull(ctx);
  if (!pull) return notFound(docs);
  const { title, body: text, state } = body(ctx);
  if (state !== undefined && state !== 'open' && state !== 'closed')
    return validationFailed('PullRequest', 'state', 'state is not included in the list', docs);
  if (pull.mergedAt && state === 'open') return invalid('Cannot reopen a merged pull request', docs);
  const at = githubTime(ctx.now);
  if (typeof title === 'string') pull.title = title;
  if (typeof text === 'string') pull.body = text;
  if (state === 'closed' && pull.state === 'open') {
    pull.state = 'closed';
    pull.closedAt = at;
  } else if (state === 'open' && pull.state === 'closed') {
    pull.state = 'open';
    pull.closedAt = null;
  }
  pull.updatedAt = at;
  return { status: 200, body: pullRequestObject(ctx.state, ctx.req.baseUrl, ctx.repo, pull) };
}

function logins(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

export function requestReviewers(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/pulls/review-requests#request-reviewers-for-a-pull-request`;
  const pull = findPull(ctx);
  if (!pull) return notFound(docs);
  const reviewers = logins(body(ctx).reviewers);
  if (!reviewers) return invalid('Invalid request.\n\n"reviewers" wasn\'t supplied.', docs);
  if (reviewers.some((r) => r.toLowerCase() === pull.author.toLowerCase()))
    return invalid('Review cannot be requested from pull request author.', docs);
  for (const login of reviewers) userFor(ctx.state, login);
  pull.requestedReviewers = [...new Set([...(pull.requestedReviewers ?? []), ...reviewers])];
  return { status: 201, body: pullRequestSimpleObject(ctx.state, ctx.req.baseUrl, ctx.repo, pull) };
}

export function removeReviewers(ctx: GitRouteContext): SandboxResponse {
  const pull = findPull(ctx);
  if (!pull) return notFound(`${DOCS}/pulls/review-requests#remove-requested-reviewers-from-a-pull-request`);
  const reviewers = logins(body(ctx).reviewers) ?? [];
  pull.requestedReviewers = (pull.requestedReviewers ?? []).filter((r) => !reviewers.includes(r));
  return { status: 200, body: pullRequestSimpleObject(ctx.state, ctx.req.baseUrl, ctx.repo, pull) };
}

function pullIssue(ctx: GitRouteContext, pull: GhStoredPull): Json {
  const issue = issueObject(ctx.state, ctx.req.baseUrl, ctx.repo, {
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
  const assignees = (pull.assignees ?? []).map((login) => userObject(ctx.state, ctx.req.baseUrl, login));
  return { ...issue, assignee: assignees[0] ?? null, assignees };
}

export function addAssignees(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/issues/assignees#add-assignees-to-an-issue`;
  const pull = findPull(ctx);
  if (!pull) return notFound(docs);
  const assignees = logins(body(ctx).assignees);
  if (!assignees) return invalid('Invalid request.\n\n"assignees" wasn\'t supplied.', docs);
  for (const login of assignees) userFor(ctx.state, login);
  pull.assignees = [...new Set([...(pull.assignees ?? []), ...assignees])].slice(0, 10);
  return { status: 201, body: pullIssue(ctx, pull) };
}

export function removeAssignees(ctx: GitRouteContext): SandboxResponse {
  const pull = findPull(ctx);
  if (!pull) return notFound(`${DOCS}/issues/assignees#remove-assignees-from-an-issue`);
  const assignees = logins(body(ctx).assignees) ?? [];
  pull.assignees = (pull.assignees ?? []).filter((a) => !assignees.includes(a));
  return { status: 200, body: pullIssue(ctx, pull) };
}

// ------------------------------------------------------------------ statuses

function statusObject(ctx: GitRouteContext, status: GhStoredStatus): Json {
  return {
    url: `${repoUrl(ctx)}/statuses/${status.sha}`,
    avatar_url: null,
    id: status.id,
    node_id: Buffer.from(`06:Status${status.id}`).toString('base64'),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    creator: userObject(ctx.state, ctx.req.baseUrl, status.creator),
  };
}

export function createStatus(ctx: GitRouteContext): SandboxResponse {
  const docs = `${DOCS}/commits/statuses#create-a-commit-status`;
  const sha = (ctx.params.sha ?? '').toLowerCase();
  if (!knownCommit(ctx.repo, sha)) return invalid(`No commit found for SHA: ${ctx.params.sha}`, docs);
  const { state, target_url: targetUrl, description, context = 'default' } = body(ctx);
  if (state !== 'error' && state !== 'failure' && state !== 'pending' && state !== 'success')
    return validationFailed('Status', 'state', 'state is not included in the list', docs);
  if (typeof context !== 'string') return validationFailed('Status', 'context', 'context is invalid', docs);
  if (description !== undefined && description !== null && typeof description !== 'string')
    return validationFailed('Status', 'description', 'description is invalid', docs);
  if (typeof description === 'string' && description.length > 140)
    return validationFailed(
      'Status',
      'description',
      'description is too long (maximum is 140 characters)',
      docs,
    );
  const status: GhStoredStatus = {
    id: allocateId(ctx.state),
    sha,
    state,
    context,
    description: typeof description === 'string' ? description : null,
    targetUrl: typeof targetUrl === 'string' ? targetUrl : null,
    creator: SANDBOX_GITHUB_BOT.login,
    createdAt: githubTime(ctx.now),
  };
  ctx.repo.statuses = [...(ctx.repo.statuses ?? []), status];
  return {
    status: 201,
    headers: { location: `${repoUrl(ctx)}/statuses/${sha}` },
    body: statusObject(ctx, status),
  };
}

function resolveCommit(ctx: GitRouteContext): string | undefined {
  const ref = refParam(ctx);
  const git = gitStore(ctx.repo);
  const viaBranch = git.refs[`refs/heads/${ref}`];
  if (viaBranch) return viaBranch;
  return knownCommit(ctx.repo, ref) ? ref.toLowerCase() : undefined;
}

/** Newest first, as GitHub lists a commit's statuses. */
function statusesOf(ctx: GitRouteContext, sha: string): GhStoredStatus[] {
  return (ctx.repo.statuses ?? []).filter((s) => s.sha === sha).reverse();
}

export function listStatuses(ctx: GitRouteContext): SandboxResponse {
  const sha = resolveCommit(ctx);
  if (!sha) return { status: 200, body: [] };
  return { status: 200, body: statusesOf(ctx, sha).map((s) => statusObject(ctx, s)) };
}

export function combinedStatus(ctx: GitRouteContext): SandboxResponse {
  const sha = resolveCommit(ctx);
  if (!sha) return invalid(`No commit found for SHA: ${ctx.params.ref}`, `${DOCS}/commits/statuses`);
  const latest = new Map<string, GhStoredStatus>();
  for (const status of statusesOf(ctx, sha))
    if (!latest.has(status.context)) latest.set(status.context, status);
  const statuses = [...latest.values()];
  const state = statuses.some((s) => s.state === 'error' || s.state === 'failure')
    ? 'failure'
    : statuses.length === 0 || statuses.some((s) => s.state === 'pending')
      ? 'pending'
      : 'success';
  return {
    status: 200,
    body: {
      state,
      statuses: statuses.map((s) => ({ ...statusObject(ctx, s), creator: undefined })),
      sha,
      total_count: statuses.length,
      repository: repositoryObject(ctx.state, ctx.req.baseUrl, ctx.repo),
      commit_url: `${repoUrl(ctx)}/commits/${sha}`,
      url: `${repoUrl(ctx)}/commits/${sha}/status`,
    },
  };
}

interface GitRoute {
  method: string;
  pattern: RegExp;
  handler: (ctx: GitRouteContext) => SandboxResponse;
}

const SEGMENT = '([^/]+)';
const REPO = `^/repos/${SEGMENT}/${SEGMENT}`;

/** Routed by src/sandbox/github/routes.ts beside the runbook's endpoints. */
export const GIT_DATA_ROUTES: GitRoute[] = [
  { method: 'POST', pattern: new RegExp(`${REPO}/git/blobs$`), handler: createBlob },
  { method: 'GET', pattern: new RegExp(`${REPO}/git/blobs/(?<sha>[0-9a-f]{40})$`), handler: getBlob },
  { method: 'POST', pattern: new RegExp(`${REPO}/git/trees$`), handler: createTree },
  { method: 'POST', pattern: new RegExp(`${REPO}/git/commits$`), handler: createCommit },
  { method: 'GET', pattern: new RegExp(`${REPO}/git/commits/(?<sha>[0-9a-f]{40})$`), handler: getCommit },
  { method: 'GET', pattern: new RegExp(`${REPO}/git/ref/(?<ref>.+)$`), handler: getRef },
  { method: 'POST', pattern: new RegExp(`${REPO}/git/refs$`), handler: createRef },
  { method: 'PATCH', pattern: new RegExp(`${REPO}/git/refs/(?<ref>.+)$`), handler: updateRef },
  { method: 'GET', pattern: new RegExp(`${REPO}/pulls$`), handler: listPulls },
  { method: 'POST', pattern: new RegExp(`${REPO}/pulls$`), handler: createPull },
  { method: 'PATCH', pattern: new RegExp(`${REPO}/pulls/(?<number>\\d+)$`), handler: updatePull },
  {
    method: 'POST',
    pattern: new RegExp(`${REPO}/pulls/(?<number>\\d+)/requested_reviewers$`),
    handler: requestReviewers,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${REPO}/pulls/(?<number>\\d+)/requested_reviewers$`),
    handler: removeReviewers,
  },
  { method: 'POST', pattern: new RegExp(`${REPO}/issues/(?<number>\\d+)/assignees$`), handler: addAssignees },
  {
    method: 'DELETE',
    pattern: new RegExp(`${REPO}/issues/(?<number>\\d+)/assignees$`),
    handler: removeAssignees,
  },
  { method: 'POST', pattern: new RegExp(`${REPO}/statuses/(?<sha>[^/]+)$`), handler: createStatus },
  { method: 'GET', pattern: new RegExp(`${REPO}/commits/(?<ref>[^/]+)/statuses$`), handler: listStatuses },
  { method: 'GET', pattern: new RegExp(`${REPO}/commits/(?<ref>[^/]+)/status$`), handler: combinedStatus },
];
