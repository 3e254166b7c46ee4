/**
 * `handover prepare`: one scheduled run. Reads the schedule's final layer, opens (or updates, or
 * closes) the handover pull request of the next shift change, tells the outgoing admin, and holds the
 * acknowledgement to its deadline. Every run reads what it already did from the services themselves
 * (its pull requests, their marked record comment, Slack message metadata, PagerDuty overrides and
 * incident keys), so any number of runs, on any runner, does each thing once.
 */
import type { HandoverConfig } from '../config/types.js';
import { errorMessage, formatUtc } from '../format.js';
import type { GitHubPullWriter, PreparedPull } from '../providers/github/pull-writer.js';
import type { PagerDutyScheduleProvider } from '../providers/pagerduty/schedule.js';
import type { GitHubProvider, Providers, SlackMessage } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import { escapeMarkdownInline, escapeSlack } from '../render/escape.js';
import { rosterEntry, sameLogin } from '../runbook/people.js';
import { toSlackTs } from '../runbook/steps/slack-posts.js';
import { isApproved } from './approval.js';
import { decideDeadline } from './deadline.js';
import { draftForChange, type PreparedDraft } from './draft.js';
import {
  changeMarker,
  type PreparedChange,
  type PrepareRecord,
  RECORD_MARKER,
  readChangeMarker,
  readRecord,
  renderRecord,
} from './pull-marker.js';
import { PREPARE_BRANCH_PREFIX, type PrepareSettings } from './settings.js';
import { isoSecond, nextChange, type ShiftChange, shiftChanges } from './shift-change.js';

export interface PrepareServices {
  providers: Pick<Providers, 'pagerduty' | 'slack' | 'platform'> & { github: GitHubProvider };
  schedule: PagerDutyScheduleProvider;
  pulls: GitHubPullWriter;
}

export type PrepareOutcome = 'done' | 'already-done' | 'skipped' | 'failed';

export interface PrepareAction {
  target: string;
  action: string;
  outcome: PrepareOutcome;
  detail: string;
}

export interface PrepareReport {
  actions: PrepareAction[];
  /** One sentence: what is due, or when the next change is. */
  headline: string;
  failed: boolean;
}

/** Slack metadata event types of prepare's posts: a re-run finds them by these. */
export const PREPARE_EVENTS = {
  announce: 'handover_prepare_announce',
  reminder: 'handover_prepare_reminder',
  escalation: 'handover_prepare_escalation',
  update: 'handover_prepare_update',
} as const;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface Tracked {
  pull: PreparedPull;
  marker: PreparedChange;
}

function describeIn(ms: number): string {
  const hours = Math.floor(ms / HOUR_MS);
  const minutes = Math.round((ms % HOUR_MS) / 60_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} d ${hours % 24} h`;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

function sameChange(marker: PreparedChange, change: ShiftChange): boolean {
  return (
    Date.parse(marker.change) === Date.parse(change.at) &&
    marker.outgoing === change.outgoing &&
    marker.incoming === change.incoming
  );
}

function pullTitle(change: PreparedChange): string {
  return `Handover ${change.outgoing} → ${change.incoming} at ${formatUtc(change.change)}`;
}

function pullBody(config: HandoverConfig, change: PreparedChange, draft: PreparedDraft): string {
  const { incidents, tickets, rollouts, placeholders } = draft.counts;
  const incoming = rosterEntry(config, change.incoming)?.github ?? change.incoming;
  const outgoing = rosterEntry(config, change.outgoing)?.github ?? change.outgoing;
  return [
    changeMarker(change),
    `The on-call schedule hands over from **${escapeMarkdownInline(change.outgoing)}** to **${escapeMarkdownInline(change.incoming)}** at ${formatUtc(change.change)}.`,
    '',
    `\`handover prepare\` drafted \`${draft.path}\` from live state: ${incidents} incident(s), ${tickets} ticket(s), ${rollouts} rollout(s).`,
    '',
    `1. **${escapeMarkdownInline(outgoing)}** (assignee): replace the ${placeholders} TODO placeholder(s) — status paragraphs, next steps — by pushing to this branch; \`handover validate\` fails until they are gone.`,
    `2. **${escapeMarkdownInline(incoming)}** (requested reviewer): your approval of the final commit is the acknowledgement; without it nothing is handed over, and after the shift change ${escapeMarkdownInline(change.outgoing)} stays on call.`,
    '3. On merge, the handover runs and is verified against PagerDuty, the tracker and the flag console.',
  ].join('\n');
}

