/**
 * "Handover verified": after apply, the services themselves are asked who really holds what. PagerDuty's
 * on-call list for the schedule over the window must show the incoming admin from the window's start
 * (an override someone added on top shows here); every incident, ticket and rollout annotation the
 * manifest lists must be owned by them. The result is one journal line (or one failure per mismatch)
 * and a commit status `handover/verified` on the merged pull request.
 */
import { errorMessage, formatUtc } from '../../format.js';
import type { CommitStatus, PdIncident, PdOnCall, Rollout, Ticket } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { LiveState } from '../live-state.js';
import { nameForPagerDutyUser } from '../people.js';
import type { ApplyContext } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { resolveWindow } from '../window.js';

export const VERIFIED_STATUS_CONTEXT = 'handover/verified';

export interface HolderMismatch {
  /** The object, as the journal names it: `schedule PSCH001`, `incident Q1…`. */
  target: string;
  /** Who holds it and what to fix. */
  detail: string;
}

export interface HolderFacts {
  onCalls: PdOnCall[];
  /** The instant from which the incoming admin must be on call, and the window's end. */
  from: Date;
  until: Date;
  incidents: Array<{ id: string; found: PdIncident | null }>;
  tickets: Array<{ id: string; found: Ticket | null }>;
  rollouts: Array<{ flag: string; found: Rollout | null }>;
}

/** Every object not held by the incoming admin, with what to do about it. Pure. */
export function holderMismatches(
  ctx: Pick<ApplyContext, 'config' | 'incoming'>,
  facts: HolderFacts,
): HolderMismatch[] {
  const { incoming, config } = ctx;
  const found: HolderMismatch[] = [];
  const scheduleTarget = `schedule ${config.pagerduty.scheduleId}`;
  // The schedule's first level: the one that pages first (a schedule may also sit on later levels).
  const firstLevel = Math.min(...facts.onCalls.map((o) => o.escalationLevel));
  const from = facts.from.getTime();
  const until = facts.until.getTime();
  const covering = facts.onCalls.filter((o) => o.escalationLevel === firstLevel);
  for (const entry of covering) {
    if (entry.userId === incoming.pagerduty) continue;
    const start = entry.start ? Math.max(Date.parse(entry.start), from) : from;
    const end = entry.end ? Math.min(Date.parse(entry.end), until) : until;
    if (end <= start) continue;
    found.push({
      target: scheduleTarget,
      detail: `PagerDuty puts ${nameForPagerDutyUser(config, entry.userId)} on call from ${formatUtc(new Date(start))} to ${formatUtc(new Date(end))}, not ${incoming.handle}: an override on top of the handover's? Remove it, or add a newer override for ${incoming.handle} over that time`,
    });
  }
  // Covered from the start: the incoming admin's own entries must reach back to `from`.
  const own = covering
    .filter((o) => o.userId === incoming.pagerduty)
    .map((o) => (o.start ? Date.parse(o.start) : Number.NEGATIVE_INFINITY));
  if (found.length === 0 && (own.length === 0 || Math.min(...own) > from))
    found.push({
      target: scheduleTarget,
      detail: `PagerDuty does not put ${incoming.handle} on call from ${formatUtc(facts.from)}: add an override for ${incoming.handle} over the window`,
    });

  for (const { id, found: incident } of facts.incidents) {
    const target = `incident ${logValue(id)}`;
    if (!incident) found.push({ target, detail: 'not found in PagerDuty: check the id in the manifest' });
    else if (incident.status === 'resolved') continue;
    else if (!incident.assigneeIds.includes(incoming.pagerduty))
      found.push({
        target,
        detail: `assigned to ${incident.assigneeIds.map((u) => nameForPagerDutyUser(config, u)).join(', ') || 'nobody'}, not ${incoming.handle}: reassign it to ${incoming.handle} in PagerDuty`,
      });
  }
  for (const { id, found: ticket } of facts.tickets) {
    const target = `ticket ${logValue(id)}`;
    if (!ticket) found.push({ target, detail: 'not found in the tracker: check the id in the manifest' });
    else if (ticket.status === 'closed') continue;
    else if (ticket.assignee !== incoming.tracker)
      found.push({
        target,
        detail: `assigned to ${ticket.assignee ?? 'nobody'}, not ${incoming.tracker}: reassign it in the tracker`,
      });
  }
  for (const { flag, found: rollout } of facts.rollouts) {
    const target = `rollout ${logValue(flag)}`;
    if (!rollout)
      found.push({ target, detail: 'not found in the flag console: check the flag in the manifest' });
    else if (rollout.state === 'complete' || rollout.state === 'rolled_back') continue;
    else if (rollout.owner !== incoming.tracker)
      found.push({
        target,
        detail: `its annotation is owned by ${rollout.owner ?? 'nobody'}, not ${incoming.tracker}: set the annotation owner in the flag console`,
      });
  }
  return found;
}

/** The instant from which the incoming admin must be on call, and the window's end. */
function coverage(ctx: ApplyContext): { from: Date; until: Date } {
  const window = resolveWindow(ctx.handover, ctx.now());
  // An emergency's window starts when apply made the override.
  const from =
    window.startsAtApply && ctx.results.overrideStart ? new Date(ctx.results.overrideStart) : window.start;
  return { from, until: window.end };
}

/** Who PagerDuty puts on call over the time the incoming admin must cover (read once steps 1–4 are done). */
export function readHolderOnCalls(ctx: ApplyContext): Promise<PdOnCall[]> {
  const { from, until } = coverage(ctx);
  return ctx.read.pagerduty.listOnCalls(
    ctx.config.pagerduty.scheduleId,
    from.toISOString(),
    until.toISOString(),
  );
}

