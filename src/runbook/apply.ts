import { basename } from 'node:path';
import { systemClock } from '../clock.js';
import { JournalRecorder } from '../journal/recorder.js';
import type { StepName } from '../journal/types.js';
import { loadManifestBytes, loadManifestFile, ManifestUnreadableError } from '../manifest/index.js';
import type { Handover } from '../manifest/types.js';
import { secretsInEnvironment } from '../providers/index.js';
import { createRedactor } from '../render/secret-forms.js';
import type { SummaryCounts } from './plan/item.js';
import type { ApplyOptions, ApplyResult } from './runtime/options.js';
import { startProgress } from './runtime/progress.js';
import { StepLogs } from './runtime/step-logs.js';
import { StepRun } from './runtime/step-run.js';
import { auditCheck } from './steps/audit.js';
import { postDigest } from './steps/digest.js';
import { freeze } from './steps/freeze.js';
import { handOverIncidents, type IncidentsRead, readIncidents } from './steps/incidents.js';
import { preflight, repoRelativePath } from './steps/preflight.js';
import { handOverRollouts } from './steps/rollouts.js';
import { postSummary, readSummaryHistory, summaryCounts } from './steps/summary.js';
import { handOverTickets } from './steps/tickets.js';
import { readForVerify, verify } from './steps/verify.js';

export type { ApplyOptions, ApplyResult } from './runtime/options.js';
export type { Reporter } from './runtime/reporter.js';
export { createConsoleReporter, createMemoryReporter } from './runtime/reporter.js';
export { repoRelativePath } from './steps/preflight.js';

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

/** Every token of the environment, in every encoding it can leak in (render/secret-forms.ts). */
function redactor(env: NodeJS.ProcessEnv): (text: string) => string {
  return createRedactor(secretsInEnvironment(env));
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
    loaded = options.manifestBytes
      ? loadManifestBytes(options.manifestBytes, displayPath, { config: options.config, now: startedAt })
      : loadManifestFile(options.manifestPath, { config: options.config, displayPath, now: startedAt });
  } catch (error) {
    if (error instanceof ManifestUnreadableError)
      return { exitCode: 2, journal: null, message: error.message, counts: NO_COUNTS };
    throw error;
  }

  const journal = new JournalRecorder(
    {
      id: loaded.handover?.id ?? basename(options.manifestPath).replace(/\.ya?ml$/, ''),
      manifestSha256: loaded.sha256,
      dryRun,
    },
    now,
    startedAt,
    redactor(options.env),
  );
  if (options.onJournal) journal.subscribe(options.onJournal);
  const logs = new StepLogs(options.reporter, stepsFor(loaded.handover));
  const stopProgress = startProgress(
    options.reporter,
    logs,
    stepsFor(loaded.handover),
    options.progressEveryMs,
  );
  const finish = (exitCode: ApplyResult['exitCode'], message?: string, counts = NO_COUNTS): ApplyResult => {
    stopProgress();
    logs.close();
    const result: ApplyResult = { exitCode, journal: journal.finish(), counts };
    if (message !== undefined) result.message = message;
    return result;
  };

  // Step 0: everything that must hold before the first side effect; it builds the run's context. Once
  // every service answers, step 2's reads start beside the rest of it: they change nothing, and a large
  // handover's first notes then wait for the acknowledgement, not for the acknowledgement and the reads.
  let incidentsRead: Promise<IncidentsRead> | undefined;
  const checked = await preflight({
    onReachable: (ctx, openIncidents) => {
      incidentsRead = readIncidents(ctx, openIncidents);
      incidentsRead.catch(() => {}); // awaited (and its failure reported) in step 2
    },
    options,
    handover: loaded.handover,
    diagnostics: loaded.diagnostics,
    journal,
    logs,
    now,
    startedAt,
    dryRun,
    repoRoot,
  });
  if ('stop' in checked) {
    // Nothing outlives the run: reads started for step 2 finish (unused) before it returns.
    await incidentsRead?.catch(() => {});
    return finish(checked.stop, checked.message);
  }
  const { ctx } = checked;
  const { handover } = ctx;
  const runOf = (step: StepName) => new StepRun(ctx, step);

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
  // Step 5's history read goes beside steps 1–4 when the merge fixes how far back it looks.
  const summaryHistory = ctx.acknowledgement.mergedAt ? readSummaryHistory(ctx) : undefined;
  summaryHistory?.catch(() => {}); // awaited (and its failure reported) in step 5
  await Promise.all([
    (async () => {
      // The status notes go beside step 1; the reassignments wait for it (handOverIncidents).
      const frozen = step('freeze', freeze);
      await Promise.all([
        frozen,
        step('incidents', (run) => handOverIncidents(run, incidentsRead ?? readIncidents(ctx), frozen)),
      ]);
    })(),
    (async () => {
      await step('tickets', handOverTickets);
      await step('rollouts', handOverRollouts);
    })(),
  ]);

  // Step 5 waits for every item; then the emergency digest, the audit and the final check.
  // Step 7's reads go beside steps 5 and 6: nothing there changes what they read.
  const verifyReads = readForVerify(ctx);
  if (handover.variant === 'emergency' || needsAudit(handover)) {
    await step('summary', (run) => postSummary(run, summaryHistory));
    if (handover.variant === 'emergency') await step('digest', postDigest);
    if (needsAudit(handover)) await step('audit', auditCheck);
    await step('verify', (run) => verify(run, verifyReads));
  } else {
    // With no step 6, step 7 goes beside the summary's thread once the summary itself is posted (or
    // failed): the details replies change nothing it reads or decides, and the commit status then
    // costs no round trip of its own at the end. A summary that failed still leaves step 7 skipped.
    let summaryPosted = () => {};
    const posted = new Promise<void>((resolve) => {
      summaryPosted = resolve;
    });
    const summary = step('summary', (run) => postSummary(run, summaryHistory, summaryPosted)).finally(
      summaryPosted,
    );
    await Promise.all([summary, posted.then(() => step('verify', (run) => verify(run, verifyReads)))]);
  }

  const outcome = journal.outcome();
  return finish(outcome === 'failed' ? 1 : outcome === 'deferred' ? 3 : 0, undefined, summaryCounts(ctx));
}