/**
 * One run at `now`. Never throws for a service failure: each failed action is reported by name and the
 * run goes on with what does not depend on it.
 */
export async function runPrepare(
  services: PrepareServices,
  config: HandoverConfig,
  settings: PrepareSettings,
  now: Date,
): Promise<PrepareReport> {
  const actions: PrepareAction[] = [];
  const note = (target: string, action: string, outcome: PrepareOutcome, detail: string) =>
    actions.push({ target, action, outcome, detail });
  const report = (headline: string): PrepareReport => ({
    actions,
    headline,
    failed: actions.some((a) => a.outcome === 'failed'),
  });
  const scheduleId = config.pagerduty.scheduleId;
  const since = now.getTime() - settings.escalateAfterMs - DAY_MS;
  const until = now.getTime() + Math.max(settings.leadTimeMs, 8 * DAY_MS);

  let changes: ShiftChange[];
  let tracked: Tracked[];
  try {
    const entries = await services.schedule.finalSchedule(scheduleId, isoSecond(since), isoSecond(until));
    changes = shiftChanges(entries, config);
    const pulls = await services.pulls.listPulls(PREPARE_BRANCH_PREFIX, 'all');
    tracked = pulls.flatMap((pull) => {
      // Anyone can type a marker: only the bot's own pull requests are prepare's.
      const marker = sameLogin(pull.author, settings.bot) ? readChangeMarker(pull.body) : null;
      return marker ? [{ pull, marker }] : [];
    });
  } catch (error) {
    note(`schedule ${scheduleId}`, 'read', 'failed', errorMessage(error));
    return report('could not read the schedule or the pull requests; nothing was changed');
  }

  const due = changes.find((c) => {
    const at = Date.parse(c.at);
    return at > now.getTime() && at - now.getTime() <= settings.leadTimeMs;
  });
  if (due && (due.outgoing === undefined || due.incoming === undefined)) {
    const unknown = due.outgoing === undefined ? due.fromUser : due.toUser;
    note(
      `change ${formatUtc(due.at)}`,
      'draft',
      'failed',
      `PagerDuty user ${unknown} is not in the roster of handover.config.yaml: add them, or fix the schedule`,
    );
  }
  const dueChange = due?.outgoing && due.incoming ? due : undefined;

  // Pull requests for changes the schedule no longer has: updated to the due change, or closed.
  let dueTracked = dueChange ? tracked.find((t) => sameChange(t.marker, dueChange)) : undefined;
  for (const stale of tracked) {
    if (stale.pull.state !== 'open') continue;
    if (changes.some((c) => sameChange(stale.marker, c))) continue;
    // Older than what was read: its change passed long ago; leave it to the people on it.
    if (Date.parse(stale.marker.change) < since) continue;
    const now2 = changes.find((c) => Math.abs(Date.parse(c.at) - Date.parse(stale.marker.change)) < 1000);
    const why = now2
      ? `the schedule now hands over from ${now2.outgoing ?? now2.fromUser} to ${now2.incoming ?? now2.toUser} at ${formatUtc(now2.at)}`
      : `the schedule no longer has a shift change from ${stale.marker.outgoing} to ${stale.marker.incoming} at ${formatUtc(stale.marker.change)}`;
    if (dueChange && !dueTracked && dueChange.outgoing === stale.marker.outgoing) {
      const updated = await updatePull(services, config, settings, stale, dueChange, why, now, note);
      if (updated) dueTracked = updated;
    } else {
      await closePull(services, stale, why, note);
    }
  }

  if (dueChange && !dueTracked) {
    const created = await openPull(services, config, settings, dueChange, now, note);
    if (created) dueTracked = created;
  } else if (dueChange && dueTracked) {
    note(
      `pull request #${dueTracked.pull.number}`,
      'open',
      'already-done',
      dueTracked.pull.merged
        ? `the handover of ${formatUtc(dueChange.at)} was merged`
        : dueTracked.pull.state === 'open'
          ? `already open for ${dueChange.outgoing} → ${dueChange.incoming} at ${formatUtc(dueChange.at)}`
          : `closed by hand; prepare does not reopen it (open a handover with handover init if one is still needed)`,
    );
  }

  // The acknowledgement deadline of every open pull request whose change is still on the schedule.
  for (const item of tracked.concat(dueTracked && !tracked.includes(dueTracked) ? [dueTracked] : [])) {
    if (item.pull.state !== 'open') continue;
    const change = changes.find((c) => sameChange(item.marker, c));
    if (!change) continue;
    await holdDeadline(services, config, settings, item, now, note);
  }

  const upcoming = nextChange(changes, now);
  const headline = dueChange
    ? `shift change ${dueChange.outgoing} → ${dueChange.incoming} at ${formatUtc(dueChange.at)} (in ${describeIn(Date.parse(dueChange.at) - now.getTime())})`
    : upcoming
      ? `nothing due within ${describeIn(settings.leadTimeMs)}: the next shift change is ${upcoming.outgoing ?? upcoming.fromUser} → ${upcoming.incoming ?? upcoming.toUser} at ${formatUtc(upcoming.at)} (in ${describeIn(Date.parse(upcoming.at) - now.getTime())})`
      : `nothing due: no shift change on schedule ${scheduleId} before ${formatUtc(new Date(until))}`;
  return report(headline);
}

