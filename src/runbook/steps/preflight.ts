import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { HandoverConfig } from '../../config/types.js';
import { DEFAULT_DEADLINE_SECONDS, RunDeadline } from '../../core/deadline.js';
import type { Diagnostic } from '../../diagnostics.js';
import { shortSha } from '../../format.js';
import type { JournalRecorder } from '../../journal/recorder.js';
import { formatActionLine } from '../../journal/render-text.js';
import type { Handover } from '../../manifest/types.js';
import { PROBE_TIMEOUT_MS, unreachableServices } from '../../preflight/reachability.js';
import { createProviders, MissingCredentialsError, pagerDutyFrom } from '../../providers/index.js';
import { pagerDutyPacer } from '../../providers/pacing.js';
import { DEFAULT_RETRY } from '../../providers/retry.js';
import type { PagerDutyProvider, Providers, RetryPolicy, ServiceName } from '../../providers/types.js';
import { type GhPullRequest, type GitHubProvider, ProviderError } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import { incidentNumberCheck, incidentNumberFindings } from '../incident-numbers.js';
import type { LiveState } from '../live-state.js';
import { askPermissions, type PermissionProblem, permissionCheck } from '../permissions.js';
import type { PlanFinding } from '../plan/finding.js';
import { isOpen, quoted } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import type { AcknowledgementInfo } from '../runtime/context.js';
import { type ApplyContext, emptyResults, type Person } from '../runtime/context.js';
import type { ApplyOptions } from '../runtime/options.js';
import type { StepLogs } from '../runtime/step-logs.js';
import { StepRun } from '../runtime/step-run.js';
import { type OpenIncidents, startOpenIncidentsRead } from './incidents.js';
import { NOT_VERIFIED } from './incidents-notes.js';
import { APPROVER_PUSHED_IN_EMERGENCY, evaluateAcknowledgement } from './preflight-acknowledgement.js';

/** Where the pull request that carries the acknowledgement comes from (docs/design.md#step-0-preflight). */
export type PullRequestSource =
  | { kind: 'number'; number: number }
  | { kind: 'push'; sha: string }
  | { kind: 'none'; why: string };

/**
 * `--pull-request N` when given (the Action passes it for each manifest when one run applies several);
 * otherwise, inside GitHub Actions on a push, the commit the push brought (its pull request is the one
 * that merged it); otherwise none. Pure apart from `readEvent`.
 */
export function pullRequestSource(
  env: NodeJS.ProcessEnv,
  pullRequest: number | undefined,
  readEvent: (path: string) => string,
): PullRequestSource {
  if (pullRequest !== undefined) return { kind: 'number', number: pullRequest };
  if (env.GITHUB_ACTIONS !== 'true' || env.GITHUB_EVENT_NAME !== 'push')
    return { kind: 'none', why: 'not a push event in GitHub Actions and no --pull-request given' };
  let sha: unknown = env.GITHUB_SHA;
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readEvent(env.GITHUB_EVENT_PATH)) as {
        after?: unknown;
        head_commit?: { id?: unknown } | null;
      };
      sha = event.after ?? event.head_commit?.id ?? sha;
    } catch {
      // Fall back to GITHUB_SHA, which Actions sets to the same commit for a push.
    }
  }
  return typeof sha === 'string' && /^[0-9a-f]{40}$/i.test(sha)
    ? { kind: 'push', sha }
    : { kind: 'none', why: 'the push event names no commit' };
}

/**
 * The pull request the acknowledgement is checked against: the one named, or for a push the merged one
 * that brought the commit (null when none did).
 */
export async function readPullRequest(
  github: GitHubProvider,
  source: Extract<PullRequestSource, { kind: 'number' | 'push' }>,
): Promise<GhPullRequest | null> {
  if (source.kind === 'number') return github.getPullRequest(source.number);
  const candidates = (await github.pullRequestsForCommit(source.sha)).filter((p) => p.merged);
  return candidates.find((p) => p.mergeCommitSha === source.sha) ?? candidates[0] ?? null;
}

