/**
 * The interfaces the rest of handover depends on to talk to the outside world.
 * Only src/providers/* implements them (through the official client libraries over real HTTP);
 * plan and the steps receive them as parameters, so the same code runs against the sandbox and production.
 */

export type ServiceName = 'pagerduty' | 'slack' | 'github' | 'platform';

export type ProviderErrorKind =
  | 'auth' // 401/403: token missing, wrong or lacking a scope — retrying cannot help
  | 'not-found' // 404 or the service's own "not found"
  | 'invalid' // 400/409/422: the request was refused as it stands
  | 'rate-limited' // 429 still answered after every retry
  | 'server' // 5xx still answered after every retry
  | 'network' // connection refused/reset, DNS, TLS
  | 'timeout'; // no answer within the per-request deadline

/** Every failure of a provider call, translated once at the provider boundary. Never carries a token. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly service: ServiceName,
    /** The operation, e.g. `incidents.reassign`. */
    readonly call: string,
    /** The object the call was about, e.g. an incident id; undefined for list calls. */
    readonly object: string | undefined,
    readonly kind: ProviderErrorKind,
    /** HTTP status when there was an answer. */
    readonly status: number | undefined,
    /** The service's own explanation, already stripped of secrets. */
    readonly detail: string,
  ) {
    super(
      `${service} ${call}${object ? ` ${object}` : ''} failed (${kind}${status ? ` ${status}` : ''}): ${detail}`,
    );
  }
}

/** How providers retry 429 and 5xx. Injected so tests run on a fake clock. */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-request deadline. */
  timeoutMs: number;
  /** Waits; tests pass a function that records the delay and resolves at once. */
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): jitter source; tests pass a constant. */
  random: () => number;
  /**
   * The longest one rate-limit wait may take (what is left of the run's time). A limit that resets later
   * fails at once, saying when to re-run, instead of retrying into a certain failure. Default 10 minutes.
   */
  maxRateLimitWaitMs?: number;
}

// ---------------------------------------------------------------- PagerDuty

export type PdIncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface PdIncident {
  id: string;
  title: string;
  status: PdIncidentStatus;
  serviceId: string;
  /** PagerDuty user ids currently assigned. */
  assigneeIds: string[];
  htmlUrl: string;
  createdAt: string;
}

export interface PdNote {
  id: string;
  content: string;
  userId: string | null;
  createdAt: string;
}

export interface PdLogEntry {
  id: string;
  type: string;
  summary: string;
  createdAt: string;
  agentId: string | null;
  /** The incident the entry is about (the account-level log says; an incident's own log too). */
  incidentId?: string;
}

/** One item of a bulk update (PUT /incidents): the fields to set on one incident. */
export interface PdIncidentUpdate {
  id: string;
  /** Assign to exactly this user. */
  assigneeId?: string;
  status?: 'acknowledged';
}

/** PagerDuty takes at most this many incidents in one bulk update (413 above). */
export const PD_BULK_UPDATE_MAX = 250;

export interface PdOverride {
  id: string;
  start: string;
  end: string;
  userId: string;
}

export interface PdOnCall {
  userId: string;
  /** null = permanently on call */
  start: string | null;
  end: string | null;
  escalationLevel: number;
}

export interface PdUser {
  id: string;
  name: string;
  email: string;
  /** PagerDuty's role (`admin`, `user`, `observer`, `read_only_user`…), when the answer carries one. */
  role?: string;
}

