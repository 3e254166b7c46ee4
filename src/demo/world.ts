import { noteMarker, SLACK_EVENTS } from '../runbook/runtime/context.js';
import type { Sandbox } from '../sandbox/index.js';
import type { NoteRecord } from '../sandbox/pagerduty.js';
import type { SlackStoredMessage } from '../sandbox/slack.js';

/**
 * What the team sees afterwards, read straight from the sandbox's emulators (the same records a real
 * service would show in its UI). Read-only.
 */

/** Requests that changed something in any service: the measure of "side effects". */
export function mutatingRequestCount(sandbox: Sandbox): number {
  return sandbox.requests.filter((request) => request.mutation).length;
}

/** The handover summary apply posted in the channel, found by the metadata it carries. */
export function summaryPost(sandbox: Sandbox, channel: string): SlackStoredMessage | undefined {
  return sandbox.emulators.slack
    .messages(channel)
    .find((message) => message.metadata?.event_type === SLACK_EVENTS.summary);
}

/** The replies in the summary's thread (the details). */
export function threadReplies(sandbox: Sandbox, channel: string, ts: string): SlackStoredMessage[] {
  return sandbox.emulators.slack.thread(channel, ts).filter((message) => message.ts !== ts);
}

/** The notes this handover left on an incident: each ends with one of its marker lines. */
export function handoverNotes(sandbox: Sandbox, incidentId: string, handoverId: string): NoteRecord[] {
  const markers = [noteMarker(handoverId, 'status'), noteMarker(handoverId, 'ack')];
  return sandbox.emulators.pagerduty
    .notes(incidentId)
    .filter((note) => markers.some((marker) => note.content.endsWith(marker)));
}