/** What the acknowledgement is judged on besides the pull request: its files, reviews and who pushed its final commit. */
export interface AcknowledgementFacts {
  files: Awaited<ReturnType<GitHubProvider['listPullFiles']>>;
  reviews: Awaited<ReturnType<GitHubProvider['listReviews']>>;
  headPushers: string[];
}

function readAcknowledgementFacts(
  github: GitHubProvider,
  pull: GhPullRequest,
): Promise<AcknowledgementFacts> {
  return Promise.all([
    github.listPullFiles(pull.number),
    github.listReviews(pull.number),
    github.pushersOf(pull.headRef, pull.headSha),
  ]).then(([files, reviews, headPushers]) => ({ files, reviews, headPushers }));
}

/** The acknowledgement's reads, started before its check (0d) and judged there. */
export interface AcknowledgementReads {
  /** readPullRequest's answer. */
  pull: Promise<GhPullRequest | null>;
  /** Read the moment the pull request is found merged; null when it was not (0d refuses it then). */
  facts: Promise<AcknowledgementFacts | null>;
}

/**
 * Starts the acknowledgement's reads: the pull request and, the moment it is found merged, its files,
 * reviews and pushers. Reads change nothing and nothing is recorded until 0d judges them, so they go
 * beside the reachability reads: the first notes then wait for one GitHub round trip after the services
 * answer, not two. Both promises are awaited (and their failures reported) in 0d; a preflight that stops
 * before waits for `facts`, which settles after `pull`.
 */
export function startAcknowledgementReads(
  github: GitHubProvider,
  source: Extract<PullRequestSource, { kind: 'number' | 'push' }>,
): AcknowledgementReads {
  const pull = readPullRequest(github, source);
  const facts = pull.then((found) => (found?.merged ? readAcknowledgementFacts(github, found) : null));
  pull.catch(() => {});
  facts.catch(() => {});
  return { pull, facts };
}

/**
 * Establishes the acknowledgement: the pull request is merged, added this manifest and nothing outside
 * handovers/, and carries the approval of its final commit by the incoming admin (evaluateAcknowledgement,
 * the same check plan runs on the pull request, repeated now with what GitHub says at apply time).
 * Records each problem as a failure and returns null when the acknowledgement is not there.
 */
export async function checkAcknowledgement(
  run: StepRun,
  input: {
    source: Extract<PullRequestSource, { kind: 'number' | 'push' }>;
    handover: Handover;
    config: HandoverConfig;
    manifestPath: string;
    /** Started beside the reachability reads (startAcknowledgementReads). */
    reads: AcknowledgementReads;
  },
): Promise<AcknowledgementInfo | null> {
  const { source } = input;
  let pull: GhPullRequest;
  try {
    const found = await input.reads.pull;
    if (!found) {
      // Only a push can find none: a number names its pull request, or GitHub says it does not know it.
      run.failure(
        `commit ${logValue(shortSha(source.kind === 'push' ? source.sha : ''))}`,
        'find pull request',
        'no merged pull request brought this commit: apply executes only manifests merged through a reviewed pull request',
      );
      return null;
    }
    pull = found;
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found' && source.kind === 'number') {
      run.failure(
        `pull request #${source.number}`,
        'acknowledgement',
        'GitHub does not know this pull request',
      );
      return null;
    }
    run.fail(
      source.kind === 'number'
        ? `pull request #${source.number}`
        : `commit ${logValue(shortSha(source.sha))}`,
      'acknowledgement',
      error,
    );
    return null;
  }

  const target = `pull request #${pull.number}`;
  if (!pull.merged) {
    run.failure(
      target,
      'acknowledgement',
      'not merged: apply executes a handover only once its pull request is merged',
    );
    return null;
  }
  let facts: AcknowledgementFacts;
  try {
    // Read once the pull request was found merged, as it is here.
    facts = (await input.reads.facts)!;
  } catch (error) {
    run.fail(target, 'acknowledgement', error);
    return null;
  }
  const verdict = evaluateAcknowledgement({
    handover: input.handover,
    config: input.config,
    pull,
    ...facts,
    manifestPath: input.manifestPath,
  });
  if (!verdict.ok) {
    for (const problem of verdict.problems)
      run.failure(target, 'acknowledgement', `[${problem.rule}] ${problem.message}`);
    return null;
  }
  run.record(
    target,
    'acknowledgement',
    'done',
    `${verdict.approver} approved commit ${shortSha(verdict.approvedSha)} (the final commit) and the pull request is merged: acknowledged` +
      (verdict.approverPushedHead
        ? `; ${verdict.approver} also pushed that commit (${APPROVER_PUSHED_IN_EMERGENCY})`
        : ''),
  );
  return {
    verified: true,
    pullRequest: pull.number,
    approver: verdict.approver,
    approvedSha: verdict.approvedSha,
    mergedAt: pull.mergedAt,
    approverPushedHead: verdict.approverPushedHead,
  };
}

