import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandoverConfig } from '../../config/types.js';
import { errorMessage, shortSha } from '../../format.js';
import { renderJournalMarkdown } from '../../journal/index.js';
import type { GitHubProvider } from '../../providers/types.js';
import { escapeMarkdownInline } from '../../render/escape.js';
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
import { oneLogLine } from '../safe-log.js';
import { matchesAny } from '../targets.js';
import { assessCandidate, type Candidate, LOOK_BACK_DAYS } from './candidates.js';
import { GitHistory, gitRunner } from './git-history.js';
import { COMMENT_MARKDOWN_BUDGET } from './journal-record.js';
import { type AcceptedPush, acceptPush, loadConfigForApply, Refusal } from './preconditions.js';
import { recordFor, recordOnPullRequest, writeJournalFile } from './record.js';
import { candidateTable, type RunStatus, refusalMarkdown } from './render.js';

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
    case 'unavailable':
      return `${where}: could not be checked — ${s.message}`;
  }
}

/** What one run has to say at the end: the outputs, and the summary's sections. */
class RunReport {
  readonly failures: string[] = [];
  readonly sections: string[] = [];
  readonly statuses = new Map<string, RunStatus>();
  counts: ItemCounts = NO_COUNTS;
  deferred = false;
  journals = 0;
}

/** Every manifest merged in the look-back window, each decided before anything is executed. */
async function findCandidates(
  ctx: CommandContext,
  github: GitHubProvider,
  history: GitHistory,
  push: AcceptedPush,
  config: HandoverConfig,
): Promise<Candidate[]> {
  const since = new Date(ctx.now().getTime() - LOOK_BACK_DAYS * 24 * 3600_000);
  const patterns = ctx.inputs.manifests;
  const added = (await history.addedManifests(push.head, since)).filter(
    (a) => patterns.length === 0 || matchesAny(a.path, patterns),
  );
  const candidates: Candidate[] = [];
  for (const manifest of added) {
    const candidate = await assessCandidate(manifest, {
      github,
      history,
      head: push.head,
      defaultBranch: push.defaultBranch,
      config,
      workspace: ctx.workspace,
    });
    candidates.push(candidate);
    ctx.core.info(oneLogLine(describe(candidate)));
    for (const note of candidate.notes) ctx.annotations.annotate('warning', note, { file: candidate.path });
  }
  if (candidates.length === 0) ctx.core.info('No manifest was merged in the look-back window.');
  return candidates;
}

/** Refusals and checks that could not be made: reported, and refusals recorded as final on their pull request. */
async function reportRefusals(
  ctx: CommandContext,
  github: GitHubProvider,
  push: AcceptedPush,
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
    if (s.kind === 'finished' && s.record.outcome === 'refused' && s.pull.number === push.pull)
      report.failures.push(`${candidate.path}: refused (see pull request #${s.pull.number})`);
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
      recordFor(candidate, 'refused', null, url, ctx.now()),
      markdown,
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
): Promise<void> {
  const { dryRun } = ctx.inputs;
  ctx.core.info(`Applying ${candidate.path} from pull request #${pull}${dryRun ? ' (dry run)' : ''}`);
  const result = await applyHandover({
    manifestPath: join(ctx.workspace, candidate.path),
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
  if (journal) {
    writeJournalFile(journalDir, journal);
    report.journals += 1;
    markdown = renderJournalMarkdown(journal, { runUrl: url, maxLength: COMMENT_MARKDOWN_BUDGET });
  } else {
    markdown = `### Handover ${escapeMarkdownInline(candidate.path)}: ❌ failed\n\n${escapeMarkdownInline(result.message ?? 'the manifest could not be read')}`;
  }
  report.sections.push(markdown);
  if (dryRun) return; // a dry run must never mark a handover finished
  const lost = await recordOnPullRequest(
    github,
    recordFor(candidate, outcome, journal, url, ctx.now()),
    markdown,
  );
  if (lost) report.failures.push(lost);
}

/**
 * `command: apply` on a push to the default branch. Reads everything first — the push, then every manifest
 * merged in the look-back window without a final journal — and only then executes the ready ones, oldest
 * first. One handover failing does not hold back the next (an emergency must not wait behind a failed
 * routine rotation). Each outcome is kept as a journal file (the artifact), in the job summary, and as the
 * marked comment on the manifest's pull request, where the next run finds it (docs/adoption.md).
 */
export async function runApply(ctx: CommandContext): Promise<CommandOutcome> {
  const refuse = (message: string): CommandOutcome => {
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(message)}`);
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [message] };
  };
  const event = ctx.event;
  if (event.kind !== 'push')
    return refuse(
      `apply runs on a push to the default branch (the handover-apply workflow), not on ${event.kind === 'pull-request' ? 'a pull request' : `a ${event.name || 'manual'} event`}: nothing was applied`,
    );
  const github = githubFromEnvironment(ctx.env);
  if (!github)
    return refuse('GITHUB_TOKEN and GITHUB_REPOSITORY are needed (input github-token): nothing was applied');
  const history = new GitHistory(gitRunner(ctx.workspace, ctx.runner));

  let config: HandoverConfig;
  let push: AcceptedPush;
  let candidates: Candidate[];
  try {
    config = loadConfigForApply(ctx);
    ctx.core.startGroup('Check the push');
    try {
      push = await acceptPush(ctx, github, history, event);
    } finally {
      ctx.core.endGroup();
    }
    ctx.core.startGroup(`Find the handovers merged in the last ${LOOK_BACK_DAYS} days`);
    try {
      candidates = await findCandidates(ctx, github, history, push, config);
    } finally {
      ctx.core.endGroup();
    }
  } catch (error) {
    return refuse(error instanceof Refusal ? error.message : `nothing was applied: ${errorMessage(error)}`);
  }

  const report = new RunReport();
  await reportRefusals(ctx, github, push, candidates, report);
  const journalDir = join(
    ctx.runner.RUNNER_TEMP || tmpdir(),
    `handover-journal-${ctx.runner.GITHUB_RUN_ID ?? process.pid}`,
  );
  for (const candidate of candidates) {
    const status = candidate.status;
    if (status.kind === 'ready')
      await execute(ctx, github, config, candidate, status.pull.number, journalDir, report);
  }
  if (!candidates.some((c) => c.status.kind === 'ready')) ctx.core.info('Nothing to apply in this run.');

  const dryRun = ctx.inputs.dryRun
    ? ' **Dry run**: nothing was changed and no journal was recorded on the pull requests.'
    : '';
  ctx.summary.push(
    [
      HEADING,
      `Push ${shortSha(event.after)}: the merge of pull request #${push.pull}, accepted.${dryRun}`,
      candidateTable(candidates, report.statuses),
      ...report.sections,
    ].join('\n\n'),
  );
  return {
    result: report.failures.length > 0 ? 'failure' : report.deferred ? 'deferred' : 'success',
    counts: report.counts,
    journal: report.journals > 0 ? journalDir : '',
    failures: report.failures,
  };
}