type Note = (target: string, action: string, outcome: PrepareOutcome, detail: string) => void;

function markerFor(change: ShiftChange, draft: PreparedDraft): PreparedChange {
  return { change: change.at, outgoing: change.outgoing!, incoming: change.incoming!, manifest: draft.path };
}

async function openPull(
  services: PrepareServices,
  config: HandoverConfig,
  settings: PrepareSettings,
  change: ShiftChange,
  now: Date,
  note: Note,
): Promise<Tracked | undefined> {
  const target = `change ${formatUtc(change.at)}`;
  let draft: PreparedDraft;
  try {
    draft = await draftForChange(
      services.providers,
      config,
      { at: change.at, outgoing: change.outgoing!, incoming: change.incoming! },
      settings.windowHours,
      now,
    );
  } catch (error) {
    note(target, 'draft', 'failed', `could not read live state: ${errorMessage(error)}`);
    return undefined;
  }
  const marker = markerFor(change, draft);
  const branch = `${PREPARE_BRANCH_PREFIX}${draft.request.id}`;
  let pull: PreparedPull;
  try {
    await services.pulls.commitFiles({
      branch,
      baseBranch: settings.baseBranch,
      files: { [draft.path]: draft.yaml },
      message: `Handover ${marker.outgoing} → ${marker.incoming} at ${formatUtc(marker.change)} (drafted by handover prepare)`,
    });
    pull = await services.pulls.createPull({
      branch,
      base: settings.baseBranch,
      title: pullTitle(marker),
      body: pullBody(config, marker, draft),
    });
  } catch (error) {
    note(target, 'open pull request', 'failed', errorMessage(error));
    return undefined;
  }
  note(
    `pull request #${pull.number}`,
    'open',
    'done',
    `${draft.path} for ${marker.outgoing} → ${marker.incoming} at ${formatUtc(marker.change)}, ${draft.counts.placeholders} TODO placeholder(s) left for ${marker.outgoing}`,
  );
  const tracked = { pull, marker };
  await ensurePeople(services, config, tracked, note);
  await ensureAnnouncement(services, config, tracked, now, note);
  return tracked;
}

