/**
 * `plan` as a typed function: the CLI prints its outcome, the action writes it into the job summary and
 * annotations. Reads only: the manifest, PagerDuty and the platform API, and (on a pull request) GitHub,
 * where it keeps the one plan comment up to date.
 */
import { resolve } from 'node:path';
import type { Clock } from '../clock.js';
import type { HandoverConfig } from '../config/types.js';
import { type Diagnostic, hasErrors } from '../diagnostics.js';
import { loadManifestFile, ManifestUnreadableError } from '../manifest/index.js';
import { createProviders, MissingCredentialsError } from '../providers/index.js';
import { ProviderError, type ServiceName } from '../providers/types.js';
import { readLiveState } from '../runbook/live-state.js';
import { repositoryPath, repositoryRoot } from '../runbook/plan/github-context.js';
import { permissionFindings } from '../runbook/plan/permission-findings.js';
import { buildPlan, type Plan, planSucceeded } from '../runbook/plan/plan.js';
import { checkPullRequest, publishPlanComment } from '../runbook/plan/pull-request.js';

export interface PlanRequest {
  /** The manifest (absolute). */
  manifestPath: string;
  /** How reports name it. */
  displayPath: string;
  config: HandoverConfig;
  /** Tokens and endpoints (docs/reference/commands.md). */
  env: NodeJS.ProcessEnv;
  now: Clock;
  /** The pull request to check the acknowledgement on and comment on, or null (a local run). */
  pullRequest: number | null;
  /** Where the repository root is looked for (the working directory). */
  cwd: string;
}

export type PlanOutcome =
  /** The plan was made; `succeeded` is false when something would be stranded or the ack is missing. */
  | {
      kind: 'planned';
      plan: Plan;
      succeeded: boolean;
      /** Warnings of the manifest (it is valid). */
      warnings: Diagnostic[];
      text: string;
      /** On a pull request: whether the plan comment was created or updated. */
      comment?: { created: boolean };
    }
  | { kind: 'invalid-manifest'; diagnostics: Diagnostic[]; text: string }
  /** The manifest cannot be read, or a token is missing: exit 2. */
  | { kind: 'unreadable' | 'missing-credentials'; message: string }
  /** A service call failed (named in the message): exit 1. */
  | { kind: 'service-failed'; message: string };

/** The one exit-code rule of plan (docs/reference/commands.md). */
export function planExitCode(outcome: PlanOutcome): 0 | 1 | 2 {
  switch (outcome.kind) {
    case 'planned':
      return outcome.succeeded ? 0 : 1;
    case 'invalid-manifest':
    case 'service-failed':
      return 1;
    case 'unreadable':
    case 'missing-credentials':
      return 2;
  }
}

export async function planHandover(request: PlanRequest): Promise<PlanOutcome> {
  const { config, displayPath } = request;
  let manifest: ReturnType<typeof loadManifestFile>;
  try {
    manifest = loadManifestFile(request.manifestPath, { config, displayPath, now: request.now() });
  } catch (error) {
    if (error instanceof ManifestUnreadableError) return { kind: 'unreadable', message: error.message };
    throw error;
  }
  const handover = manifest.handover;
  if (handover === null || hasErrors(manifest.diagnostics))
    return { kind: 'invalid-manifest', diagnostics: manifest.diagnostics, text: manifest.text };

  try {
    const need: ServiceName[] =
      request.pullRequest === null ? ['pagerduty', 'platform'] : ['pagerduty', 'platform', 'github'];
    const providers = createProviders(request.env, config, { need });
    const live = await readLiveState(providers, config, handover, request.now());
    const plan = buildPlan(displayPath, handover, config, live);
    // What apply's preflight would stop on, found by reads only (src/runbook/permissions.ts).
    const slack = request.env.SLACK_BOT_TOKEN ? providers.slack : null;
    const pagerduty = providers.pagerduty;
    const platform = providers.platform;
    plan.findings.push(...(await permissionFindings({ slack, pagerduty, platform, config, handover })));
    let comment: { created: boolean } | undefined;
    if (request.pullRequest !== null && providers.github !== null) {
      const root = repositoryRoot(request.env, resolve(request.manifestPath, '..'), request.cwd);
      const acknowledgement = await checkPullRequest(
        providers.github,
        request.pullRequest,
        handover,
        config,
        repositoryPath(root, request.manifestPath),
      );
      plan.acknowledgement = acknowledgement;
      const posted = await publishPlanComment(providers.github, { ...plan, acknowledgement });
      comment = { created: posted.created };
    }
    return {
      kind: 'planned',
      plan,
      succeeded: planSucceeded(plan),
      warnings: manifest.diagnostics,
      text: manifest.text,
      ...(comment ? { comment } : {}),
    };
  } catch (error) {
    if (error instanceof ProviderError) return { kind: 'service-failed', message: error.message };
    if (error instanceof MissingCredentialsError)
      return {
        kind: 'missing-credentials',
        message: `${error.message} (secrets come from the environment only)`,
      };
    throw error;
  }
}