export interface PagerDutyProvider {
  /**
   * Every page, oldest first. `userIds` filters on the current assignees. `onFirstPage` is told the
   * first page (and so the oldest incidents) before the other pages are read.
   */
  listIncidents(
    query: {
      serviceIds: string[];
      statuses?: PdIncidentStatus[];
      userIds?: string[];
    },
    options?: { onFirstPage?: (incidents: readonly PdIncident[]) => void },
  ): Promise<PdIncident[]>;
  getIncident(id: string): Promise<PdIncident>;
  /** Sets the assignments to exactly this user; `fromEmail` is the acting admin (the `From` header). */
  reassignIncident(id: string, userId: string, fromEmail: string): Promise<PdIncident>;
  acknowledgeIncident(id: string, fromEmail: string): Promise<PdIncident>;
  /**
   * Up to PD_BULK_UPDATE_MAX incidents in one request (PUT /incidents) as the acting admin. PagerDuty
   * applies all or none: a refusal throws a ProviderError whose `refusedIds` (see `bulkRefusals`) name
   * the incidents it refused, so the rest can be sent again.
   */
  updateIncidents(updates: readonly PdIncidentUpdate[], fromEmail: string): Promise<PdIncident[]>;
  /**
   * The account's log (GET /log_entries, overview only) created since `since`, newest first. Throws
   * ProviderError('invalid') rather than read more than `maxEntries`: the caller reads another way.
   * `expectedEntries`, a guess at the log's length, lets the pages that many fill be asked for at once.
   */
  listAccountLogEntries(since: string, maxEntries: number, expectedEntries?: number): Promise<PdLogEntry[]>;
  addNote(id: string, content: string, fromEmail: string): Promise<PdNote>;
  listNotes(id: string): Promise<PdNote[]>;
  /** Every page. */
  listLogEntries(id: string): Promise<PdLogEntry[]>;
  /** Throws ProviderError('invalid') when the item inside the 201 array failed. */
  createOverride(
    scheduleId: string,
    override: { start: string; end: string; userId: string },
  ): Promise<PdOverride>;
  listOverrides(scheduleId: string, since: string, until: string): Promise<PdOverride[]>;
  /** Every page, deduplicated by user and interval. */
  listOnCalls(scheduleId: string, since: string, until: string): Promise<PdOnCall[]>;
  findUsers(query: string): Promise<PdUser[]>;
  /**
   * Whether writes acting as `fromEmail` would be accepted, found without changing anything: an empty
   * bulk update, which PagerDuty refuses with 403 for a read-only key or a user whose role may not act on
   * incidents, and otherwise rejects as invalid input. Null when allowed, else PagerDuty's explanation.
   */
  writeRefusal(fromEmail: string): Promise<string | null>;
}

// ---------------------------------------------------------------- Slack

export interface SlackReaction {
  name: string;
  count: number;
  users: string[];
}

export interface SlackMessage {
  ts: string;
  text: string;
  user: string | null;
  threadTs: string | null;
  /** Message metadata, present when the post carried it (conversations.history include_all_metadata). */
  metadata: { eventType: string; eventPayload: Record<string, unknown> } | null;
  reactions: SlackReaction[];
}

export interface SlackAccess {
  scopes: string[];
  /** null: conversations.info was refused (no `channels:read`), so membership is unknown. */
  isMember: boolean | null;
}

export interface SlackProvider {
  /** chat.postMessage with mrkdwn-safe text (the caller escapes), no unfurls, no link_names. */
  postMessage(message: {
    channel: string;
    text: string;
    threadTs?: string;
    metadata?: { eventType: string; eventPayload: Record<string, unknown> };
  }): Promise<{ channel: string; ts: string }>;
  /** conversations.history since `oldest` (a Slack ts, exclusive), newest first, every page. */
  history(channel: string, oldest: string): Promise<SlackMessage[]>;
  /**
   * What the bot token may do, read without writing: its scopes (auth.test's `x-oauth-scopes`), and
   * whether the bot is in `channel` (conversations.info `is_member`; null when the token may not ask).
   */
  access(channel: string): Promise<SlackAccess>;
  /** conversations.replies: the parent first, then the replies. */
  replies(channel: string, ts: string): Promise<SlackMessage[]>;
  /** reactions.get with full=true. */
  reactions(channel: string, ts: string): Promise<SlackReaction[]>;
}

// ---------------------------------------------------------------- GitHub

export interface GhPullRequest {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  headSha: string;
  headRef: string;
  baseRef: string;
  author: string;
  htmlUrl: string;
}

export interface GhPullFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previousFilename: string | null;
}

export interface GhReview {
  id: number;
  /** Login; null for a deleted account. */
  user: string | null;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  submittedAt: string | null;
}

export interface GhIssue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  htmlUrl: string;
}

export interface GitHubProvider {
  readonly owner: string;
  readonly repo: string;
  getPullRequest(number: number): Promise<GhPullRequest>;
  /** Every page. */
  listPullFiles(number: number): Promise<GhPullFile[]>;
  /** Every page, chronological. */
  listReviews(number: number): Promise<GhReview[]>;
  /** The pull requests associated with a commit (on the default branch: the one that merged it). */
  pullRequestsForCommit(sha: string): Promise<GhPullRequest[]>;
  /**
   * Who put commit `sha` on branch `headRef` (GitHub's repository activity: pushes, force pushes and the
   * branch's creation whose `after` is that commit), as logins. Empty when GitHub lists no such push
   * (e.g. a branch of a fork).
   */
  pushersOf(headRef: string, sha: string): Promise<string[]>;
  /**
   * Finds the one issue comment whose body contains `marker` (an HTML comment) and updates it,
   * or creates it. Never creates a second one.
   */
  upsertMarkedComment(
    number: number,
    marker: string,
    body: string,
  ): Promise<{ id: number; created: boolean }>;
  /**
   * The body of the marked comment, or null. `author` is the commenter's login when the provider knows it
   * (the Action trusts journal records only from a `…[bot]` author).
   */
  findMarkedComment(
    number: number,
    marker: string,
  ): Promise<{ id: number; body: string; author?: string } | null>;
  getIssue(owner: string, repo: string, number: number): Promise<GhIssue>;
  /**
   * POST /statuses/{sha}: a commit status (the "handover verified" check), unless the commit's latest status
   * of that context already says the same (then false: nothing was written).
   */
  setCommitStatus?(
    sha: string,
    status: { state: 'error' | 'failure' | 'pending' | 'success'; context: string; description: string },
    /** The commit's latest status of that context, when already read (latestCommitStatus): not read again. */
    latest?: CommitStatus | null,
  ): Promise<boolean>;
  /** The commit's latest status of `context`, or null when it has none. */
  latestCommitStatus?(sha: string, context: string): Promise<CommitStatus | null>;
}