async function updatePull(
  services: PrepareServices,
  config: HandoverConfig,
  settings: PrepareSettings,
  stale: Tracked,
  change: ShiftChange,
  why: string,
  now: Date,
  note: Note,
): Promise<Tracked | undefined> {
  const target = `pull request #${stale.pull.number}`;
  try {
    const draft = await draftForChange(
      services.providers,
      config,
      { at: change.at, outgoing: change.outgoing!, incoming: change.incoming! },
      settings.windowHours,
      now,
    );
    const marker = markerFor(change, draft);
    // A new commit on the same branch whose tree is the base's plus the new manifest: the old file goes.
    await services.pulls.commitFiles({
      branch: stale.pull.headRef,
      baseBranch: settings.baseBranch,
      files: { [draft.path]: draft.yaml },
      message: `Handover redrafted for ${marker.outgoing} → ${marker.incoming} at ${formatUtc(marker.change)}: ${why}`,
    });
    const pull = await services.pulls.updatePull(stale.pull.number, {
      title: pullTitle(marker),
      body: pullBody(config, marker, draft),
    });
    await services.pulls.comment(
      stale.pull.number,
      `**handover prepare updated this pull request**: ${escapeMarkdownInline(why)}. It was for ${escapeMarkdownInline(stale.marker.outgoing)} → ${escapeMarkdownInline(stale.marker.incoming)} at ${formatUtc(stale.marker.change)}; it is now for ${escapeMarkdownInline(marker.outgoing)} → ${escapeMarkdownInline(marker.incoming)} at ${formatUtc(marker.change)}, with \`${draft.path}\` redrafted from live state. Any approval of the earlier commit does not count: ${escapeMarkdownInline(marker.incoming)} approves the new one.`,
    );
    note(target, 'update', 'done', `${why}; redrafted as ${draft.path}`);
    const tracked = { pull, marker };
    // The deadline starts over for the new change (and, maybe, a new incoming admin).
    const record = await readPrepareRecord(services.providers.github, pull.number);
    await writeRecord(
      services.providers.github,
      pull.number,
      {
        ...(record.announced ? { announced: record.announced } : {}),
      },
      [`redrafted for ${marker.outgoing} → ${marker.incoming} at ${formatUtc(marker.change)}: ${why}`],
    );
    await ensurePeople(services, config, tracked, note);
    if (record.announced) {
      const text = `Updated: ${escapeSlack(why)}. The handover is now ${escapeSlack(marker.outgoing)} → ${escapeSlack(marker.incoming)} at ${formatUtc(marker.change)}: <${pull.htmlUrl}|pull request #${pull.number}>.`;
      await services.providers.slack.postMessage({
        channel: config.slack.channel,
        text,
        threadTs: record.announced,
        metadata: {
          eventType: PREPARE_EVENTS.update,
          eventPayload: { pull: pull.number, change: marker.change },
        },
      });
    } else {
      await ensureAnnouncement(services, config, tracked, now, note);
    }
    return tracked;
  } catch (error) {
    note(target, 'update', 'failed', errorMessage(error));
    return undefined;
  }
}

async function closePull(services: PrepareServices, stale: Tracked, why: string, note: Note): Promise<void> {
  const target = `pull request #${stale.pull.number}`;
  try {
    await services.pulls.comment(
      stale.pull.number,
      `**handover prepare closed this pull request**: ${escapeMarkdownInline(why)}. Nothing was handed over. If a handover is still needed, the next scheduled run opens one for the change the schedule now has, or open one with \`handover init\`.`,
    );
    await services.pulls.updatePull(stale.pull.number, { state: 'closed' });
    note(target, 'close', 'done', why);
  } catch (error) {
    note(target, 'close', 'failed', errorMessage(error));
  }
}

