import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DEADLINE_SECONDS, parseDeadlineSeconds, RunDeadline } from '../../core/deadline.js';
import { renderJournalJson, renderJournalMarkdown, renderJournalSummary } from '../../journal/index.js';
import type { Journal } from '../../journal/types.js';
import { applyHandover } from '../../runbook/apply.js';
import { createConsoleReporter } from '../../runbook/runtime/reporter.js';
import { clockFlag, commandConfig, parseFormat, stringFlag, switchFlag } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import { JournalFile } from '../journal-file.js';
import type { CommandLine } from '../usage.js';

function parsePullRequest(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(value))
    throw new UsageError(`--pull-request must be a pull request number (got '${value}')`);
  return Number(value);
}

function parseDeadline(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DEADLINE_SECONDS;
  const seconds = parseDeadlineSeconds(value);
  if (seconds === null) throw new UsageError(`--deadline must be a whole number of seconds (got '${value}')`);
  return seconds;
}

/**
 * Refuses a --journal path that cannot be written before anything is applied: finding out after every
 * side effect has happened would lose the record of a real run.
 */
function checkJournalTarget(value: string, out: string): void {
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? 'directory' : 'file';
    } catch {
      return 'missing';
    }
  };
  if (kind(out) === 'directory')
    throw new UsageError(`--journal ${value} is a directory: name a file, e.g. ${value}/journal.json`);
  if (kind(dirname(out)) !== 'directory')
    throw new UsageError(`--journal ${value}: the folder ${dirname(value)} does not exist; create it first`);
}

/**
 * `handover apply FILE`: executes the handover (docs/apply.md). The log (one group per step) goes to stdout
 * in text format; with --format json or markdown the log goes to stderr and stdout carries the journal.
 * With --journal OUT the journal is rewritten after every action, so a killed run leaves what it did.
 */
export async function applyCommand(line: CommandLine, io: CliIO): Promise<number> {
  const format = parseFormat(stringFlag(line, 'format'));
  const pullRequest = parsePullRequest(stringFlag(line, 'pull-request'));
  const now = clockFlag(line);
  const deadline = new RunDeadline(parseDeadline(stringFlag(line, 'deadline')));
  const skipApprovalCheck = switchFlag(line, 'skip-approval-check');
  if (pullRequest !== undefined && skipApprovalCheck)
    throw new UsageError('--pull-request and --skip-approval-check contradict each other: pass one');

  const journalFlag = stringFlag(line, 'journal');
  const journalOut = journalFlag === undefined ? undefined : resolve(io.cwd, journalFlag);
  if (journalFlag !== undefined && journalOut !== undefined) checkJournalTarget(journalFlag, journalOut);

  const file = line.positionals[0] ?? '';
  const loaded = commandConfig('apply', line, io, format);
  if ('exit' in loaded) return loaded.exit;

  let journalError: string | null = null;
  const journalFile = journalOut === undefined ? undefined : new JournalFile(journalOut);
  const keepJournal = (journal: Journal, finished = false) => {
    if (journalFile === undefined || journalError !== null) return;
    try {
      if (finished) journalFile.finish(journal);
      else journalFile.update(journal);
    } catch (error) {
      journalError = (error as Error).message;
      journalFile.close();
    }
  };

  const log = format === 'text' ? io.stdout : io.stderr;
  const reporter = createConsoleReporter(log, { githubActions: io.env.GITHUB_ACTIONS === 'true' });
  const result = await applyHandover({
    manifestPath: resolve(io.cwd, file),
    displayPath: file,
    repoRoot: io.env.GITHUB_WORKSPACE || io.cwd,
    config: loaded.config.config,
    env: io.env,
    reporter,
    dryRun: switchFlag(line, 'dry-run'),
    ...(pullRequest !== undefined ? { pullRequest } : {}),
    skipApprovalCheck,
    now,
    deadline,
    ...(journalOut !== undefined ? { onJournal: (journal: Journal) => keepJournal(journal) } : {}),
  });

  if (result.message && result.exitCode === EXIT.usage) io.stderr(`handover apply: ${result.message}\n`);
  else if (result.message && result.exitCode === EXIT.failed)
    io.stderr(`handover apply: ${result.message}\n`);
  const journal = result.journal;
  if (journal) {
    keepJournal(journal, true);
    if (journalError !== null) {
      io.stderr(`handover apply: could not write the journal to ${journalFlag}: ${journalError}\n`);
      return result.exitCode === EXIT.ok ? EXIT.failed : result.exitCode;
    }
    if (format === 'json') io.stdout(renderJournalJson(journal));
    else if (format === 'markdown') io.stdout(renderJournalMarkdown(journal));
    else io.stdout(renderJournalSummary(journal));
  }
  return result.exitCode;
}
