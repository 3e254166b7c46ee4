import { statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigUnreadableError, loadConfig } from '../../config/index.js';
import { hasErrors } from '../../diagnostics.js';
import { renderJournalJson, renderJournalMarkdown, renderJournalSummary } from '../../journal/index.js';
import { applyHandover } from '../../runbook/apply.js';
import { createConsoleReporter } from '../../runbook/runtime/reporter.js';
import { COMMON_OPTIONS, configPath, parseFormat } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';

const USAGE =
  'usage: handover apply FILE [--dry-run] [--pull-request N] [--skip-approval-check] [--journal OUT] [--config PATH] [--format text|json|markdown] [--now ISO]';

function parsePullRequest(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(value))
    throw new UsageError(`--pull-request must be a pull request number (got '${value}')`);
  return Number(value);
}

function parseNow(value: string | undefined): (() => Date) | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at))
    throw new UsageError(`--now must be an ISO 8601 instant like 2026-11-26T16:00:00Z (got '${value}')`);
  return () => new Date(at);
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
 * `handover apply FILE`: executes the handover (docs/design.md#what-apply-does). The log (one group per step) goes to stdout
 * in text format; with --format json or markdown the log goes to stderr and stdout carries the journal.
 * Exit 0 done, 1 failed, 2 usage / unreadable / missing tokens / no acknowledgement source, 3 deferred.
 */
export async function applyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...COMMON_OPTIONS,
      'dry-run': { type: 'boolean' },
      'pull-request': { type: 'string' },
      'skip-approval-check': { type: 'boolean' },
      journal: { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`expected exactly one manifest FILE\n${USAGE}`);
  const format = parseFormat(values.format);
  const pullRequest = parsePullRequest(values['pull-request']);
  const now = parseNow(values.now);
  if (pullRequest !== undefined && values['skip-approval-check'])
    throw new UsageError('--pull-request and --skip-approval-check contradict each other: pass one');

  // resolve() keeps an absolute path as it is.
  const journalOut = values.journal === undefined ? undefined : resolve(io.cwd, values.journal);
  if (values.journal !== undefined && journalOut !== undefined)
    checkJournalTarget(values.journal, journalOut);

  const file = positionals[0]!;
  const manifestPath = isAbsolute(file) ? file : resolve(io.cwd, file);
  const configFile = configPath(values.config, io.cwd);
  let config: ReturnType<typeof loadConfig>['config'];
  try {
    // Named as the user typed it, like the manifest, not as an absolute path.
    const loaded = loadConfig(configFile, { displayPath: values.config ?? 'handover.config.yaml' });
    if (!loaded.config || hasErrors(loaded.diagnostics)) {
      for (const d of loaded.diagnostics)
        io.stderr(`${d.file}:${d.line}:${d.column}: ${d.severity} [${d.rule}] ${d.message}\n`);
      io.stderr(`handover apply: the config ${values.config ?? 'handover.config.yaml'} is not valid\n`);
      return EXIT.usage;
    }
    config = loaded.config;
  } catch (error) {
    if (error instanceof ConfigUnreadableError) {
      io.stderr(`handover apply: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }

  const log = format === 'text' ? io.stdout : io.stderr;
  const reporter = createConsoleReporter(log, { githubActions: io.env.GITHUB_ACTIONS === 'true' });
  const result = await applyHandover({
    manifestPath,
    displayPath: file,
    repoRoot: io.env.GITHUB_WORKSPACE || io.cwd,
    config,
    env: io.env,
    reporter,
    dryRun: values['dry-run'] ?? false,
    ...(pullRequest !== undefined ? { pullRequest } : {}),
    skipApprovalCheck: values['skip-approval-check'] ?? false,
    ...(now ? { now } : {}),
  });

  if (result.message && result.exitCode === EXIT.usage) io.stderr(`handover apply: ${result.message}\n`);
  const journal = result.journal;
  if (journal) {
    if (values.journal !== undefined && journalOut !== undefined) {
      try {
        writeFileSync(journalOut, renderJournalJson(journal));
      } catch (error) {
        io.stderr(
          `handover apply: could not write the journal to ${values.journal}: ${(error as Error).message}\n`,
        );
        return result.exitCode === EXIT.ok ? EXIT.failed : result.exitCode;
      }
    }
    if (format === 'json') io.stdout(renderJournalJson(journal));
    else if (format === 'markdown') io.stdout(renderJournalMarkdown(journal));
    else io.stdout(renderJournalSummary(journal));
  }
  return result.exitCode;
}
