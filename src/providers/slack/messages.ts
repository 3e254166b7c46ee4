/** Slack's message JSON → our SlackMessage, defensively: the Web API omits most fields when empty. */
import type { SlackMessage, SlackReaction } from '../types.js';

type Json = Record<string, unknown>;

const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function toReactions(value: unknown): SlackReaction[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is Json => !!r && typeof r === 'object')
    .map((r) => {
      const users = Array.isArray(r.users) ? r.users.filter((u): u is string => typeof u === 'string') : [];
      return {
        name: asString(r.name) ?? '',
        count: typeof r.count === 'number' ? r.count : users.length,
        users,
      };
    });
}

function toMetadata(value: unknown): SlackMessage['metadata'] {
  if (!value || typeof value !== 'object') return null;
  const { event_type: eventType, event_payload: eventPayload } = value as Json;
  if (typeof eventType !== 'string') return null;
  const payload =
    eventPayload && typeof eventPayload === 'object' ? (eventPayload as Record<string, unknown>) : {};
  return { eventType, eventPayload: payload };
}

/**
 * `threadTs` keeps Slack's convention: a reply carries its parent's ts, a parent with replies
 * carries its own ts (so `threadTs === ts` marks a thread to read with `replies`), any other
 * message null.
 */
export function toSlackMessage(value: unknown): SlackMessage {
  const message = (value && typeof value === 'object' ? value : {}) as Json;
  return {
    ts: asString(message.ts) ?? '',
    text: asString(message.text) ?? '',
    user: asString(message.user),
    threadTs: asString(message.thread_ts),
    metadata: toMetadata(message.metadata),
    reactions: toReactions(message.reactions),
  };
}

export function toSlackMessages(value: unknown): SlackMessage[] {
  return Array.isArray(value) ? value.map(toSlackMessage) : [];
}

/** Compares metadata payloads whatever the key order (Slack does not promise to keep it). */
export function sameMetadata(
  a: SlackMessage['metadata'],
  b: { eventType: string; eventPayload: Record<string, unknown> },
): boolean {
  return (
    !!a && a.eventType === b.eventType && canonicalJson(a.eventPayload) === canonicalJson(b.eventPayload)
  );
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Json).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
