import type { HandoverConfig } from '../../config/types.js';
import { shortSha } from '../../format.js';
import type { Handover } from '../../manifest/types.js';
import { type GhPullRequest, type GitHubProvider, ProviderError } from '../../providers/types.js';
import { logValue } from '../../render/escape.js';
import type { LiveState } from '../live-state.js';
import type { PlanFinding } from '../plan/finding.js';
import { isOpen, quoted } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import type { AcknowledgementInfo } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { evaluateAcknowledgement } from './preflight-acknowledgement.js';

/** Where the pull request that carries the acknowledgement comes from (docs/design.md#step-0-preflight). */
export type PullRequestSource =
  | { kind: 'number'; number: number }
  | { kind: 'push'; sha: string }
  | { kind: 'none'; why: string };

/**
 * `--pull-request N` when given (the Action passes it for each manifest when one run applies several);
 * otherwise, inside GitHub Actions on a push, the commit the push brought (its pull request is the one
 * that merged it); otherwise none. Pure apart from `readEvent`.
 */
export function pullRequestSource(
  env: NodeJS.ProcessEnv,
  pullRequest: number | undefined,
  readEvent: (path: string) => string,
): PullRequestSource {
  if (pullRequest !== undefined) return { kind: 'number', number: pullRequest };
  if (env.GITHUB_ACTIONS !== 'true' || env.GITHUB_EVENT_NAME !== 'push')
    return { kind: 'none', why: 'not a push event in GitHub Actions and no --pull-request given' };
  let sha: unknown = env.GITHUB_SHA;
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readEvent(env.GITHUB_EVENT_PATH)) as {
        after?: unknown;
        head_commit?: { id?: unknown } | null;
      };
      sha = event.after ?? event.head_commit?.id ?? sha;
    } catch {
      // Fall back to GITHUB_SHA, which Actions sets to the same commit for a push.
    }
  }
  return typeof sha === 'string' && /^[0-9a-f]{40}$/i.test(sha)
    ? { kind: 'push', sha }
    : { kind: 'none', why: 'the push event names no commit' };
}

/**
 * Establishes the acknowledgement: the pull request is merged, added this manifest and nothing outside
 * handovers/, and carries the approval of its final commit by the incoming admin (evaluateAcknowledgement,
 * the same check plan runs on the pull request, repeated now with what GitHub says at apply time).
 * Records each problem as a failure and returns null when the acknowledgement is not there.
 */
export async function checkAcknowledgement(
  run: StepRun,
  input: {
    github: GitHubProvider;
    source: Extract<PullRequestSource, { kind: 'number' | 'push' }>;
    handover: Handover;
    config: HandoverConfig;
    manifestPath: string;
  },
): Promise<AcknowledgementInfo | null> {
  const { github, source } = input;
  let pull: GhPullRequest;
  try {
    if (source.kind === 'push') {
      const candidates = (await github.pullRequestsForCommit(source.sha)).filter((p) => p.merged);
      const merged = candidates.find((p) => p.mergeCommitSha === source.sha) ?? candidates[0];
      if (!merged) {
        run.failure(
          `commit ${logValue(shortSha(source.sha))}`,
          'find pull request',
          'no merged pull request brought this commit: apply executes only manifests merged through a reviewed pull request',
        );
        return null;
      }
      pull = merged;
    } else {
      pull = await github.getPullRequest(source.number);
    }
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found' && source.kind === 'number') {
      run.failure(
        `pull request #${source.number}`,
        'acknowledgement',
        'GitHub does not know this pull request',
      );
      return null;
    }
    run.fail(
      source.kind === 'number'
        ? `pull request #${source.number}`
        : `commit ${logValue(shortSha(source.sha))}`,
      'acknowledgement',
      error,
    );
    return null;
  }

  const target = `pull request #${pull.number}`;
  if (!pull.merged) {
    run.failure(
      target,
      'acknowledgement',
      'not merged: apply executes a handover only once its pull request is merged',
    );
    return null;
  }
  let files: Awaited<ReturnType<GitHubProvider['listPullFiles']>>;
  let reviews: Awaited<ReturnType<GitHubProvider['listReviews']>>;
  try {
    [files, reviews] = await Promise.all([
      github.listPullFiles(pull.number),
      github.listReviews(pull.number),
    ]);
  } catch (error) {
    run.fail(target, 'acknowledgement', error);
    return null;
  }
  const verdict = evaluateAcknowledgement({
    handover: input.handover,
    config: input.config,
    pull,
    reviews,
    files,
    manifestPath: input.manifestPath,
  });
  if (!verdict.ok) {
    for (const problem of verdict.problems)
      run.failure(target, 'acknowledgement', `[${problem.rule}] ${problem.message}`);
    return null;
  }
  run.record(
    target,
    'acknowledgement',
    'done',
    `${verdict.approver} approved commit ${shortSha(verdict.approvedSha)} (the final commit) and the pull request is merged: acknowledged`,
  );
  return {
    verified: true,
    pullRequest: pull.number,
    approver: verdict.approver,
    approvedSha: verdict.approvedSha,
    mergedAt: pull.mergedAt,
  };
}