/** The outgoing admin as assignee, the incoming admin as requested reviewer (unless they already reviewed). */
async function ensurePeople(services: PrepareServices, config: HandoverConfig, item: Tracked, note: Note) {
  const target = `pull request #${item.pull.number}`;
  const outgoing = rosterEntry(config, item.marker.outgoing)?.github;
  const incoming = rosterEntry(config, item.marker.incoming)?.github;
  try {
    if (outgoing && !item.pull.assignees.some((a) => sameLogin(a, outgoing))) {
      await services.pulls.assign(item.pull.number, outgoing);
      item.pull.assignees.push(outgoing);
      note(target, 'assign', 'done', `${item.marker.outgoing} (${outgoing}) is the assignee`);
    }
    if (incoming && !item.pull.requestedReviewers.some((r) => sameLogin(r, incoming))) {
      const reviews = await services.providers.github.listReviews(item.pull.number);
      if (!reviews.some((r) => sameLogin(r.user, incoming) && r.commitId === item.pull.headSha)) {
        await services.pulls.requestReviewer(item.pull.number, incoming);
        item.pull.requestedReviewers.push(incoming);
        note(
          target,
          'request review',
          'done',
          `${item.marker.incoming} (${incoming}) is the requested reviewer`,
        );
      }
    }
  } catch (error) {
    note(target, 'assign and request review', 'failed', errorMessage(error));
  }
}

async function readPrepareRecord(github: GitHubProvider, number: number): Promise<PrepareRecord> {
  const comment = await github.findMarkedComment(number, RECORD_MARKER);
  // Only the automation's own record counts; a person's copy of the marker is ignored.
  return comment && (comment.author === undefined || comment.author.endsWith('[bot]'))
    ? readRecord(comment.body)
    : {};
}

function recordLines(record: PrepareRecord, extra: string[] = []): string[] {
  const lines: string[] = [];
  if (record.announced) lines.push(`announced in the channel (message ${record.announced})`);
  if (record.reminded) lines.push(`reminded the incoming admin (message ${record.reminded})`);
  if (record.escalated) lines.push(`escalated: the handover waits (message ${record.escalated})`);
  if (record.held) lines.push(`kept the outgoing admin on call (override ${record.held})`);
  if (record.paged) lines.push(`paged the incoming admin (${record.paged})`);
  return [...extra, ...lines];
}

async function writeRecord(
  github: GitHubProvider,
  number: number,
  record: PrepareRecord,
  extra: string[] = [],
): Promise<void> {
  await github.upsertMarkedComment(number, RECORD_MARKER, renderRecord(record, recordLines(record, extra)));
}

/** Our post of `eventType` for this pull request among `messages`, if there is one. */
function findPost(messages: SlackMessage[], eventType: string, pull: number): SlackMessage | undefined {
  return messages
    .filter((m) => m.metadata?.eventType === eventType && Number(m.metadata.eventPayload.pull) === pull)
    .sort((a, b) => Number(a.ts) - Number(b.ts))[0];
}

async function ensureAnnouncement(
  services: PrepareServices,
  config: HandoverConfig,
  item: Tracked,
  now: Date,
  note: Note,
): Promise<PrepareRecord> {
  const { github, slack } = services.providers;
  const target = `channel #${config.slack.channelName}`;
  const record = await readPrepareRecord(github, item.pull.number);
  if (record.announced) return record;
  try {
    // A run that posted and then died before writing the record: the post carries metadata.
    const history = await slack.history(
      config.slack.channel,
      toSlackTs(new Date(now.getTime() - 8 * DAY_MS)),
    );
    const found = findPost(history, PREPARE_EVENTS.announce, item.pull.number);
    let ts = found?.ts;
    if (!ts) {
      const outgoing = rosterEntry(config, item.marker.outgoing);
      const incoming = rosterEntry(config, item.marker.incoming);
      const text = `<@${outgoing?.slack}> your handover to ${escapeSlack(item.marker.incoming)} at ${formatUtc(item.marker.change)} is drafted: <${item.pull.htmlUrl}|pull request #${item.pull.number}>. Replace its TODO placeholders; <@${incoming?.slack}>'s approval of the final commit is the acknowledgement.`;
      ts = (
        await slack.postMessage({
          channel: config.slack.channel,
          text,
          metadata: {
            eventType: PREPARE_EVENTS.announce,
            eventPayload: { pull: item.pull.number, change: item.marker.change },
          },
        })
      ).ts;
      note(
        target,
        'announce',
        'done',
        `told ${item.marker.outgoing} about pull request #${item.pull.number}`,
      );
    } else {
      note(target, 'announce', 'already-done', `found the announcement of pull request #${item.pull.number}`);
    }
    const updated = { ...record, announced: ts };
    await writeRecord(github, item.pull.number, updated);
    return updated;
  } catch (error) {
    note(target, 'announce', 'failed', errorMessage(error));
    return record;
  }
}

