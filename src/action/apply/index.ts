import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandoverConfig } from '../../config/types.js';
import { errorMessage, shortSha } from '../../format.js';
import { renderJournalMarkdown } from '../../journal/index.js';
import { secretsInEnvironment } from '../../providers/index.js';
import type { GitHubProvider } from '../../providers/types.js';
import { escapeMarkdownInline } from '../../render/escape.js';
import { oneLogLine } from '../../render/log-safety.js';
import { createRedactor, secretForms } from '../../render/secret-forms.js';
import { applyHandover } from '../../runbook/apply.js';
import {
  addCounts,
  type CommandContext,
  type CommandOutcome,
  type ItemCounts,
  NO_COUNTS,
  runUrl,
} from '../context.js';
import { githubFromEnvironment } from '../github.js';
import { createActionsReporter } from '../reporter.js';
import { matchesAny } from '../targets.js';
import { assessCandidate, type Candidate, type CandidateContext } from './candidates.js';
import { type AddedManifest, GitHistory, gitRunner } from './git-history.js';
import { COMMENT_MARKDOWN_BUDGET } from './journal-record.js';
import { readLedgerKey } from './ledger-key.js';
import { holdOutOfOrder } from './ledger-order.js';
import { acceptManualRun, manualCandidate, readManualRequest } from './manual-run.js';
import { type AcceptedPush, acceptPush, loadConfigForApply, Refusal } from './preconditions.js';
import { recordFor, recordOnPullRequest, writeJournalFile } from './record.js';
import { candidateTable, heldMarkdown, type RunStatus, refusalMarkdown } from './render.js';

const HEADING = '## Handover apply';