/**
 * mid-shift-outage: the formal handover waits until the outage incident is resolved (runbook: "do the
 * formal handover after the outage is mitigated"). Returns whether apply may proceed.
 */
export async function checkOutage(run: StepRun): Promise<'proceed' | 'deferred' | 'failed'> {
  const { ctx } = run;
  const outage = ctx.handover.outage;
  if (ctx.handover.variant !== 'mid-shift-outage' || !outage) return 'proceed';
  const target = `incident ${logValue(outage.incident)}`;
  try {
    const incident = await ctx.read.pagerduty.getIncident(outage.incident);
    if (incident.status !== 'resolved') {
      run.record(
        target,
        'wait for the outage',
        'deferred',
        `the outage incident is ${incident.status}: nothing is handed over until it is resolved; ${outage.lead} leads meanwhile. Re-run apply after it is resolved`,
      );
      return 'deferred';
    }
    run.record(
      target,
      'wait for the outage',
      'done',
      'the outage incident is resolved: the formal handover proceeds',
    );
    return 'proceed';
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found') {
      run.failure(target, 'wait for the outage', 'PagerDuty does not know the outage incident');
      return 'failed';
    }
    run.fail(target, 'wait for the outage', error);
    return 'failed';
  }
}

/** What plan shows for step 0: a mid-shift outage still open defers the handover (exit 3). */
export function planPreflight({ handover, live }: PlanInput): PlannedItem[] {
  if (handover.variant !== 'mid-shift-outage' || !handover.outage) return [];
  const outage = live.outageIncident ?? null;
  const open = outage !== null && outage.status !== 'resolved';
  return [
    {
      section: 'outage',
      target: handover.outage.incident,
      ...(outage ? { title: outage.title } : {}),
      live: outage === null ? 'unknown to PagerDuty' : outage.status,
      actions: open
        ? [`defer (exit 3) until the outage is resolved; ${handover.outage.lead} leads meanwhile`]
        : [],
      skipped: open ? null : 'resolved: the formal handover goes ahead',
    },
  ];
}

export function outageFindings(handover: Handover, live: LiveState): PlanFinding[] {
  if (handover.variant !== 'mid-shift-outage' || !handover.outage) return [];
  const id = handover.outage.incident;
  const incident = live.outageIncident ?? null;
  const byNumber = incidentNumberFindings({ ...handover, incidents: [] }, new Map(), incident);
  if (byNumber.length > 0) return byNumber;
  if (incident === null)
    return [
      {
        severity: 'warning',
        section: 'outage',
        target: id,
        rule: 'outage.unknown',
        message: `PagerDuty does not know the outage incident ${id}: check outage.incident; apply waits for it to be resolved`,
      },
    ];
  if (isOpen(incident))
    return [
      {
        severity: 'error',
        section: 'outage',
        target: id,
        rule: 'outage.unresolved',
        message: `the outage ${quoted(id, incident.title)} is still ${incident.status}: the formal handover waits until it is resolved (apply defers, exit 3); ${handover.outage.lead} leads meanwhile`,
      },
    ];
  return [
    {
      severity: 'info',
      section: 'outage',
      target: id,
      rule: 'outage.resolved',
      message: `the outage ${quoted(id, incident.title)} is resolved: the formal handover can go ahead`,
    },
  ];
}

