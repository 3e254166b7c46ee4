import { byInstant } from '../../core/instants.js';
import { formatUtc } from '../../format.js';
import type { PdLogEntry, SlackMessage, TicketComment } from '../../providers/types.js';
import { escapeSlack } from '../../render/escape.js';
import { logValue } from '../../render/log-safety.js';
import { countsOf, type PlanInput, type PlannedItem } from '../plan/item.js';
import { mapConcurrent } from '../runtime/concurrency.js';
import { type ApplyContext, SLACK_EVENTS } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { ensurePosts, findOurPosts, toSlackTs } from './slack-posts.js';
import { historyBound } from './summary.js';
import { mention, splitIntoParts } from './summary-text.js';

const HOUR_MS = 60 * 60_000;
/** Enough to reconstruct context without drowning the thread. */
const LOG_ENTRIES_PER_INCIDENT = 20;
const COMMENTS_PER_TICKET = 10;
const CHANNEL_MESSAGES = 50;
const TEXT_CAP = 400;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TEXT_CAP ? `${flat.slice(0, TEXT_CAP - 1)}…` : flat;
}

function nameOf(ctx: ApplyContext, slackUser: string | null): string {
  if (!slackUser) return 'someone';
  const handle = Object.entries(ctx.config.roster).find(([, entry]) => entry.slack === slackUser)?.[0];
  // Never a mention: reposting people's names must not ping them again.
  return escapeSlack(handle ?? slackUser);
}

export interface DigestSources {
  logs: Map<string, PdLogEntry[]>;
  comments: Map<string, TicketComment[]>;
  channel: SlackMessage[];
}

/**
 * The emergency context digest (runbook: "the incoming admin reads PagerDuty history, ticket comments,
 * and the last hour of the channel"): every piece of service text escaped, and channel messages
 * reposted as text, so nothing in them pings anyone or becomes a link.
 */
export function digestLines(ctx: ApplyContext, sources: DigestSources): string[] {
  const lines = [
    `*Context digest for ${mention(ctx.incoming)}* (emergency handover ${escapeSlack(ctx.handover.id)})`,
  ];
  for (const incident of ctx.handover.incidents) {
    const entries = sources.logs.get(incident.id) ?? [];
    lines.push(
      '',
      `*Incident ${escapeSlack(incident.id)}* · PagerDuty log (last ${LOG_ENTRIES_PER_INCIDENT})`,
    );
    if (entries.length === 0) lines.push('• no log entries');
    // PagerDuty writes these in the account's time zone: order them as instants, never as text.
    const recent = [...entries].sort(byInstant((e) => e.createdAt)).slice(-LOG_ENTRIES_PER_INCIDENT);
    for (const entry of recent)
      lines.push(
        `• ${formatUtc(entry.createdAt)} · ${escapeSlack(entry.type)} · ${escapeSlack(clip(entry.summary))}`,
      );
  }
  for (const ticket of ctx.handover.tickets) {
    const comments = sources.comments.get(ticket.id) ?? [];
    lines.push('', `*Ticket ${escapeSlack(ticket.id)}* · comments (last ${COMMENTS_PER_TICKET})`);
    if (comments.length === 0) lines.push('• no comments');
    const recent = [...comments].sort(byInstant((c) => c.createdAt)).slice(-COMMENTS_PER_TICKET);
    for (const comment of recent)
      lines.push(
        `• ${formatUtc(comment.createdAt)} · ${escapeSlack(comment.author)}: ${escapeSlack(clip(comment.body))}`,
      );
  }
  lines.push('', `*#${escapeSlack(ctx.config.slack.channelName)}* · the last hour`);
  const messages = [...sources.channel].sort((a, b) => Number(a.ts) - Number(b.ts)).slice(-CHANNEL_MESSAGES);
  if (messages.length === 0) lines.push('• no messages');
  for (const message of messages) {
    const at = formatUtc(new Date(Number(message.ts) * 1000).toISOString());
    lines.push(`• ${at} · ${nameOf(ctx, message.user)}: ${escapeSlack(clip(message.text))}`);
  }
  return lines;
}

/** Incidents without a status paragraph, flagged for a team-wide catch-up (runbook: emergency). */
export function catchUpText(ctx: ApplyContext): string | null {
  const unclear = ctx.handover.incidents.filter((i) => !i.status);
  if (unclear.length === 0) return null;
  const lines = [
    `Team-wide catch-up, please: emergency handover ${escapeSlack(ctx.handover.id)} moved these incidents to ${mention(ctx.incoming)} without a status paragraph. If you know anything about them, reply in this thread.`,
    ...unclear.map((i) => `• ${escapeSlack(i.id)}${i.title ? ` · ${escapeSlack(i.title)}` : ''}`),
  ];
  return lines.join('\n');
}

