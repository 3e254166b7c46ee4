import { readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { systemClock } from '../clock.js';
import type { HandoverConfig } from '../config/types.js';
import { DEFAULT_DEADLINE_SECONDS, RunDeadline } from '../core/deadline.js';
import { JournalRecorder } from '../journal/recorder.js';
import { formatActionLine } from '../journal/render-text.js';
import type { FinishedJournal, Journal, StepName } from '../journal/types.js';
import { loadManifestFile, ManifestUnreadableError } from '../manifest/index.js';
import type { Handover } from '../manifest/types.js';
import { unreachableServices } from '../preflight/reachability.js';
import { createProviders, MissingCredentialsError, secretsInEnvironment } from '../providers/index.js';
import { DEFAULT_RETRY } from '../providers/retry.js';
import type { Providers, RetryPolicy, ServiceName } from '../providers/types.js';
import { logValue } from '../render/escape.js';
import type { SummaryCounts } from './plan/item.js';
import { type AcknowledgementInfo, type ApplyContext, emptyResults, type Person } from './runtime/context.js';
import {
  PAGERDUTY_RATE_LIMIT,
  pacePagerDuty,
  type RateLimit,
  SlidingWindowLimiter,
} from './runtime/pacing.js';
import type { Reporter } from './runtime/reporter.js';
import { StepLogs } from './runtime/step-logs.js';
import { StepRun } from './runtime/step-run.js';
import { auditCheck } from './steps/audit.js';
import { postDigest } from './steps/digest.js';
import { freeze } from './steps/freeze.js';
import { handOverIncidents } from './steps/incidents.js';
import { NOT_VERIFIED } from './steps/incidents-notes.js';
import { checkAcknowledgement, checkOutage, pullRequestSource } from './steps/preflight.js';
import { handOverRollouts } from './steps/rollouts.js';
import { postSummary, summaryCounts } from './steps/summary.js';
import { handOverTickets } from './steps/tickets.js';
import { verify } from './steps/verify.js';

export type { Reporter } from './runtime/reporter.js';
export { createConsoleReporter, createMemoryReporter } from './runtime/reporter.js';

export interface ApplyOptions {
  /** The manifest file to apply. */
  manifestPath: string;
  /** How messages name the file; defaults to its path relative to `repoRoot`. */
  displayPath?: string;
  /**
   * The repository's root (the Action's GITHUB_WORKSPACE, the CLI's working directory): the manifest's
   * path below it is what the pull request must have added. Defaults to the process's working directory.
   */
  repoRoot?: string;
  /** The validated repository config. */
  config: HandoverConfig;
  /** Tokens, endpoints and the GitHub Actions context come from here (docs/design.md#the-environment-and-the-sandbox). */
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  dryRun?: boolean;
  /** The pull request carrying the manifest; inside Actions on a push it is found from the commit. */
  pullRequest?: number;
  /** Rehearsal or break-glass: proceed without checking the approval, and say so everywhere. */
  skipApprovalCheck?: boolean;
  /** The run's clock (tests and `--now` pin it). */
  now?: () => Date;
  /** Overrides of the providers' retry policy (tests inject a sleep that does not wait). */
  retry?: Partial<RetryPolicy>;
  concurrency?: {
    /** Items of one step in flight at once; default 16. */
    items?: number;
    /** Requests in flight per service (the providers' own defaults otherwise). */
    perService?: Partial<Record<ServiceName, number>>;
  };
  /**
   * Client-side pacing of PagerDuty calls (default: a little under the documented 960 a minute). The
   * benchmark sets the sandbox's scaled-down limit here, as production sets the real one.
   */
  pagerDutyRateLimit?: RateLimit;
  /** Reads the GitHub event payload (GITHUB_EVENT_PATH); injected in tests. */
  readFile?: (path: string) => string;
  /** Called with the journal so far after every recorded action: a killed run leaves what it did. */
  onJournal?: (journal: Journal) => void;
  /** The run's overall deadline (src/core/deadline.ts); default DEFAULT_DEADLINE_SECONDS from the start. */
  deadline?: RunDeadline;
  /** How long the one read per service before the first write waits (src/preflight/reachability.ts). */
  probeTimeoutMs?: number;
}

export interface ApplyResult {
  /** 0 done, 1 failed, 2 usage / unreadable / missing tokens / no acknowledgement source, 3 deferred. */
  exitCode: 0 | 1 | 2 | 3;
  /** Null only when the manifest could not be read at all. */
  journal: FinishedJournal | null;
  /** For exit 2: the one-line reason. */
  message?: string;
  /** What this handover covers: the summary's N, M and K. */
  counts: SummaryCounts;
}

const DEFAULT_ITEM_CONCURRENCY = 16;
const NO_COUNTS: SummaryCounts = { incidents: 0, tickets: 0, rollouts: 0 };

/** The steps a handover goes through, in runbook order, for the log groups. */
function stepsFor(handover: Handover | null): StepName[] {
  const steps: StepName[] = ['preflight', 'freeze', 'incidents', 'tickets', 'rollouts', 'summary'];
  if (handover?.variant === 'emergency') steps.push('digest');
  if (handover && needsAudit(handover)) steps.push('audit');
  steps.push('verify');
  return steps;
}

/** Offboarding (departure) needs the audit trail; so does a compromised account. */
function needsAudit(handover: Handover): boolean {
  return handover.reason === 'departure' || handover.emergency?.cause === 'compromised';
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

function redactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const secrets = secretsInEnvironment(env).filter((s) => s.length >= 4);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

/**
 * Executes one handover (docs/design.md#what-apply-does): preflight, then the runbook's steps, each action read-before-write
 * so that a re-run after any failure or crash converges without repeating a side effect. The CLI and
 * the GitHub Action are thin shells over this function.
 */
export async function applyHandover(options: ApplyOptions): Promise<ApplyResult> {
  const now = options.now ?? systemClock;
  const startedAt = now();
  const repoRoot = options.repoRoot ?? process.cwd();
  const dryRun = options.dryRun ?? false;
  const displayPath = options.displayPath ?? repoRelativePath(options.manifestPath, repoRoot);

  let loaded: ReturnType<typeof loadManifestFile>;
  try {
    loaded = loadManifestFile(options.manifestPath, { config: options.config, displayPath, now: startedAt });
  } catch (error) {
    if (error instanceof ManifestUnreadableError)
      return { exitCode: 2, journal: null, message: error.message, counts: NO_COUNTS };
    throw error;
  }

  const handover = loaded.handover;
  const journal = new JournalRecorder(
    {
      id: handover?.id ?? basename(options.manifestPath).replace(/\.ya?ml$/, ''),
      manifestSha256: loaded.sha256,
      dryRun,
    },
    now,
    startedAt,
    redactor(options.env),
  );
  if (options.onJournal) journal.subscribe(options.onJournal);
  const deadline = options.deadline ?? new RunDeadline(DEFAULT_DEADLINE_SECONDS);
  const logs = new StepLogs(options.reporter, stepsFor(handover));
  const finish = (exitCode: ApplyResult['exitCode'], message?: string, counts = NO_COUNTS): ApplyResult => {
    logs.close();
    const result: ApplyResult = { exitCode, journal: journal.finish(), counts };
    if (message !== undefined) result.message = message;
    return result;
  };

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

  // Step 0a: the manifest passes today's schema and rules (it may have been merged under older ones).
  for (const d of loaded.diagnostics) {
    const where = `${d.file}:${d.line}:${d.column}`;
    if (d.severity === 'error') record(where, 'validate', `[${d.rule}] ${d.message}`);
    else logs.warning('preflight', `${where}: [${d.rule}] ${logValue(d.message)}`);
  }
  if (!handover) {
    logs.error('preflight', 'the manifest does not pass validation with the current schema and rules');
    return finish(1);
  }

  // Step 0b: both admins in the roster.
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
    return finish(1);
  }

  // Step 0c: where the acknowledgement comes from, and the tokens that needs.
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
    return finish(2, message);
  }
  const need: ServiceName[] = ['pagerduty', 'slack', 'platform'];
  if (source.kind !== 'none') need.push('github');
  const base: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const retry: RetryPolicy = { ...base, sleep: deadline.guardSleep(base.sleep) };
  let providers: Providers;
  try {
    const created = createProviders(options.env, options.config, {
      need,
      retry,
      ...(options.concurrency?.perService ? { concurrency: options.concurrency.perService } : {}),
    });
    const limiter = new SlidingWindowLimiter(options.pagerDutyRateLimit ?? PAGERDUTY_RATE_LIMIT);
    providers = {
      pagerduty: deadline.gate(pacePagerDuty(created.pagerduty, limiter)),
      slack: deadline.gate(created.slack),
      platform: deadline.gate(created.platform),
      github: created.github && deadline.gate(created.github),
    };
  } catch (error) {
    if (error instanceof MissingCredentialsError) {
      record(
        'environment',
        'tokens',
        `${error.message}: secrets come from the environment only, never from a file`,
      );
      return finish(2, error.message);
    }
    throw error;
  }

  // Step 0 before any write: one read from every service apply writes to. A service down now means no
  // write anywhere (src/preflight/reachability.ts).
  const down = await unreachableServices({
    env: options.env,
    config: options.config,
    now,
    ...(options.probeTimeoutMs !== undefined ? { timeoutMs: options.probeTimeoutMs } : {}),
  });
  for (const { service, message } of down)
    record(
      service,
      'reachable',
      `${message}: nothing was changed anywhere; re-run apply once ${service} answers`,
    );
  if (down.length > 0) return finish(1, `${down.map((d) => d.service).join(', ')} did not answer`);

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
  const runOf = (step: StepName) => new StepRun(ctx, step);

  // Step 0d: the acknowledgement.
  const preflight = runOf('preflight');
  if (source.kind === 'none') {
    preflight.skipWithWarning(
      `handover ${logValue(handover.id)}`,
      'acknowledgement',
      `${NOT_VERIFIED}: every note and the summary say so`,
    );
  } else {
    if (!providers.github) throw new Error('the GitHub provider is required here but was not created');
    const ack: AcknowledgementInfo | null = await checkAcknowledgement(preflight, {
      github: providers.github,
      source,
      handover,
      config: options.config,
      manifestPath: repoRelativePath(options.manifestPath, repoRoot),
    });
    if (!ack) return finish(1);
    ctx.acknowledgement = ack;
  }
  journal.setAcknowledgement(ctx.acknowledgement);

  // Step 0e: mid-shift outage: wait for the outage to be resolved.
  const outage = await checkOutage(preflight);
  logs.finish('preflight');
  if (outage === 'deferred') return finish(3);
  if (outage === 'failed') return finish(1);

  // Steps 1–4: PagerDuty work and platform work are independent; each lane keeps its own order.
  const step = async (name: StepName, body: (run: StepRun) => Promise<void>) => {
    try {
      await body(runOf(name));
    } catch (error) {
      runOf(name).fail(`step ${name}`, 'run', error);
    } finally {
      logs.finish(name);
    }
  };
  await Promise.all([
    (async () => {
      await step('freeze', freeze);
      await step('incidents', handOverIncidents);
    })(),
    (async () => {
      await step('tickets', handOverTickets);
      await step('rollouts', handOverRollouts);
    })(),
  ]);

  // Step 5 waits for every item; then the emergency digest, the audit and the final check.
  await step('summary', postSummary);
  if (handover.variant === 'emergency') await step('digest', postDigest);
  if (needsAudit(handover)) await step('audit', auditCheck);
  await step('verify', verify);

  const outcome = journal.outcome();
  return finish(outcome === 'failed' ? 1 : outcome === 'deferred' ? 3 : 0, undefined, summaryCounts(ctx));
}
