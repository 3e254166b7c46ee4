import type { SlackMessage } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { StepRun } from '../runtime/step-run.js';

/** Slack timestamps are seconds with six decimals. */
export function toSlackTs(date: Date): string {
  return (date.getTime() / 1000).toFixed(6);
}

/** The part number a post of ours carries in its metadata (1 when the text was not split). */
function partOf(message: SlackMessage): number {
  const part = Number(message.metadata?.eventPayload.part ?? 1);
  return Number.isInteger(part) && part > 0 ? part : 1;
}

/** Our posts of one kind for one handover, found by message metadata (chat.postMessage has no idempotency key). */
export function findOurPosts(
  messages: readonly SlackMessage[],
  eventType: string,
  handoverId: string,
): Map<number, SlackMessage> {
  const found = new Map<number, SlackMessage>();
  for (const message of messages) {
    if (message.metadata?.eventType !== eventType) continue;
    if (message.metadata.eventPayload.handover_id !== handoverId) continue;
    const part = partOf(message);
    // Should a duplicate ever exist, the oldest is the one people saw first.
    const known = found.get(part);
    if (!known || Number(message.ts) < Number(known.ts)) found.set(part, message);
  }
  return found;
}

export interface EnsurePosts {
  target: string;
  action: string;
  eventType: string;
  /** The text of each part, in order. */
  parts: string[];
  /** Reply in this thread; absent for a top-level post. */
  threadTs?: string;
  /** The posts found before writing (history or the thread's replies). */
  existing: readonly SlackMessage[];
  /** Reads the same place again, after an error that leaves it unknown whether a post landed. */
  reread: () => Promise<SlackMessage[]>;
  describe: string;
}

/**
 * Posts each part that is not there yet, in order, each carrying metadata
 * `{event_type, event_payload: {handover_id, part, parts}}` so a re-run finds it. Returns the ts of the
 * first part (found or posted), or null when it could not be posted (or in a dry run).
 */
export async function ensurePosts(run: StepRun, spec: EnsurePosts): Promise<string | null> {
  const { ctx } = run;
  const handoverId = ctx.handover.id;
  const channel = ctx.config.slack.channel;
  const found = findOurPosts(spec.existing, spec.eventType, handoverId);
  let firstTs: string | null = found.get(1)?.ts ?? null;
  const total = spec.parts.length;
  for (const [index, text] of spec.parts.entries()) {
    const part = index + 1;
    const label = total > 1 ? `${spec.describe} (part ${part} of ${total})` : spec.describe;
    const existing = found.get(part);
    if (existing) {
      run.record(spec.target, spec.action, 'already-done', `${label} is there (ts ${logValue(existing.ts)})`);
      continue;
    }
    let postedTs: string | null = null;
    const outcome = await run.perform({
      target: spec.target,
      action: spec.action,
      done: `posted ${label}`,
      would: `post ${label}`,
      write: async () => {
        const posted = await ctx.write.slack.postMessage({
          channel,
          text,
          ...(spec.threadTs ? { threadTs: spec.threadTs } : {}),
          metadata: {
            eventType: spec.eventType,
            eventPayload: { handover_id: handoverId, part, parts: total },
          },
        });
        postedTs = posted.ts;
      },
      landed: async () => {
        const again = findOurPosts(await spec.reread(), spec.eventType, handoverId).get(part);
        if (again) postedTs = again.ts;
        return again !== undefined;
      },
    });
    if (outcome === 'failed') return null;
    if (part === 1) firstTs = postedTs;
  }
  return firstTs;
}