const DEFAULT_ITEM_CONCURRENCY = 16;

/** What step 0 reads: the run's options, the manifest as loaded, and where it records. */
export interface PreflightInput {
  options: ApplyOptions;
  /** Null when the manifest does not pass today's schema and rules. */
  handover: Handover | null;
  diagnostics: readonly Diagnostic[];
  journal: JournalRecorder;
  logs: StepLogs;
  now: () => Date;
  startedAt: Date;
  dryRun: boolean;
  repoRoot: string;
  /**
   * Called once every service has answered the reachability read, with the run's context and the list
   * of open incidents started beside those reads: apply starts reads there that need no acknowledgement
   * (they change nothing) beside the rest of preflight.
   */
  onReachable?: (ctx: ApplyContext, openIncidents: Promise<OpenIncidents> | undefined) => void;
}

/** Either the run's context, for steps 1–7, or the exit code (and for exit 2 the reason) to stop with. */
export type PreflightOutcome = { ctx: ApplyContext } | { stop: 1 | 2 | 3; message?: string };

/**
 * Step 0, everything that must hold before the first side effect: the manifest passes today's schema
 * and rules (it may have been merged under older ones), both admins are in the roster, the tokens are
 * there, the acknowledgement holds, and a mid-shift outage is resolved (docs/design.md#step-0-preflight).
 */
