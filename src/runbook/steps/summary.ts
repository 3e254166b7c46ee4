import type { SlackMessage } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import { countsOf, type PlanInput, type PlannedItem, type SummaryCounts } from '../plan/item.js';
import { type ApplyContext, type Person, SLACK_EVENTS } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { resolveWindow } from '../window.js';
import { ensurePosts, findOurPosts, toSlackTs } from './slack-posts.js';
import { detailsLines, splitIntoParts, summaryLine, summaryText } from './summary-text.js';

/** Tolerated disagreement between the clocks of PagerDuty, the platform, GitHub and Slack. */
const CLOCK_SKEW_MS = 10 * 60_000;
/** With no merge time and no trace to anchor on, how far back a re-run looks for its own post. */
const FALLBACK_LOOKBACK_MS = 24 * 60 * 60_000;

/**
 * The earliest moment this handover's summary can have been posted, so a re-run reads only the channel
 * history since then (Slack allows a non-Marketplace app one history call a minute): apply runs only
 * after the pull request is merged, and the summary is posted only after every item is handed over,
 * i.e. after this handover's earliest note or annotation was written. Less a margin for clock skew.
 */
export function historyBound(ctx: ApplyContext): Date {
  const anchors = [ctx.acknowledgement.mergedAt, ...ctx.results.traceTimes]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t));
  const earliest = anchors.length > 0 ? Math.min(...anchors) : ctx.now().getTime() - FALLBACK_LOOKBACK_MS;
  return new Date(Math.min(earliest, ctx.now().getTime()) - CLOCK_SKEW_MS);
}

/**
 * The summary's "as of" time: when the incoming admin became primary — the override's start (in an
 * emergency, when the first run made it) or, with no override (weekly rotation), the window's start.
 * Recorded in PagerDuty itself, so a re-run after a crash computes the same time.
 */
export function asOfTime(ctx: ApplyContext): string {
  return ctx.results.overrideStart ?? resolveWindow(ctx.handover, ctx.now()).start.toISOString();
}

export function personFor(ctx: ApplyContext, handle: string): Person | null {
  const entry = Object.hasOwn(ctx.config.roster, handle) ? ctx.config.roster[handle] : undefined;
  return entry ? { ...entry, handle } : null;
}

export function summaryCounts(ctx: ApplyContext): SummaryCounts {
  const covered = (items: { covered: boolean }[]) => items.filter((i) => i.covered).length;
  return {
    incidents: covered(ctx.results.incidents),
    tickets: covered(ctx.results.tickets),
    rollouts: covered(ctx.results.rollouts),
  };
}

/** The channel history the summary searches for an earlier post of this handover, and its bound. */
export interface SummaryHistory {
  since: Date;
  messages: SlackMessage[];
}

/**
 * Reads the channel history from historyBound. Only this run posts the handover's messages, so apply
 * may read it while steps 1–4 work instead of after them — when the bound is already fixed by the
 * merge; without one, the bound comes from the notes step 2 finds, and the read waits for step 5.
 */
export function readSummaryHistory(ctx: ApplyContext): Promise<SummaryHistory> {
  const since = historyBound(ctx);
  return ctx.read.slack
    .history(ctx.config.slack.channel, toSlackTs(since))
    .then((messages) => ({ since, messages }));
}

/**
 * Step 5: the channel post in the runbook's exact words, then the details as a thread reply. Both carry
 * message metadata; before posting, the channel history (since the bound above) and then the thread are
 * searched for them, so a re-run never posts twice, even when the first post's answer was lost.
 * The summary waits for every item: if any failed, it is not posted and a re-run posts it.
 */