/** A commit status as GitHub lists it: the fields a re-run compares before writing another. */
export interface CommitStatus {
  state: string;
  description: string | null;
}

// ---------------------------------------------------------------- Platform admin API (docs/design.md#the-platform-admin-api)

export interface TicketLink {
  url: string;
  kind: 'engineering_issue';
}

export interface Ticket {
  id: string;
  title: string;
  /** Tracker handle. */
  assignee: string | null;
  pinned: boolean;
  status: 'open' | 'pending' | 'closed';
  /** What the ticket waits on, as the tracker sees it. */
  waitingOn: 'customer' | 'engineering' | null;
  labels: string[];
  links: TicketLink[];
  updatedAt: string;
}

export interface TicketComment {
  id: string;
  author: string;
  body: string;
  createdAt: string;
}

export interface ImpersonationSession {
  id: string;
  /** The one human the session belongs to (tracker handle). */
  admin: string;
  ticketId: string | null;
  status: 'open' | 'ended';
  startedAt: string;
  endedAt: string | null;
}

export interface RolloutAnnotation {
  id: string;
  rampPercent: number;
  lastErrorRatePercent: number;
  nextStep: string;
  author: string;
  createdAt: string;
}

export interface Rollout {
  flag: string;
  state: 'ramping' | 'paused' | 'complete' | 'rolled_back';
  rampPercent: number;
  errorRatePercent: number;
  /** Owner of the rollout's annotation (tracker handle). */
  owner: string | null;
  annotations: RolloutAnnotation[];
}

export interface AuditEvent {
  id: string;
  action: string;
  /** Tracker handle of the admin the event is about (for impersonation_ended: the session's admin). */
  actor: string;
  target: string;
  at: string;
}

export interface PlatformProvider {
  listTickets(query: { assignee: string; pinned?: boolean }): Promise<Ticket[]>;
  getTicket(id: string): Promise<Ticket>;
  updateTicket(id: string, patch: { assignee?: string; labels?: string[] }): Promise<Ticket>;
  addTicketLink(id: string, link: TicketLink): Promise<Ticket>;
  listTicketComments(id: string): Promise<TicketComment[]>;
  listImpersonationSessions(query: {
    admin: string;
    status?: 'open' | 'ended';
  }): Promise<ImpersonationSession[]>;
  endImpersonationSession(id: string): Promise<ImpersonationSession>;
  /** GET /rollouts?state=a,b — pass every state to find a finished one too. */
  listRollouts(states: Rollout['state'][]): Promise<Rollout[]>;
  annotateRollout(
    flag: string,
    annotation: { rampPercent: number; lastErrorRatePercent: number; nextStep: string; author: string },
  ): Promise<RolloutAnnotation>;
  setAnnotationOwner(flag: string, owner: string): Promise<Rollout>;
  listAuditEvents(query: { action: string; actor: string; since: string }): Promise<AuditEvent[]>;
  /**
   * The token's scopes as the API names them in `X-Token-Scopes` (read with GET /tickets?limit=1), or null
   * when the API does not say (docs/design.md: the platform token's reach).
   */
  tokenScopes(): Promise<string[] | null>;
}

export interface Providers {
  pagerduty: PagerDutyProvider;
  slack: SlackProvider;
  github: GitHubProvider | null;
  platform: PlatformProvider;
}

/** What every provider factory takes. Tokens come from the environment only (docs/design.md#the-environment-and-the-sandbox). */
export interface ProviderSettings {
  baseUrl: string;
  token: string;
  retry: RetryPolicy;
  /** Calls in flight at once for this provider. */
  concurrency: number;
  /** Waited on before every HTTP request (a rate limiter); none by default. */
  pace?: () => Promise<void>;
}
