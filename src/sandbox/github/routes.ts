/**
 * The GitHub REST endpoints handover uses, as functions of the stored world and one request.
 * Status codes, error bodies and pagination (`per_page`/`page` with absolute `Link` headers)
 * follow GitHub's.
 */
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { DOCS, githubError, notFound, validationFailed } from './errors.js';
import { GIT_DATA_ROUTES } from './git-data.js';
import {
  allocateId,
  findRepo,
  type GhStoredRepo,
  type GitHubState,
  githubTime,
  SANDBOX_GITHUB_BOT,
} from './model.js';
import {
  activityObject,
  commentObject,
  diffEntryObject,
  fullRepositoryObject,
  issueObject,
  pullAsIssueObject,
  pullRequestObject,
  pullRequestSimpleObject,
  reviewObject,
} from './wire.js';

/** GitHub's limit on issue comment bodies. */
const MAX_COMMENT_BODY = 65_536;

export interface RouteContext {
  state: GitHubState;
  req: SandboxRequest;
  now: Date;
  params: Record<string, string>;
  repo: GhStoredRepo;
  /** The login of the token's owner. */
  viewer: string;
}

type Handler = (ctx: RouteContext) => SandboxResponse;

/**
 * One page of `items`, with GitHub's `Link` header: absolute URLs to this sandbox (clients
 * such as octokit.paginate follow them verbatim), keeping every other query parameter.
 */