/**
 * Emergency only: the context digest as replies in the summary's thread, and a channel message that
 * flags incidents without status for a team-wide catch-up. Both are found again by metadata on a re-run.
 */
export async function postDigest(run: StepRun): Promise<void> {
  const { ctx } = run;
  const channel = ctx.config.slack.channel;
  const target = `channel ${logValue(channel)}`;

  if (ctx.results.summaryTs === null && !ctx.dryRun) {
    run.skipWithWarning(
      target,
      'post context digest',
      'not posted: the summary is not there to reply to; a re-run posts the digest after the summary',
    );
    return;
  }

  const existingDigest = findOurPosts(ctx.results.summaryReplies, SLACK_EVENTS.digest, ctx.handover.id);
  const first = existingDigest.get(1);
  const expectedParts = Number(first?.metadata?.eventPayload.parts ?? 0);
  if (first && expectedParts > 0 && existingDigest.size >= expectedParts) {
    run.record(target, 'post context digest', 'already-done', 'the context digest is in the thread');
  } else {
    const sources = await readSources(run);
    if (sources) {
      const summaryTs = ctx.results.summaryTs;
      await ensurePosts(run, {
        target,
        action: 'post context digest',
        eventType: SLACK_EVENTS.digest,
        parts: splitIntoParts(digestLines(ctx, sources)),
        ...(summaryTs !== null ? { threadTs: summaryTs } : {}),
        existing: ctx.results.summaryReplies,
        reread: () => (summaryTs === null ? Promise.resolve([]) : ctx.read.slack.replies(channel, summaryTs)),
        describe: 'the context digest',
      });
    }
  }

  const catchUp = catchUpText(ctx);
  if (catchUp === null) {
    run.info('every incident has a status paragraph: no catch-up needed');
    return;
  }
  const history = ctx.results.channelHistory ?? [];
  await ensurePosts(run, {
    target,
    action: 'flag for catch-up',
    eventType: SLACK_EVENTS.catchUp,
    parts: [catchUp],
    existing: history,
    reread: () => ctx.read.slack.history(channel, toSlackTs(historyBound(ctx))),
    describe: 'the catch-up request for incidents without status',
  });
}

async function readSources(run: StepRun): Promise<DigestSources | null> {
  const { ctx } = run;
  const channel = ctx.config.slack.channel;
  const hourAgo = ctx.now().getTime() - HOUR_MS;
  try {
    const logs = new Map(
      await mapConcurrent(ctx.handover.incidents, ctx.itemConcurrency, async (i) => {
        return [i.id, await ctx.read.pagerduty.listLogEntries(i.id)] as const;
      }),
    );
    const comments = new Map(
      await mapConcurrent(ctx.handover.tickets, ctx.itemConcurrency, async (t) => {
        return [t.id, await ctx.read.platform.listTicketComments(t.id)] as const;
      }),
    );
    // Reuse the summary's history read when it reaches back far enough (one history call a minute).
    const known = ctx.results.channelHistory;
    const since = ctx.results.channelHistorySince ?? Number.POSITIVE_INFINITY;
    const history =
      known && since <= hourAgo ? known : await ctx.read.slack.history(channel, toSlackTs(new Date(hourAgo)));
    const lastHour = history.filter((m) => Number(m.ts) * 1000 >= hourAgo && m.metadata === null);
    return { logs, comments, channel: lastHour };
  } catch (error) {
    run.fail(`channel ${logValue(channel)}`, 'post context digest', error, 'could not read the context');
    return null;
  }
}

/** What plan shows for step 5b (emergency only): the context digest and the catch-up flags. */
export function planDigest({ handover, config }: PlanInput, earlier: readonly PlannedItem[]): PlannedItem[] {
  if (handover.variant !== 'emergency') return [];
  const counts = countsOf(earlier);
  return [
    {
      section: 'digest',
      target: `#${config.slack.channelName}`,
      actions: [
        `post a context digest: the PagerDuty log of ${counts.incidents} incidents, the comments of ${counts.tickets} tickets and the channel's last hour`,
        'flag unclear threads for a team-wide catch-up',
      ],
      skipped: null,
    },
  ];
}
