import { escapeMarkdownInline } from '../render/escape.js';
import { loadConfigQuietly } from './config.js';
import { type CommandContext, type CommandOutcome, NO_COUNTS } from './context.js';
import { countListedItems, resolveTargets } from './manifests.js';
import { logOutput, pathArgument, runCli } from './run-cli.js';

const HEADING = '## Handover plan';

/**
 * Plan reads PagerDuty and the platform API. A pull request from a fork runs without secrets, so the plan
 * cannot be made there: say so plainly instead of planning half-blind (docs/adoption.md).
 */
function missingReadTokens(ctx: CommandContext): string | null {
  const missing = ['PAGERDUTY_TOKEN', 'PLATFORM_TOKEN'].filter((name) => !ctx.env[name]);
  if (missing.length === 0) return null;
  const inputs = 'inputs pagerduty-token and platform-token (read-only keys)';
  return ctx.event.kind === 'pull-request' && ctx.event.fromFork
    ? `this pull request comes from a fork, and GitHub gives such runs no secrets, so the plan cannot read live state (${missing.join(', ')} missing): push the branch to this repository and open the pull request from there`
    : `${missing.join(', ')} missing: set the ${inputs} from the repository's secrets`;
}

/**
 * `command: plan` — the plan of each manifest the pull request adds, in the log, in the job summary and
 * (written by the plan command itself) in the one sticky comment on the pull request, which also says
 * whether the incoming admin has acknowledged. Fails when anything would be stranded or the
 * acknowledgement is missing.
 */
export async function runPlan(ctx: CommandContext): Promise<CommandOutcome> {
  const targets = await resolveTargets(ctx);
  if (targets.kind === 'error') {
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(targets.message)}`);
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [targets.message] };
  }
  if (targets.kind !== 'files') {
    const why =
      targets.kind === 'none'
        ? targets.why
        : ctx.event.kind === 'pull-request'
          ? targets.why
          : 'plan runs on a pull request, or on the manifests the `manifests` input names';
    ctx.core.info(`Nothing to plan: ${why}.`);
    ctx.summary.push(`${HEADING}\n\nNothing to plan: ${escapeMarkdownInline(why)}.`);
    return { result: 'success', counts: NO_COUNTS, journal: '', failures: [] };
  }

  const tokens = missingReadTokens(ctx);
  if (tokens) {
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(tokens)}.`);
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [tokens] };
  }

  const pullRequest = ctx.event.kind === 'pull-request' ? ['--pull-request', String(ctx.event.number)] : [];
  const failures: string[] = [];
  const sections: string[] = [];
  for (const file of targets.files) {
    ctx.core.startGroup(`Plan ${file}`);
    const { code, io } = await runCli(ctx, [
      'plan',
      pathArgument(file),
      '--config',
      pathArgument(ctx.inputs.config),
      '--format',
      'markdown',
      ...pullRequest,
    ]);
    logOutput(ctx, io.out());
    logOutput(ctx, io.err());
    ctx.core.endGroup();
    // The plan's Markdown escapes every value it takes from the manifest or a service (plan's renderer).
    if (io.out().trim()) sections.push(io.out().trim());
    if (code === 0) continue;
    const reason =
      code === 1
        ? 'something would be stranded, or the acknowledgement is missing: see the plan'
        : io.err().trim().split('\n')[0] || `plan exited with ${code}`;
    failures.push(`${file}: ${reason}`);
    ctx.annotations.annotate('error', reason, { title: 'handover plan', file, startLine: 1 });
    if (code !== 1) sections.push(`❌ ${escapeMarkdownInline(file)}: ${escapeMarkdownInline(reason)}`);
  }
  ctx.summary.push(`${HEADING}\n\n${sections.join('\n\n')}`);
  return {
    result: failures.length > 0 ? 'failure' : 'success',
    counts: countListedItems(ctx.workspace, targets.files, loadConfigQuietly(ctx)),
    journal: '',
    failures,
  };
}
