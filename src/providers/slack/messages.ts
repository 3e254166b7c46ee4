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
  const text = asString(message.text) ?? '';
  return {
    ts: asString(message.ts) ?? '',
    // Alert bots often send an empty `text` and put everything in attachments or blocks.
    text: text.trim() ? text : richText(message),
    user: asString(message.user),
    threadTs: asString(message.thread_ts),
    metadata: toMetadata(message.metadata),
    reactions: toReactions(message.reactions),
  };
}

/** The readable text of a message's legacy attachments and Block Kit blocks, one piece a line. */
export function richText(message: Json): string {
  const pieces: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim()) pieces.push(value.trim());
  };
  for (const attachment of Array.isArray(message.attachments) ? message.attachments : []) {
    if (!attachment || typeof attachment !== 'object') continue;
    const a = attachment as Json;
    add(a.pretext);
    add(a.title);
    if (typeof a.text === 'string' && a.text.trim()) add(a.text);
    else add(a.fallback);
    for (const field of Array.isArray(a.fields) ? a.fields : []) {
      const f = (field ?? {}) as Json;
      if (typeof f.title === 'string' && typeof f.value === 'string') add(`${f.title}: ${f.value}`);
    }
  }
  const blockText = (block: unknown): void => {
    if (!block || typeof block !== 'object') return;
    const b = block as Json;
    const textObject = b.text as Json | undefined;
    if (textObject && typeof textObject === 'object') add(textObject.text);
    else if (b.type === 'text' || b.type === 'mrkdwn' || b.type === 'plain_text') add(b.text);
    for (const key of ['fields', 'elements'] as const) {
      const list = b[key];
      if (!Array.isArray(list)) continue;
      if (b.type === 'rich_text' || b.type === 'rich_text_section' || b.type === 'rich_text_quote') {
        // Rich text splits one sentence into runs: join them back into one piece.
        const runs: string[] = [];
        const collect = (node: unknown) => {
          if (!node || typeof node !== 'object') return;
          const n = node as Json;
          if (typeof n.text === 'string') runs.push(n.text);
          if (Array.isArray(n.elements)) n.elements.forEach(collect);
        };
        list.forEach(collect);
        add(runs.join(''));
      } else list.forEach(blockText);
    }
  };
  for (const block of Array.isArray(message.blocks) ? message.blocks : []) blockText(block);
  return pieces.join('\n');
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
