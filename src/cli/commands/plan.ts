import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigUnreadableError, type HandoverConfig, loadConfig } from '../../config/index.js';
import { hasErrors } from '../../diagnostics.js';
import { type Handover, loadManifestFile, ManifestUnreadableError } from '../../manifest/index.js';
import { createProviders, MissingCredentialsError } from '../../providers/index.js';
import { ProviderError, type ServiceName } from '../../providers/types.js';
import { readLiveState } from '../../runbook/live-state.js';
import {
  PullRequestContextError,
  pullRequestNumber,
  repositoryPath,
  repositoryRoot,
} from '../../runbook/plan/github-context.js';
import { buildPlan, type Plan, planSucceeded } from '../../runbook/plan/plan.js';
import { checkPullRequest, publishPlanComment } from '../../runbook/plan/pull-request.js';
import { renderPlanJson } from '../../runbook/plan/render-json.js';
import { renderPlanMarkdown } from '../../runbook/plan/render-markdown.js';
import { renderPlanText } from '../../runbook/plan/render-text.js';
import { COMMON_OPTIONS, configPath, parseFormat, type ReportFormat } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import { renderDiagnostics } from '../report/diagnostics.js';

const OPTIONS = {
  ...COMMON_OPTIONS,
  now: { type: 'string' },
  'pull-request': { type: 'string' },
} as const;

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw new UsageError(`--now must be an ISO 8601 instant such as 2026-11-26T15:00:00Z (got '${value}')`);
  return date;
}

function render(plan: Plan, format: ReportFormat): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan);
}

/** Failures that are not the manifest's fault, as one line each: never a stack trace. */
function reportFailure(error: unknown, io: CliIO): number | null {
  if (error instanceof ProviderError) {
    io.stderr(`handover plan: ${error.message}\n`);
    return EXIT.failed;
  }
  if (error instanceof MissingCredentialsError) {
    io.stderr(`handover plan: ${error.message} (secrets come from the environment only)\n`);
    return EXIT.usage;
  }
  if (error instanceof PullRequestContextError) {
    io.stderr(`handover plan: ${error.message}\n`);
    return EXIT.usage;
  }
  return null;
}

interface ValidInputs {
  config: HandoverConfig;
  handover: Handover;
}

/**
 * The config and the manifest, validated exactly as `validate` does; the exit code when either is
 * invalid (its diagnostics already printed). Throws the loaders' "unreadable" errors (exit 2).
 */
function loadInputs(
  file: string,
  display: string,
  configFile: string,
  format: ReportFormat,
  now: Date,
  io: CliIO,
): ValidInputs | number {
  const loaded = loadConfig(configFile, { displayPath: shown(configFile, io.cwd) });
  if (loaded.config === null) {
    io.stderr(renderDiagnostics(loaded.diagnostics, 'text'));
    io.stderr('handover plan: the config is invalid; fix it first\n');
    return EXIT.failed;
  }
  const config = loaded.config;
  const manifest = loadManifestFile(file, { config, displayPath: display, now });
  if (manifest.handover !== null && !hasErrors(manifest.diagnostics)) {
    if (manifest.diagnostics.length > 0)
      io.stderr(renderDiagnostics(manifest.diagnostics, 'text', { [display]: manifest.text }));
    return { config, handover: manifest.handover };
  }
  if (format === 'json') io.stdout(renderDiagnostics(manifest.diagnostics, 'json'));
  else io.stderr(renderDiagnostics(manifest.diagnostics, 'text', { [display]: manifest.text }));
  io.stderr(`handover plan: ${display} is not a valid manifest; fix the errors above, then run plan again\n`);
  return EXIT.failed;
}

/**
 * `handover plan FILE`: validates the manifest, reads live state, and prints what apply will do and
 * what would be stranded. On a pull request (GitHub Actions, or `--pull-request N`) it also checks
 * the acknowledgement and keeps one comment on the pull request up to date.
 */
export async function planCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1)
    throw new UsageError(`plan takes exactly one manifest (got ${positionals.length}): handover plan FILE`);
  const format = parseFormat(values.format);
  const now = parseNow(values.now);
  const file = resolve(io.cwd, positionals[0] ?? '');
  const display = shown(file, io.cwd);

  let pullRequest: number | null;
  try {
    pullRequest = pullRequestNumber(io.env, values['pull-request']);
  } catch (error) {
    const code = reportFailure(error, io);
    if (code !== null) return code;
    throw error;
  }

  let inputs: ValidInputs | number;
  try {
    inputs = loadInputs(file, display, configPath(values.config, io.cwd), format, now, io);
  } catch (error) {
    if (error instanceof ConfigUnreadableError || error instanceof ManifestUnreadableError) {
      io.stderr(`handover plan: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (typeof inputs === 'number') return inputs;
  const { config, handover } = inputs;

  try {
    const need: ServiceName[] =
      pullRequest === null ? ['pagerduty', 'platform'] : ['pagerduty', 'platform', 'github'];
    const providers = createProviders(io.env, config, { need });
    const live = await readLiveState(providers, config, handover, now);
    const plan = buildPlan(display, handover, config, live);

    if (pullRequest !== null && providers.github !== null) {
      const root = repositoryRoot(io.env, resolve(file, '..'), io.cwd);
      plan.acknowledgement = await checkPullRequest(
        providers.github,
        pullRequest,
        handover,
        config,
        repositoryPath(root, file),
      );
      const comment = await publishPlanComment(providers.github, {
        ...plan,
        acknowledgement: plan.acknowledgement,
      });
      io.stderr(
        `handover plan: ${comment.created ? 'posted' : 'updated'} the plan comment on pull request #${pullRequest}\n`,
      );
    }
    io.stdout(render(plan, format));
    return planSucceeded(plan) ? EXIT.ok : EXIT.failed;
  } catch (error) {
    const code = reportFailure(error, io);
    if (code !== null) return code;
    throw error;
  }
}