async function holdDeadline(
  services: PrepareServices,
  config: HandoverConfig,
  settings: PrepareSettings,
  item: Tracked,
  now: Date,
  note: Note,
): Promise<void> {
  const { github } = services.providers;
  const target = `pull request #${item.pull.number}`;
  let approved: boolean;
  let record: PrepareRecord;
  try {
    record = await ensureAnnouncement(services, config, item, now, note);
    await ensurePeople(services, config, item, note);
    approved = await isApproved(github, config, item.pull.number, item.marker);
  } catch (error) {
    note(target, 'acknowledgement', 'failed', errorMessage(error));
    return;
  }
  const decision = decideDeadline({
    change: Date.parse(item.marker.change),
    now: now.getTime(),
    approved,
    remindBeforeMs: settings.remindBeforeMs,
    escalateAfterMs: settings.escalateAfterMs,
    reminded: record.reminded !== undefined,
    escalated: record.escalated !== undefined,
  });
  if (decision === 'acknowledged') {
    note(target, 'acknowledgement', 'already-done', `${item.marker.incoming} approved the final commit`);
    return;
  }
  if (decision === 'remind') await remind(services, config, item, record, note);
  if (decision === 'escalate') await escalate(services, config, settings, item, record, now, note);
}

async function remind(
  services: PrepareServices,
  config: HandoverConfig,
  item: Tracked,
  record: PrepareRecord,
  note: Note,
): Promise<void> {
  const { slack, github } = services.providers;
  const target = `${item.marker.incoming}`;
  try {
    const thread = record.announced;
    const replies = thread ? await slack.replies(config.slack.channel, thread) : [];
    let ts = findPost(replies, PREPARE_EVENTS.reminder, item.pull.number)?.ts;
    if (!ts) {
      const incoming = rosterEntry(config, item.marker.incoming);
      ts = (
        await slack.postMessage({
          channel: config.slack.channel,
          ...(thread ? { threadTs: thread } : {}),
          text: `<@${incoming?.slack}> reminder: the handover from ${escapeSlack(item.marker.outgoing)} at ${formatUtc(item.marker.change)} waits for your approval of <${item.pull.htmlUrl}|pull request #${item.pull.number}>. Without it ${escapeSlack(item.marker.outgoing)} stays on call after the change.`,
          metadata: {
            eventType: PREPARE_EVENTS.reminder,
            eventPayload: { pull: item.pull.number, change: item.marker.change },
          },
        })
      ).ts;
      note(target, 'remind', 'done', `reminded ${item.marker.incoming} in the channel thread`);
    } else {
      note(target, 'remind', 'already-done', 'the reminder is in the thread');
    }
    await writeRecord(github, item.pull.number, { ...record, reminded: ts });
  } catch (error) {
    note(target, 'remind', 'failed', errorMessage(error));
  }
}