export async function preflight(input: PreflightInput): Promise<PreflightOutcome> {
  const { options, handover, diagnostics, journal, logs, now, startedAt, dryRun, repoRoot } = input;
  // A stand-in context for preflight records before the real one exists.
  const record = (target: string, action: string, detail: string, warn = false) => {
    const entry = journal.record({
      step: 'preflight',
      target,
      action,
      outcome: warn ? 'skipped' : 'failed',
      detail,
      failure: 'failure',
    });
    const line = formatActionLine(entry);
    if (warn) logs.warning('preflight', line);
    else logs.error('preflight', line);
  };

  // 0a: the manifest passes today's schema and rules.
  for (const d of diagnostics) {
    const where = `${d.file}:${d.line}:${d.column}`;
    if (d.severity === 'error') record(where, 'validate', `[${d.rule}] ${d.message}`);
    else logs.warning('preflight', `${where}: [${d.rule}] ${logValue(d.message)}`);
  }
  if (!handover) {
    logs.error('preflight', 'the manifest does not pass validation with the current schema and rules');
    return { stop: 1 };
  }

  // 0b: both admins in the roster.
  const person = (handle: string): Person | null => {
    const entry = Object.hasOwn(options.config.roster, handle) ? options.config.roster[handle] : undefined;
    return entry ? { ...entry, handle } : null;
  };
  const outgoing = person(handover.outgoing);
  const incoming = person(handover.incoming);
  if (!outgoing || !incoming) {
    record(
      `handover ${logValue(handover.id)}`,
      'roster',
      `${!outgoing ? handover.outgoing : handover.incoming} is not in the config's roster: add them to handover.config.yaml`,
    );
    return { stop: 1 };
  }

  // 0c: where the acknowledgement comes from, and the tokens that needs.
  const source = options.skipApprovalCheck
    ? ({ kind: 'none', why: '--skip-approval-check' } as const)
    : pullRequestSource(
        options.env,
        options.pullRequest,
        options.readFile ?? ((p) => readFileSync(p, 'utf8')),
      );
  if (source.kind === 'none' && !options.skipApprovalCheck) {
    const message = `no pull request to check the acknowledgement against (${source.why}): pass --pull-request N, or --skip-approval-check for a rehearsal or break-glass run`;
    record(`handover ${logValue(handover.id)}`, 'acknowledgement', message);
    return { stop: 2, message };
  }
  const need: ServiceName[] = ['pagerduty', 'slack', 'platform'];
  if (source.kind !== 'none') need.push('github');
  const deadline = options.deadline ?? new RunDeadline(DEFAULT_DEADLINE_SECONDS);
  const base: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const retry: RetryPolicy = { ...base, sleep: deadline.guardSleep(base.sleep) };
  let providers: Providers;
  // PagerDuty that answers once or not at all, for the list read that goes beside the reachability reads.
  let pagerDutyOnce: PagerDutyProvider | null = null;
  try {
    // Every PagerDuty request waits for the limiter inside the provider (src/providers/pacing.ts),
    // both clients' alike: one key, one budget.
    const pagerDutyPace = pagerDutyPacer(options.pagerDutyRateLimit);
    const created = createProviders(options.env, options.config, {
      need,
      retry,
      ...(options.concurrency?.perService ? { concurrency: options.concurrency.perService } : {}),
      pagerDutyPace,
    });
    providers = {
      pagerduty: deadline.gate(created.pagerduty),
      slack: deadline.gate(created.slack),
      platform: deadline.gate(created.platform),
      github: created.github && deadline.gate(created.github),
    };
    if (handover.incidents.length > 0) {
      const once = pagerDutyFrom(options.env, {
        retry: { ...retry, maxAttempts: 1, timeoutMs: options.probeTimeoutMs ?? PROBE_TIMEOUT_MS },
        ...(options.concurrency?.perService ? { concurrency: options.concurrency.perService } : {}),
        pagerDutyPace,
      });
      pagerDutyOnce = deadline.gate(once);
    }
  } catch (error) {
    if (error instanceof MissingCredentialsError) {
      record(
        'environment',
        'tokens',
        `${error.message}: secrets come from the environment only, never from a file`,
      );
      return { stop: 2, message: error.message };
    }
    throw error;
  }

  // The first reads of 0d and step 2 go beside the reachability reads: they change nothing, and the
  // acknowledgement and the first notes then wait one round trip less. The list tries once, with the
  // probes' timeout, so a PagerDuty that is down costs no retries here, and its first answer is
  // PagerDuty's reachability read (one request fewer on the rate limit); step 2 reads again if it
  // failed. A preflight that stops waits for both: nothing outlives the run.
  let pagerDutyAnswered: Promise<void> | undefined;
  let openIncidents: Promise<OpenIncidents> | undefined;
  if (pagerDutyOnce) {
    const once = pagerDutyOnce;
    pagerDutyAnswered = new Promise<void>((answered, failed) => {
      openIncidents = startOpenIncidentsRead(
        once,
        providers.pagerduty,
        { config: options.config, handover },
        answered,
      );
      // Awaited (and its failure dealt with) in step 2. A failure that is not PagerDuty's (the run's
      // deadline) says nothing about reaching it.
      openIncidents.catch((error: unknown) => (error instanceof ProviderError ? failed(error) : answered()));
    });
    pagerDutyAnswered.catch(() => {}); // judged by unreachableServices
    // One turn of the event loop before the other clients' first requests: that first fetch() spends
    // tens of milliseconds loading Node's HTTP client, and the list (whose chain to the first note is
    // the longest) should be on its way by then, not queued behind it.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const acknowledgementReads =
    source.kind !== 'none' && providers.github
      ? startAcknowledgementReads(providers.github, source)
      : undefined;

  // Before any write: one read from every service apply writes to. A service down now means no write
  // anywhere (src/preflight/reachability.ts).
  const down = await unreachableServices({
    env: options.env,
    config: options.config,
    now,
    ...(options.probeTimeoutMs !== undefined ? { timeoutMs: options.probeTimeoutMs } : {}),
    ...(pagerDutyAnswered ? { answered: { pagerduty: pagerDutyAnswered } } : {}),
  });
  for (const { service, message } of down)
    record(
      service,
      'reachable',
      `${message}: nothing was changed anywhere; re-run apply once ${service} answers`,
    );
  if (down.length > 0) {
    await Promise.allSettled([
      acknowledgementReads?.facts,
      openIncidents?.then((read) => read.logRead?.entries),
    ]);
    return { stop: 1, message: `${down.map((d) => d.service).join(', ')} did not answer` };
  }

  const ctx: ApplyContext = {
    handover,
    config: options.config,
    outgoing,
    incoming,
    read: providers,
    write: providers,
    dryRun,
    now,
    startedAt,
    acknowledgement: {
      verified: false,
      pullRequest: null,
      approver: null,
      approvedSha: null,
      mergedAt: null,
    },
    retry,
    itemConcurrency: options.concurrency?.items ?? DEFAULT_ITEM_CONCURRENCY,
    journal,
    logs,
    results: emptyResults(),
  };

  input.onReachable?.(ctx, openIncidents);
  // 0f's reads go beside 0d and 0e; a preflight that stops waits for them, so nothing outlives it.
  const permissions = askPermissions(ctx);
  const manifestPath = repoRelativePath(options.manifestPath, repoRoot);
  const outcome = await checkBeforeWrites(ctx, {
    permissions,
    source,
    manifestPath,
    acknowledgementReads,
  });
  if ('stop' in outcome) await Promise.allSettled([permissions, acknowledgementReads?.facts]);
  return outcome;
}

/** Steps 0d–0f, once every service answers: the acknowledgement, incident numbers, the outage, permissions. */
async function checkBeforeWrites(
  ctx: ApplyContext,
  {
    permissions,
    source,
    manifestPath,
    acknowledgementReads,
  }: {
    /** Started beside the reachability reads; there whenever `source` names a pull request. */
    acknowledgementReads: AcknowledgementReads | undefined;
    permissions: Promise<PermissionProblem[]>;
    source: PullRequestSource;
    /** As the pull request lists it. */
    manifestPath: string;
  },
): Promise<PreflightOutcome> {
  const { handover, journal, logs } = ctx;
  // 0d: the acknowledgement.
  const preflight = new StepRun(ctx, 'preflight');
  if (source.kind === 'none') {
    preflight.skipWithWarning(
      `handover ${logValue(handover.id)}`,
      'acknowledgement',
      `${NOT_VERIFIED}: every note and the summary say so`,
    );
  } else {
    if (!acknowledgementReads)
      throw new Error('the acknowledgement reads are required here but were not started');
    const ack: AcknowledgementInfo | null = await checkAcknowledgement(preflight, {
      source,
      handover,
      config: ctx.config,
      manifestPath,
      reads: acknowledgementReads,
    });
    if (!ack) return { stop: 1 };
    ctx.acknowledgement = ack;
  }
  journal.setAcknowledgement(ctx.acknowledgement);

  // 0e: incidents named by number, not id, would fool writes and re-runs (../incident-numbers.ts).
  if (!(await incidentNumberCheck(preflight))) {
    logs.finish('preflight');
    return { stop: 1 };
  }
  // 0e: mid-shift outage: wait for the outage to be resolved.
  const outage = await checkOutage(preflight);
  // 0f: may this run make every write it plans? (../permissions.ts) Stops with nothing written if not.
  if (outage === 'proceed' && !(await permissionCheck(preflight, permissions))) {
    logs.finish('preflight');
    return { stop: 1 };
  }
  logs.finish('preflight');
  if (outage === 'deferred') return { stop: 3 };
  if (outage === 'failed') return { stop: 1 };
  return { ctx };
}

/** The manifest's path as the pull request lists it: relative to the repository, POSIX separators. */
export function repoRelativePath(manifestPath: string, repoRoot: string): string {
  const absolute = resolve(repoRoot, manifestPath);
  const rel = relative(repoRoot, absolute).split('\\').join('/');
  if (!rel.startsWith('..') && !isAbsolute(rel)) return rel;
  const at = absolute.split('\\').join('/').lastIndexOf('/handovers/');
  return at >= 0
    ? absolute
        .split('\\')
        .join('/')
        .slice(at + 1)
    : rel;
}