export async function postSummary(
  run: StepRun,
  historyRead?: Promise<SummaryHistory>,
  /** Told once the channel post is on file (or found there), before the thread's replies. */
  onPosted?: () => void,
): Promise<void> {
  const { ctx } = run;
  const channel = ctx.config.slack.channel;
  const target = `channel ${logValue(channel)}`;
  const failedItems = [...ctx.results.incidents, ...ctx.results.tickets, ...ctx.results.rollouts].filter(
    (i) => i.failed,
  ).length;
  if (failedItems > 0 || ctx.results.failedSteps.has('freeze')) {
    run.skipWithWarning(
      target,
      'post summary',
      `not posted because ${failedItems > 0 ? `${failedItems} item(s)` : 'the override'} failed above; a re-run posts it once everything is handed over`,
    );
    return;
  }

  let history: SlackMessage[];
  let bound: Date;
  try {
    ({ since: bound, messages: history } = await (historyRead ?? readSummaryHistory(ctx)));
  } catch (error) {
    run.fail(target, 'post summary', error, 'could not read the channel history to look for an earlier post');
    return;
  }
  const oldest = toSlackTs(bound);
  ctx.results.channelHistory = history;
  ctx.results.channelHistorySince = bound.getTime();

  const text = summaryText(ctx, asOfTime(ctx), summaryCounts(ctx), ctx.acknowledgement);
  const summaryTs = await ensurePosts(run, {
    target,
    action: 'post summary',
    eventType: SLACK_EVENTS.summary,
    parts: [text],
    existing: history,
    reread: () => ctx.read.slack.history(channel, oldest),
    describe: 'the handover summary',
  });
  if (summaryTs === null && !ctx.dryRun) return;
  ctx.results.summaryTs = summaryTs;
  onPosted?.();

  let replies: SlackMessage[] = [];
  // A summary this run has just posted has no thread of ours yet: its replies are read only when the
  // summary was there before (a re-run), where some details may be too.
  const postedBefore = findOurPosts(history, SLACK_EVENTS.summary, ctx.handover.id).size > 0;
  if (summaryTs !== null && postedBefore) {
    try {
      replies = await ctx.read.slack.replies(channel, summaryTs);
    } catch (error) {
      run.fail(target, 'post details', error, 'could not read the summary thread');
      return;
    }
  }
  ctx.results.summaryReplies = replies;

  const window = resolveWindow(ctx.handover, ctx.now());
  const lead = ctx.handover.outage ? personFor(ctx, ctx.handover.outage.lead) : null;
  const lines = detailsLines({
    handover: ctx.handover,
    outgoing: ctx.outgoing,
    incoming: ctx.incoming,
    lead,
    ack: ctx.acknowledgement,
    window: { start: asOfTime(ctx), end: window.end.toISOString() },
    incidents: ctx.results.incidents,
    tickets: ctx.results.tickets,
    rollouts: ctx.results.rollouts,
  });
  await ensurePosts(run, {
    target,
    action: 'post details',
    eventType: SLACK_EVENTS.details,
    parts: splitIntoParts(lines),
    ...(summaryTs !== null ? { threadTs: summaryTs } : {}),
    existing: replies,
    reread: () => (summaryTs === null ? Promise.resolve([]) : ctx.read.slack.replies(channel, summaryTs)),
    describe: 'the details in the thread',
  });
}

/**
 * What plan shows for step 5: the channel post, built by the very function that builds the real one
 * (handles for mentions, and the time left to apply), then the thread.
 */
export function planSummary({ handover, config }: PlanInput, earlier: readonly PlannedItem[]): PlannedItem[] {
  const lead =
    handover.variant === 'mid-shift-outage' && handover.outage
      ? `; the thread names ${handover.outage.lead} as the outage lead`
      : '';
  const preview = summaryLine(
    { outgoing: `@${handover.outgoing}`, incoming: `@${handover.incoming}` },
    '<time of apply>',
    countsOf(earlier),
  );
  return [
    {
      section: 'summary',
      target: `#${config.slack.channelName}`,
      actions: [`post: ${preview}`, `reply in the thread with the details${lead}`],
      skipped: null,
    },
  ];
}