async function escalate(
  services: PrepareServices,
  config: HandoverConfig,
  settings: PrepareSettings,
  item: Tracked,
  record: PrepareRecord,
  now: Date,
  note: Note,
): Promise<void> {
  const { slack, github, pagerduty } = services.providers;
  const outgoing = rosterEntry(config, item.marker.outgoing);
  const incoming = rosterEntry(config, item.marker.incoming);
  if (!outgoing || !incoming) return;
  const updated: PrepareRecord = { ...record };
  const change = Date.parse(item.marker.change);
  const holdEnd = change + settings.windowHours * HOUR_MS;
  const scheduleTarget = `schedule ${config.pagerduty.scheduleId}`;

  // 1. The team is not left uncovered: the outgoing admin stays on call over the window (apply's
  //    override for the incoming admin, made later, is newer and wins once the handover is acknowledged).
  if (now.getTime() < holdEnd) {
    try {
      const holdStart = Math.max(change, Math.floor(now.getTime() / 1000) * 1000);
      const overrides = await pagerduty.listOverrides(
        config.pagerduty.scheduleId,
        isoSecond(holdStart),
        isoSecond(holdEnd),
      );
      const existing = overrides.find(
        (o) =>
          o.userId === outgoing.pagerduty && Date.parse(o.start) <= holdStart && Date.parse(o.end) >= holdEnd,
      );
      if (existing) {
        updated.held = existing.id;
        note(
          scheduleTarget,
          'keep on call',
          'already-done',
          `${item.marker.outgoing} stays on call until ${formatUtc(new Date(holdEnd))}`,
        );
      } else {
        const override = await pagerduty.createOverride(config.pagerduty.scheduleId, {
          start: isoSecond(holdStart),
          end: isoSecond(holdEnd),
          userId: outgoing.pagerduty,
        });
        updated.held = override.id;
        note(
          scheduleTarget,
          'keep on call',
          'done',
          `override ${override.id}: ${item.marker.outgoing} stays on call until ${formatUtc(new Date(holdEnd))}, not the unacknowledged ${item.marker.incoming}`,
        );
      }
    } catch (error) {
      note(scheduleTarget, 'keep on call', 'failed', errorMessage(error));
      return; // without the hold the message below would not be true
    }
  }

  // 2. The channel is told, and the outgoing admin that they are still on call: one message.
  const channelTarget = `channel #${config.slack.channelName}`;
  try {
    const history = await slack.history(
      config.slack.channel,
      record.announced ?? toSlackTs(new Date(now.getTime() - 8 * DAY_MS)),
    );
    let ts = findPost(history, PREPARE_EVENTS.escalation, item.pull.number)?.ts;
    if (!ts) {
      ts = (
        await slack.postMessage({
          channel: config.slack.channel,
          text: `The handover ${escapeSlack(item.marker.outgoing)} → ${escapeSlack(item.marker.incoming)} due at ${formatUtc(item.marker.change)} waits for ${escapeSlack(item.marker.incoming)}'s acknowledgement (<${item.pull.htmlUrl}|pull request #${item.pull.number}>). <@${outgoing.slack}> you are still on call until ${formatUtc(new Date(holdEnd))} or until the handover is applied. <@${incoming.slack}> approve the pull request to take over.`,
          metadata: {
            eventType: PREPARE_EVENTS.escalation,
            eventPayload: { pull: item.pull.number, change: item.marker.change },
          },
        })
      ).ts;
      note(
        channelTarget,
        'escalate',
        'done',
        `the channel and ${item.marker.outgoing} are told the handover waits`,
      );
    } else {
      note(channelTarget, 'escalate', 'already-done', 'the escalation is in the channel');
    }
    updated.escalated = ts;
  } catch (error) {
    note(channelTarget, 'escalate', 'failed', errorMessage(error));
    await writeRecord(github, item.pull.number, updated).catch(() => {});
    return;
  }

  // 3. If configured, the incoming admin is paged. The incident key makes a second page impossible
  //    while the first is open.
  if (settings.pageServiceId) {
    const pageTarget = `service ${settings.pageServiceId}`;
    try {
      const incident = await services.schedule.page({
        serviceId: settings.pageServiceId,
        userId: incoming.pagerduty,
        title: `Handover ${item.marker.outgoing} → ${item.marker.incoming} waits for your acknowledgement`,
        details: `Approve ${item.pull.htmlUrl} to take over on-call from ${item.marker.outgoing} (shift change at ${formatUtc(item.marker.change)}).`,
        incidentKey: `handover-prepare-${item.pull.number}-${item.marker.change}`,
        fromEmail: outgoing.email,
      });
      updated.paged = incident?.id ?? 'already-open';
      note(
        pageTarget,
        'page',
        incident ? 'done' : 'already-done',
        incident
          ? `paged ${item.marker.incoming} (incident ${incident.id})`
          : `${item.marker.incoming} was already paged`,
      );
    } catch (error) {
      note(pageTarget, 'page', 'failed', errorMessage(error));
    }
  }
  try {
    await writeRecord(github, item.pull.number, updated);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    note(`pull request #${item.pull.number}`, 'record', 'failed', errorMessage(error));
  }
}