function describe(candidate: Candidate): string {
  const s = candidate.status;
  const where = `${candidate.path}${s.pull ? ` (pull request #${s.pull.number})` : ''}`;
  switch (s.kind) {
    case 'finished':
      return `${where}: ${s.record.outcome} earlier, left alone`;
    case 'ready':
      return `${where}: to apply`;
    case 'refused':
      return `${where}: refused — ${s.problems.join('; ')}`;
    case 'held':
      return `${where}: held, not executed by itself — ${s.problems.join('; ')}`;
    case 'unavailable':
      return `${where}: could not be checked — ${s.message}`;
  }
}

/** What one run has to say at the end: the outputs, and the summary's sections. */
class RunReport {
  readonly failures: string[] = [];
  readonly sections: string[] = [];
  readonly statuses = new Map<string, RunStatus>();
  constructor(
    readonly ledgerKey: string,
    /** Every secret in every encoding, out of whatever leaves the process (render/secret-forms.ts). */
    readonly redact: (text: string) => string,
  ) {}
  counts: ItemCounts = NO_COUNTS;
  deferred = false;
  journals = 0;
}

/**
 * Every manifest merged on the default branch's whole first-parent history, decided before anything is
 * executed. Assessed newest first back to the ledger's floor — the newest handover whose authentic record
 * says `done` — which closes the history before it: nothing older may run by itself. What the floor's
 * record names as held behind it is assessed too, so an unfinished handover is never dropped silently.
 */
async function findCandidates(
  ctx: CommandContext,
  history: GitHistory,
  head: string,
  assess: CandidateContext,
): Promise<Candidate[]> {
  // The manifests input narrows what runs, not what is read: the ledger must see every handover.
  const added = await history.addedManifests(head);
  const newestFirst: Candidate[] = [];
  let index = added.length - 1;
  for (; index >= 0; index -= 1) {
    const candidate = await assessCandidate(added[index]!, assess);
    newestFirst.push(candidate);
    const s = candidate.status;
    if (s.kind === 'finished' && s.record.outcome === 'done') break;
  }
  const floor = newestFirst.at(-1);
  const older: AddedManifest[] = added.slice(0, Math.max(0, index));
  if (floor?.status.kind === 'finished') {
    const named = new Set(floor.status.record.heldBehind);
    for (const manifest of older.filter((a) => named.has(a.path)).reverse())
      newestFirst.push(await assessCandidate(manifest, assess));
  }
  const candidates = holdOutOfOrder(newestFirst.reverse(), assess.now);
  for (const candidate of candidates) {
    ctx.core.info(oneLogLine(describe(candidate)));
    for (const note of candidate.notes) ctx.annotations.annotate('warning', note, { file: candidate.path });
  }
  if (floor && older.length > 0)
    ctx.core.info(
      oneLogLine(
        `${older.length} manifest(s) merged before ${floor.path} were not checked again: the ledger says that newer handover finished, so none of them may run by itself; the ones it left unfinished are listed above.`,
      ),
    );
  if (candidates.length === 0) ctx.core.info('No manifest has been merged under handovers/ yet.');
  return candidates;
}

/** Refusals and checks that could not be made: reported, and refusals recorded as final on their pull request. */
async function reportRefusals(
  ctx: CommandContext,
  github: GitHubProvider,
  /** The pull request the triggering push merged (null on a manual run). */
  pushPull: number | null,
  candidates: Candidate[],
  report: RunReport,
): Promise<void> {
  const url = runUrl(ctx.runner);
  for (const candidate of candidates) {
    const s = candidate.status;
    if (s.kind === 'unavailable') {
      report.failures.push(`${candidate.path}: could not be checked (${s.message})`);
      ctx.annotations.annotate('error', `could not be checked, the next run tries again: ${s.message}`, {
        title: 'handover apply',
        file: candidate.path,
      });
    }
    // A re-run of the push whose own handover was refused stays red; other runs just list it.
    if (s.kind === 'finished' && s.record.outcome === 'refused' && s.pull.number === pushPull)
      report.failures.push(`${candidate.path}: refused (see pull request #${s.pull.number})`);
    if (s.kind === 'held') {
      // Held is not final: nothing is recorded, the run is red, and every run says so until a human acts.
      report.failures.push(`${candidate.path}: held — ${s.problems[0] ?? 'see the job summary'}`);
      report.sections.push(heldMarkdown(candidate.path, s.problems, url));
      ctx.annotations.annotate('error', `held, not executed: ${s.problems.join('; ')}`, {
        title: 'handover held',
        file: candidate.path,
        startLine: 1,
      });
      continue;
    }
    if (s.kind !== 'refused') continue;

    const markdown = refusalMarkdown(candidate.path, s.problems, url);
    report.sections.push(markdown);
    if (!s.pull) {
      // No pull request to record it on: every run in the window says so, without failing again.
      ctx.annotations.annotate('warning', `never executed: ${s.problems.join('; ')}`, {
        file: candidate.path,
      });
      continue;
    }
    report.failures.push(`${candidate.path}: refused — ${s.problems[0] ?? 'see the job summary'}`);
    ctx.annotations.annotate('error', `refused: ${s.problems.join('; ')}`, {
      title: 'handover refused',
      file: candidate.path,
      startLine: 1,
    });
    if (ctx.inputs.dryRun) continue;
    const lost = await recordOnPullRequest(
      github,
      recordFor(candidate, 'refused', null, url, ctx.now(), { heldBehind: [] }),
      report.redact(markdown),
      report.ledgerKey,
    );
    if (lost) report.failures.push(lost);
  }
}

/** One ready handover through applyHandover, the same core as `handover apply`, then its journal kept. */
async function execute(
  ctx: CommandContext,
  github: GitHubProvider,
  config: HandoverConfig,
  candidate: Candidate,
  /** The merged pull request that added the manifest (the candidate is ready). */
  pull: number,
  journalDir: string,
  report: RunReport,
  ledger: { manualBy: string | null; heldBehind: string[] },
): Promise<void> {
  const { dryRun } = ctx.inputs;
  ctx.core.info(
    oneLogLine(
      `Applying ${candidate.path} from pull request #${pull}${dryRun ? ' (dry run)' : ''}${ledger.manualBy ? `, out of order by a manual run of ${ledger.manualBy}` : ''}`,
    ),
  );
  const result = await applyHandover({
    manifestPath: join(ctx.workspace, candidate.path),
    // The bytes of the git object at the merging commit: what was approved is what runs and is hashed.
    ...(candidate.bytes ? { manifestBytes: candidate.bytes } : {}),
    displayPath: candidate.path,
    repoRoot: ctx.workspace,
    config,
    env: ctx.env,
    reporter: createActionsReporter(ctx.core, ctx.annotations, candidate.path),
    dryRun,
    pullRequest: pull,
    now: ctx.now,
    deadline: ctx.deadline,
  });
  report.counts = addCounts(report.counts, result.counts);
  const { journal } = result;
  const outcome = journal?.outcome ?? 'failed';
  report.statuses.set(candidate.path, { kind: 'executed', outcome, dryRun });
  if (outcome === 'failed')
    report.failures.push(`${candidate.path}: ${result.message ?? 'failed (see the journal)'}`);
  if (outcome === 'deferred') report.deferred = true;

  const url = runUrl(ctx.runner);
  let markdown: string;
  let journalSha256: string | null = null;
  if (journal) {
    journalSha256 = writeJournalFile(journalDir, journal);
    report.journals += 1;
    markdown = renderJournalMarkdown(journal, { runUrl: url, maxLength: COMMENT_MARKDOWN_BUDGET });
  } else {
    markdown = `### Handover ${escapeMarkdownInline(candidate.path)}: ❌ failed\n\n${escapeMarkdownInline(result.message ?? 'the manifest could not be read')}`;
  }
  report.sections.push(markdown);
  if (dryRun) return; // a dry run must never mark a handover finished
  const record = recordFor(candidate, outcome, journal, url, ctx.now(), {
    journalSha256,
    manualBy: ledger.manualBy,
    heldBehind: outcome === 'done' ? ledger.heldBehind : [],
  });
  const lost = await recordOnPullRequest(github, record, report.redact(markdown), report.ledgerKey);
  if (lost) report.failures.push(lost);
}

/**
 * `command: apply` on a push to the default branch. Reads everything first — the push, then every manifest
 * the ledger does not call finished (see findCandidates) — and only then executes the ready ones, oldest
 * first. One handover failing does not hold back the next (an emergency must not wait behind a failed
 * routine rotation). Each outcome is kept as a journal file (the artifact), in the job summary, and as the
 * authenticated ledger record on the manifest's pull request, where the next run finds it
 * (docs/adoption.md). A `workflow_dispatch` run is the deliberate manual run of one named manifest.
 */
export async function runApply(ctx: CommandContext): Promise<CommandOutcome> {
  const refuse = (message: string): CommandOutcome => {
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(message)}`);
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [message] };
  };
  const event = ctx.event;
  const manual =
    event.kind === 'other' && event.name === 'workflow_dispatch' ? readManualRequest(ctx.runner) : null;
  if (event.kind !== 'push' && !manual)
    return refuse(
      `apply runs on a push to the default branch (the handover-apply workflow), or by hand for one named manifest, not on ${event.kind === 'pull-request' ? 'a pull request' : `a ${event.name || 'manual'} event`}: nothing was applied`,
    );
  const ledgerKey = readLedgerKey(ctx.env);
  if (typeof ledgerKey !== 'string') return refuse(ledgerKey.problem);
  for (const form of [ledgerKey, ...secretForms(ledgerKey)]) ctx.core.setSecret(form);
  const redact = createRedactor([...secretsInEnvironment(ctx.env), ledgerKey]);
  const github = githubFromEnvironment(ctx.env);
  if (!github)
    return refuse('GITHUB_TOKEN and GITHUB_REPOSITORY are needed (input github-token): nothing was applied');
  const history = new GitHistory(gitRunner(ctx.workspace, ctx.runner));

  let config: HandoverConfig;
  let head: string;
  let defaultBranch: string;
  let pushPull: number | null = null;
  let candidates: Candidate[];
  try {
    config = loadConfigForApply(ctx);
    if (event.kind === 'push') {
      ctx.core.startGroup('Check the push');
      try {
        const push: AcceptedPush = await acceptPush(ctx, github, history, event);
        head = push.head;
        defaultBranch = push.defaultBranch;
        pushPull = push.pull;
      } finally {
        ctx.core.endGroup();
      }
    } else {
      if (!manual || manual.kind === 'invalid') throw new Refusal(manual?.problem ?? 'no manual request');
      ctx.core.startGroup('Check the manual run');
      try {
        ({ head, defaultBranch } = await acceptManualRun(ctx, history, manual));
      } finally {
        ctx.core.endGroup();
      }
    }
    const assess: CandidateContext = {
      github,
      history,
      head,
      defaultBranch,
      config,
      ledgerKey,
      now: ctx.now(),
    };
    ctx.core.startGroup('Find the handovers the ledger does not call finished');
    try {
      candidates =
        manual?.kind === 'valid'
          ? await manualCandidate(history, head, manual.manifest, assess)
          : await findCandidates(ctx, history, head, assess);
    } finally {
      ctx.core.endGroup();
    }
  } catch (error) {
    return refuse(error instanceof Refusal ? error.message : `nothing was applied: ${errorMessage(error)}`);
  }

  const report = new RunReport(ledgerKey, redact);
  const patterns = ctx.inputs.manifests;
  const selected = (c: Candidate) => patterns.length === 0 || matchesAny(c.path, patterns);
  const runnable = (c: Candidate) =>
    selected(c) && (c.status.kind === 'ready' || (manual?.kind === 'valid' && c.status.kind === 'held'));
  // A manual run executes its one manifest even when held: that is what it is for. It still refuses
  // everything the checks refuse (approval, bytes, the push that merged it).
  await reportRefusals(
    ctx,
    github,
    pushPull,
    candidates.filter((c) => !runnable(c)),
    report,
  );
  const journalDir = join(
    ctx.runner.RUNNER_TEMP || tmpdir(),
    `handover-journal-${ctx.runner.GITHUB_RUN_ID ?? process.pid}`,
  );
  /** Older manifests this run has not seen finish: a `done` record names them for later runs. */
  const unfinishedBefore = (index: number) =>
    candidates
      .slice(0, index)
      .filter((c) => {
        const s = c.status;
        if (s.kind === 'finished' || s.kind === 'refused') return false;
        const ran = report.statuses.get(c.path);
        return !(ran?.kind === 'executed' && ran.outcome === 'done' && !ran.dryRun);
      })
      .map((c) => c.path);
  for (const [index, candidate] of candidates.entries()) {
    const status = candidate.status;
    if (!runnable(candidate) || !status.pull) continue;
    await execute(ctx, github, config, candidate, status.pull.number, journalDir, report, {
      manualBy: manual?.kind === 'valid' ? manual.actor : null,
      heldBehind: unfinishedBefore(index),
    });
  }
  if (!candidates.some(runnable)) ctx.core.info('Nothing to apply in this run.');

  const dryRun = ctx.inputs.dryRun
    ? ' **Dry run**: nothing was changed and no journal was recorded on the pull requests.'
    : '';
  const trigger =
    event.kind === 'push'
      ? `Push ${shortSha(event.after)}: the merge of pull request #${pushPull}, accepted.`
      : `Manual run by ${escapeMarkdownInline(manual?.kind === 'valid' ? manual.actor : 'unknown')} for ${escapeMarkdownInline(manual?.kind === 'valid' ? manual.manifest : '')}, confirmed.`;
  ctx.summary.push(
    redact(
      [HEADING, `${trigger}${dryRun}`, candidateTable(candidates, report.statuses), ...report.sections].join(
        '\n\n',
      ),
    ),
  );
  return {
    result: report.failures.length > 0 ? 'failure' : report.deferred ? 'deferred' : 'success',
    counts: report.counts,
    journal: report.journals > 0 ? journalDir : '',
    failures: report.failures,
  };
}