/**
 * mid-shift-outage: the formal handover waits until the outage incident is resolved (runbook: "do the
 * formal handover after the outage is mitigated"). Returns whether apply may proceed.
 */
export async function checkOutage(run: StepRun): Promise<'proceed' | 'deferred' | 'failed'> {
  const { ctx } = run;
  const outage = ctx.handover.outage;
  if (ctx.handover.variant !== 'mid-shift-outage' || !outage) return 'proceed';
  const target = `incident ${logValue(outage.incident)}`;
  try {
    const incident = await ctx.read.pagerduty.getIncident(outage.incident);
    if (incident.status !== 'resolved') {
      run.record(
        target,
        'wait for the outage',
        'deferred',
        `the outage incident is ${incident.status}: nothing is handed over until it is resolved; ${outage.lead} leads meanwhile. Re-run apply after it is resolved`,
      );
      return 'deferred';
    }
    run.record(
      target,
      'wait for the outage',
      'done',
      'the outage incident is resolved: the formal handover proceeds',
    );
    return 'proceed';
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found') {
      run.failure(target, 'wait for the outage', 'PagerDuty does not know the outage incident');
      return 'failed';
    }
    run.fail(target, 'wait for the outage', error);
    return 'failed';
  }
}

/** What plan shows for step 0: a mid-shift outage still open defers the handover (exit 3). */
export function planPreflight({ handover, live }: PlanInput): PlannedItem[] {
  if (handover.variant !== 'mid-shift-outage' || !handover.outage) return [];
  const outage = live.outageIncident ?? null;
  const open = outage !== null && outage.status !== 'resolved';
  return [
    {
      section: 'outage',
      target: handover.outage.incident,
      ...(outage ? { title: outage.title } : {}),
      live: outage === null ? 'unknown to PagerDuty' : outage.status,
      actions: open
        ? [`defer (exit 3) until the outage is resolved; ${handover.outage.lead} leads meanwhile`]
        : [],
      skipped: open ? null : 'resolved: the formal handover goes ahead',
    },
  ];
}

export function outageFindings(handover: Handover, live: LiveState): PlanFinding[] {
  if (handover.variant !== 'mid-shift-outage' || !handover.outage) return [];
  const id = handover.outage.incident;
  const incident = live.outageIncident ?? null;
  if (incident === null)
    return [
      {
        severity: 'warning',
        section: 'outage',
        target: id,
        rule: 'outage.unknown',
        message: `PagerDuty does not know the outage incident ${id}: check outage.incident; apply waits for it to be resolved`,
      },
    ];
  if (isOpen(incident))
    return [
      {
        severity: 'error',
        section: 'outage',
        target: id,
        rule: 'outage.unresolved',
        message: `the outage ${quoted(id, incident.title)} is still ${incident.status}: the formal handover waits until it is resolved (apply defers, exit 3); ${handover.outage.lead} leads meanwhile`,
      },
    ];
  return [
    {
      severity: 'info',
      section: 'outage',
      target: id,
      rule: 'outage.resolved',
      message: `the outage ${quoted(id, incident.title)} is resolved: the formal handover can go ahead`,
    },
  ];
}