export function paginated(req: SandboxRequest, items: unknown[]): SandboxResponse {
  const perPage = clamp(Number.parseInt(req.query.get('per_page') ?? '', 10), 30, 1, 100);
  const page = clamp(Number.parseInt(req.query.get('page') ?? '', 10), 1, 1, Number.MAX_SAFE_INTEGER);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (target: number, rel: string) => {
    const query = new URLSearchParams(req.query);
    query.set('per_page', String(perPage));
    query.set('page', String(target));
    return `<${req.baseUrl}${req.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, headers: links.length ? { link: links.join(', ') } : {}, body };
}

function clamp(value: number, fallback: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

function numberParam(params: Record<string, string>, name: string): number {
  return Number.parseInt(params[name] ?? '', 10);
}

const getRepository: Handler = ({ state, req, repo }) => ({
  status: 200,
  body: fullRepositoryObject(state, req.baseUrl, repo),
});

/**
 * GET /repos/{owner}/{repo}/activity: newest first by default (`direction=asc` for oldest first),
 * filtered by `ref` (a branch name or `refs/heads/…`), `actor` and `activity_type`. GitHub pages this
 * list by cursor; the sandbox's Link header pages by number, which clients follow the same way.
 */
const listActivities: Handler = ({ state, req, repo }) => {
  const refParam = req.query.get('ref');
  const ref = refParam === null ? null : refParam.startsWith('refs/') ? refParam : `refs/heads/${refParam}`;
  const actor = req.query.get('actor');
  const type = req.query.get('activity_type');
  const matching = (repo.activities ?? []).filter(
    (a) =>
      (ref === null || a.ref === ref) &&
      (actor === null || a.actor.toLowerCase() === actor.toLowerCase()) &&
      (type === null || a.type === type),
  );
  const ordered = req.query.get('direction') === 'asc' ? matching : [...matching].reverse();
  return paginated(
    req,
    ordered.map((a) => activityObject(state, req.baseUrl, a)),
  );
};

const getPull: Handler = ({ state, req, repo, params }) => {
  const pull = repo.pulls.find((p) => p.number === numberParam(params, 'number'));
  if (!pull) return notFound(`${DOCS}/pulls/pulls#get-a-pull-request`);
  return { status: 200, body: pullRequestObject(state, req.baseUrl, repo, pull) };
};

/** GET /repos/{owner}/{repo}/pulls?state=open|closed|all (default open), newest first. */
const listPulls: Handler = ({ state, req, repo }) => {
  const wanted = req.query.get('state') ?? 'open';
  const pulls = repo.pulls
    .filter((p) => wanted === 'all' || p.state === wanted)
    .sort((a, b) => b.number - a.number)
    .map((p) => pullRequestObject(state, req.baseUrl, repo, p));
  return paginated(req, pulls);
};

const listPullFiles: Handler = ({ req, repo, params }) => {
  const pull = repo.pulls.find((p) => p.number === numberParam(params, 'number'));
  if (!pull) return notFound(`${DOCS}/pulls/pulls#list-pull-requests-files`);
  // GitHub lists at most 3000 files of a pull request.
  const files = pull.files.slice(0, 3000).map((f) => diffEntryObject(req.baseUrl, repo, pull, f));
  return paginated(req, files);
};

const listReviews: Handler = ({ state, req, repo, params, viewer }) => {
  const number = numberParam(params, 'number');
  if (!repo.pulls.some((p) => p.number === number)) {
    return notFound(`${DOCS}/pulls/reviews#list-reviews-for-a-pull-request`);
  }
  // A pending review is a draft: only its author sees it.
  const reviews = repo.reviews
    .filter((r) => r.pullNumber === number && (r.state !== 'PENDING' || r.user === viewer))
    .map((r) => reviewObject(state, req.baseUrl, repo, r));
  return paginated(req, reviews);
};

const pullsForCommit: Handler = ({ state, req, repo, params }) => {
  const sha = (params.sha ?? '').toLowerCase();
  const known =
    sha.length >= 7 &&
    repo.pulls.some(
      (p) =>
        p.baseSha.startsWith(sha) ||
        p.commits.some((c) => c.startsWith(sha)) ||
        p.mergeCommitSha?.startsWith(sha),
    );
  if (!known) return githubError(422, `No commit found for SHA: ${params.sha}`, `${DOCS}/commits/commits`);
  // A merge commit on the default branch answers the pull request that merged it; a head commit
  // answers the pull requests it belongs to.
  const pulls = repo.pulls.filter(
    (p) => p.mergeCommitSha?.startsWith(sha) || p.commits.some((c) => c.startsWith(sha)),
  );
  return paginated(
    req,
    pulls.map((p) => pullRequestSimpleObject(state, req.baseUrl, repo, p)),
  );
};

const getIssue: Handler = ({ state, req, repo, params }) => {
  const number = numberParam(params, 'number');
  const issue = repo.issues.find((i) => i.number === number);
  if (issue) return { status: 200, body: issueObject(state, req.baseUrl, repo, issue) };
  const pull = repo.pulls.find((p) => p.number === number);
  if (pull) return { status: 200, body: pullAsIssueObject(state, req.baseUrl, repo, pull) };
  return notFound(`${DOCS}/issues/issues#get-an-issue`);
};

function issueExists(repo: GhStoredRepo, number: number): boolean {
  return repo.issues.some((i) => i.number === number) || repo.pulls.some((p) => p.number === number);
}

const listComments: Handler = ({ state, req, repo, params }) => {
  const number = numberParam(params, 'number');
  if (!issueExists(repo, number)) return notFound(`${DOCS}/issues/comments#list-issue-comments`);
  const since = req.query.get('since');
  const comments = repo.comments
    .filter((c) => c.issueNumber === number && (!since || c.updatedAt >= githubTime(new Date(since))))
    .map((c) => commentObject(state, req.baseUrl, repo, c));
  return paginated(req, comments);
};

/** The `body` of a comment request, or the 422 GitHub gives for a missing or oversized one. */
function commentBody(req: SandboxRequest, docs: string): string | SandboxResponse {
  const body = (req.body as { body?: unknown } | undefined)?.body;
  if (typeof body !== 'string') {
    return githubError(
      422,
      `Invalid request.\n\nFor 'properties/body', ${JSON.stringify(body ?? null)} is not a string.`,
      docs,
    );
  }
  if (body.length > MAX_COMMENT_BODY) {
    return validationFailed(
      'IssueComment',
      'body',
      `body is too long (maximum is ${MAX_COMMENT_BODY} characters)`,
      docs,
    );
  }
  return body;
}

const createComment: Handler = ({ state, req, repo, params, now }) => {
  const docs = `${DOCS}/issues/comments#create-an-issue-comment`;
  const number = numberParam(params, 'number');
  if (!issueExists(repo, number)) return notFound(docs);
  const body = commentBody(req, docs);
  if (typeof body !== 'string') return body;
  const at = githubTime(now);
  const comment = {
    id: allocateId(state),
    issueNumber: number,
    user: SANDBOX_GITHUB_BOT.login,
    body,
    createdAt: at,
    updatedAt: at,
  };
  repo.comments.push(comment);
  const wire = commentObject(state, req.baseUrl, repo, comment);
  return { status: 201, headers: { location: String(wire.url) }, body: wire };
};

const updateComment: Handler = ({ state, req, repo, params, now }) => {
  const docs = `${DOCS}/issues/comments#update-an-issue-comment`;
  const comment = repo.comments.find((c) => c.id === numberParam(params, 'id'));
  if (!comment) return notFound(docs);
  const body = commentBody(req, docs);
  if (typeof body !== 'string') return body;
  comment.body = body;
  comment.updatedAt = githubTime(now);
  return { status: 200, body: commentObject(state, req.baseUrl, repo, comment) };
};

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const SEGMENT = '([^/]+)';
const REPO = `^/repos/${SEGMENT}/${SEGMENT}`;

const ROUTES: Route[] = [
  { method: 'GET', pattern: new RegExp(`${REPO}$`), handler: getRepository },
  { method: 'GET', pattern: new RegExp(`${REPO}/activity$`), handler: listActivities },
  { method: 'GET', pattern: new RegExp(`${REPO}/pulls$`), handler: listPulls },
  { method: 'GET', pattern: new RegExp(`${REPO}/pulls/(?<number>\\d+)$`), handler: getPull },
  { method: 'GET', pattern: new RegExp(`${REPO}/pulls/(?<number>\\d+)/files$`), handler: listPullFiles },
  { method: 'GET', pattern: new RegExp(`${REPO}/pulls/(?<number>\\d+)/reviews$`), handler: listReviews },
  { method: 'GET', pattern: new RegExp(`${REPO}/commits/(?<sha>[^/]+)/pulls$`), handler: pullsForCommit },
  { method: 'GET', pattern: new RegExp(`${REPO}/issues/(?<number>\\d+)$`), handler: getIssue },
  { method: 'GET', pattern: new RegExp(`${REPO}/issues/(?<number>\\d+)/comments$`), handler: listComments },
  { method: 'POST', pattern: new RegExp(`${REPO}/issues/(?<number>\\d+)/comments$`), handler: createComment },
  { method: 'PATCH', pattern: new RegExp(`${REPO}/issues/comments/(?<id>\\d+)$`), handler: updateComment },
  // handover prepare: git data, pull request creation, reviewers, assignees, statuses.
  ...GIT_DATA_ROUTES,
];

/** `viewer` is the login the token belongs to: some answers (pending reviews) depend on who asks. */
export function routeGitHub(
  state: GitHubState,
  req: SandboxRequest,
  now: Date,
  viewer: string,
): SandboxResponse {
  const path = req.path.replace(/\/+$/, '');
  for (const route of ROUTES) {
    if (route.method !== req.method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const repo = findRepo(state, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
    if (!repo) return notFound();
    return route.handler({ state, req, now, params: { ...match.groups }, repo, viewer });
  }
  return notFound();
}
