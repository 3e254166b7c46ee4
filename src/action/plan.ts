import { join } from 'node:path';
import { renderDiagnostics } from '../cli/report/diagnostics.js';
import { openConfig } from '../config/index.js';
import { planHandover } from '../core/plan.js';
import { escapeMarkdownInline } from '../render/escape.js';
import { planBlockers } from '../runbook/plan/plan.js';
import { renderPlanMarkdown } from '../runbook/plan/render-markdown.js';
import { renderPlanText } from '../runbook/plan/render-text.js';
import {
  addCounts,
  type CommandContext,
  type CommandOutcome,
  type ItemCounts,
  NO_COUNTS,
} from './context.js';
import { logOutput } from './log-output.js';
import { resolveTargets } from './manifests.js';
import { listedItems } from './validate.js';

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
 * `command: plan` — src/core/plan.ts (what `handover plan` runs) for each manifest the pull request adds:
 * the plan in the log, in the job summary and (written by the core) in the one sticky comment on the pull
 * request, which also says whether the incoming admin has acknowledged. Fails when anything would be
 * stranded or the acknowledgement is missing, and says which.
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

  const config = openConfig(join(ctx.workspace, ctx.inputs.config), ctx.inputs.config);
  if (config.kind !== 'valid') {
    const reason =
      config.kind === 'unreadable' ? config.message : `the config ${ctx.inputs.config} is not valid`;
    if (config.kind === 'invalid') logOutput(ctx, renderDiagnostics(config.diagnostics, 'text'));
    ctx.summary.push(`${HEADING}\n\n❌ ${escapeMarkdownInline(reason)}`);
    ctx.annotations.annotate('error', reason, {
      title: 'handover plan',
      file: ctx.inputs.config,
      startLine: 1,
    });
    return { result: 'failure', counts: NO_COUNTS, journal: '', failures: [reason] };
  }

  const pullRequest = ctx.event.kind === 'pull-request' ? ctx.event.number : null;
  const failures: string[] = [];
  const sections: string[] = [];
  let counts: ItemCounts = NO_COUNTS;
  for (const file of targets.files) {
    ctx.core.startGroup(`Plan ${file}`);
    const outcome = await planHandover({
      manifestPath: join(ctx.workspace, file),
      displayPath: file,
      config: config.config,
      env: ctx.env,
      now: ctx.now,
      pullRequest,
      cwd: ctx.workspace,
    });
    let reason: string | null = null;
    switch (outcome.kind) {
      case 'planned': {
        logOutput(ctx, renderPlanText(outcome.plan));
        if (outcome.comment)
          logOutput(
            ctx,
            `${outcome.comment.created ? 'Posted' : 'Updated'} the plan comment on pull request #${pullRequest}.`,
          );
        // The plan's Markdown escapes every value it takes from the manifest or a service.
        sections.push(renderPlanMarkdown(outcome.plan).trim());
        counts = addCounts(counts, listedItems([outcome.plan.handover]));
        const blockers = planBlockers(outcome.plan);
        if (!outcome.succeeded) reason = blockers.join(' ') || 'the plan did not pass';
        break;
      }
      case 'invalid-manifest':
        logOutput(ctx, renderDiagnostics(outcome.diagnostics, 'text', { [file]: outcome.text }));
        reason = `${file} is not a valid manifest: see the validate check`;
        sections.push(`❌ ${escapeMarkdownInline(reason)}`);
        break;
      default:
        logOutput(ctx, outcome.message);
        reason = outcome.message;
        sections.push(`❌ ${escapeMarkdownInline(file)}: ${escapeMarkdownInline(reason)}`);
    }
    ctx.core.endGroup();
    if (reason === null) continue;
    failures.push(`${file}: ${reason}`);
    // The annotation names exactly what blocks the merge: the stranded work, the acknowledgement, or both.
    ctx.annotations.annotate('error', reason, { title: 'handover plan', file, startLine: 1 });
  }
  ctx.summary.push(`${HEADING}\n\n${sections.join('\n\n')}`);
  return { result: failures.length > 0 ? 'failure' : 'success', counts, journal: '', failures };
}