/**
 * The holders, from the live state the stranded check just read (its list calls already found the
 * manifest's incidents and tickets; only what a list missed was read on its own) and the on-call read.
 */
async function readFacts(
  ctx: ApplyContext,
  live: LiveState,
  onCallsRead: Promise<PdOnCall[]>,
): Promise<HolderFacts> {
  const { from, until } = coverage(ctx);
  const onCalls = await onCallsRead;
  const rollouts = new Map(live.rollouts.map((rollout) => [rollout.flag, rollout]));
  return {
    onCalls,
    from,
    until,
    incidents: ctx.handover.incidents.map(({ id }) => ({
      id,
      found: live.manifestIncidents.get(id) ?? null,
    })),
    tickets: ctx.handover.tickets.map(({ id }) => ({ id, found: live.manifestTickets.get(id) ?? null })),
    rollouts: ctx.handover.rollouts.map(({ flag }) => ({ flag, found: rollouts.get(flag) ?? null })),
  };
}

/**
 * Runs after the stranded check in step 7. A dry run changes nothing and claims nothing: it is skipped.
 */
export async function verifyHolders(
  run: StepRun,
  live: LiveState,
  reads: { onCalls: Promise<PdOnCall[]>; statusCommit: Promise<StatusCommit> | null },
): Promise<void> {
  const { ctx } = run;
  const target = `handover ${logValue(ctx.handover.id)}`;
  if (ctx.dryRun) {
    run.record(target, 'verified', 'skipped', 'dry run: who holds what is asked after a real run');
    return;
  }
  // A run that already failed is not verified: its re-run will be (the journal names what failed).
  const failedBefore = [...ctx.results.failedSteps];
  if (failedBefore.length > 0) {
    run.record(
      target,
      'verified',
      'skipped',
      `not asked: ${failedBefore.join(', ')} failed; run apply again, and the services are asked then`,
    );
    return;
  }
  let mismatches: HolderMismatch[];
  let facts: HolderFacts;
  try {
    facts = await readFacts(ctx, live, reads.onCalls);
    mismatches = holderMismatches(ctx, facts);
  } catch (error) {
    run.fail(target, 'verified', error, 'could not ask the services who holds what');
    await publishStatus(
      run,
      reads.statusCommit,
      'error',
      `could not ask the services: ${errorMessage(error)}`,
    );
    return;
  }
  const held = `${facts.incidents.length} incident(s), ${facts.tickets.length} ticket(s), ${facts.rollouts.length} rollout(s)`;
  if (mismatches.length === 0) {
    run.record(
      target,
      'verified',
      'done',
      `PagerDuty puts ${ctx.incoming.handle} on call from ${formatUtc(facts.from)} to ${formatUtc(facts.until)}; ${held} held by ${ctx.incoming.handle}`,
    );
    await publishStatus(
      run,
      reads.statusCommit,
      'success',
      `Verified: ${ctx.incoming.handle} is on call and holds ${held}`,
    );
    return;
  }
  for (const mismatch of mismatches) run.failure(mismatch.target, 'verified', mismatch.detail);
  const first = mismatches[0]!;
  await publishStatus(
    run,
    reads.statusCommit,
    'failure',
    `${mismatches.length} mismatch(es); ${first.target}: ${first.detail}`,
  );
}

/** The commit `handover/verified` goes on, and that commit's latest status of the context. */
export interface StatusCommit {
  sha: string;
  /** Undefined when not read here (setCommitStatus then reads it itself). */
  latest: CommitStatus | null | undefined;
}

/**
 * Reads where the verified status goes: the merged pull request's merge commit, and what it says now.
 * Nothing before step 7 writes that status, so apply reads it beside the summary and step 7 only
 * writes (or finds the same verdict there and writes nothing). Null when no status is published: a dry
 * run, or no pull request. Its failure is reported where the status is published.
 */
export function readStatusCommit(ctx: ApplyContext): Promise<StatusCommit> | null {
  const github = ctx.read.github;
  const number = ctx.acknowledgement.pullRequest;
  if (ctx.dryRun || !github?.setCommitStatus || number === null) return null;
  const read = (async () => {
    const pull = await github.getPullRequest(number);
    const sha = pull.mergeCommitSha ?? pull.headSha;
    const latest = await github.latestCommitStatus?.(sha, VERIFIED_STATUS_CONTEXT);
    return { sha, latest };
  })();
  read.catch(() => {});
  return read;
}

/** The `handover/verified` status on the merged pull request's merge commit (the journal says why when it cannot). */
async function publishStatus(
  run: StepRun,
  statusCommit: Promise<StatusCommit> | null,
  state: 'success' | 'failure' | 'error',
  description: string,
) {
  const { ctx } = run;
  const github = ctx.write.github;
  const number = ctx.acknowledgement.pullRequest;
  if (!github?.setCommitStatus || number === null || statusCommit === null) return;
  const target = `pull request #${number}`;
  try {
    const { sha, latest } = await statusCommit;
    const written = await github.setCommitStatus(
      sha,
      { state, context: VERIFIED_STATUS_CONTEXT, description },
      latest,
    );
    run.record(
      target,
      'status',
      written ? 'done' : 'already-done',
      `${VERIFIED_STATUS_CONTEXT}: ${state} on ${sha.slice(0, 7)}`,
    );
  } catch (error) {
    // A token without `statuses: write` is a setup gap, not a failed handover: the journal is the record.
    if ((error as { kind?: unknown }).kind === 'auth')
      run.skipWithWarning(
        target,
        'status',
        `could not set ${VERIFIED_STATUS_CONTEXT} (${errorMessage(error)}): give the apply job \`statuses: write\``,
      );
    else run.fail(target, 'status', error, `could not set ${VERIFIED_STATUS_CONTEXT}`);
  }
}
