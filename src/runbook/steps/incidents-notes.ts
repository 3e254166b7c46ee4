import { shortSha } from '../../format.js';
import type { Handover, HandoverIncident } from '../../manifest/types.js';
import type { PdNote } from '../../providers/types.js';
import type { AcknowledgementInfo, Person } from '../runtime/context.js';
import { noteMarker } from '../runtime/context.js';

/** Written into every note when the approval was not checked (docs/design.md#step-0-preflight: say so plainly). */
export const NOT_VERIFIED = 'acknowledgement NOT verified (applied with --skip-approval-check)';

/** "Acknowledged by bob via approval of PR #12 at commit abc1234", or the plain not-verified line. */
export function acknowledgementSentence(incoming: Person, ack: AcknowledgementInfo): string {
  if (!ack.verified) return `Acknowledged by ${incoming.handle}: ${NOT_VERIFIED}`;
  const via = `via approval of PR #${ack.pullRequest} at commit ${shortSha(ack.approvedSha)}`;
  // In an emergency another admin than the incoming one may approve: say who did.
  if (ack.approver && ack.approver !== incoming.handle)
    return `Acknowledged for ${incoming.handle} by ${ack.approver} ${via}`;
  return `Acknowledged by ${incoming.handle} ${via}`;
}

/**
 * The status paragraph as a PagerDuty note: hypothesis, last action, next action, then the marker line
 * a re-run looks for. PagerDuty notes are plain text, so manifest text goes in as it is.
 */
export function statusNote(
  handover: Handover,
  incident: HandoverIncident,
  people: { outgoing: Person; incoming: Person },
  ack: AcknowledgementInfo,
): string {
  const lines: string[] = [];
  if (incident.status) {
    lines.push(
      `Handover ${handover.id}: ${people.outgoing.handle} → ${people.incoming.handle}`,
      `Hypothesis: ${incident.status.hypothesis}`,
      `Last action: ${incident.status.lastAction}`,
      `Next action: ${incident.status.nextAction}`,
    );
  } else {
    const cause = handover.emergency ? `, cause: ${handover.emergency.cause}` : '';
    lines.push(
      `Handover ${handover.id} (emergency${cause}): ${people.outgoing.handle} → ${people.incoming.handle}`,
      `No status paragraph was available. ${people.incoming.handle} reconstructs context from this incident's log, the ticket comments and the channel's last hour; the channel has been asked for a team-wide catch-up.`,
    );
  }
  if (handover.emergency)
    lines.push(
      `Written by handover on ${people.outgoing.handle}'s behalf: ${people.outgoing.handle} is ${handover.emergency.cause === 'compromised' ? 'locked out (account compromised)' : 'unavailable'}.`,
    );
  if (!ack.verified) lines.push(`Warning: ${NOT_VERIFIED}.`);
  lines.push(noteMarker(handover.id, 'status'));
  return lines.join('\n');
}

export function acknowledgementNote(handoverId: string, incoming: Person, ack: AcknowledgementInfo): string {
  return `${acknowledgementSentence(incoming, ack)}.\n${noteMarker(handoverId, 'ack')}`;
}

/**
 * The one of `notes` that is ours: it ends with the marker line and has the shape apply writes for that
 * kind of note (statusNote: a first line naming the handover, then the three status parts or the
 * emergency's explanation; acknowledgementNote: the acknowledgement sentence). Apply does not recognise
 * its notes by who PagerDuty says wrote them: with a user-level API token PagerDuty attributes every
 * write to the token's owner whatever `From` says, so an author check would miss our own notes and every
 * re-run would add them again. Nor by the marker alone: anyone can paste a marker under a draft, and such
 * a note must not stand in for the status paragraph or the acknowledgement. A person who writes the
 * whole note in our form has put on the incident what apply would have. Manifest text sits between the
 * first line and the marker, so it cannot turn one kind of note into the other.
 * `authorId`, when given, narrows the match (for callers that can rely on it).
 */
export function markedNote(notes: readonly PdNote[], marker: string, authorId?: string): PdNote | undefined {
  return notes.find(
    (note) => hasOurShape(note.content, marker) && (authorId === undefined || note.userId === authorId),
  );
}

function hasOurShape(text: string, marker: string): boolean {
  const lines = text
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => line.trim());
  if (lines.length < 2 || lines[lines.length - 1] !== marker) return false;
  const first = lines[0] ?? '';
  if (marker.endsWith(' · ack')) return ACKNOWLEDGEMENT_LINE.test(first);
  const handoverId = marker.slice('handover '.length, -' · status'.length);
  if (!first.startsWith(`Handover ${handoverId}`)) return false;
  const body = lines.slice(1, -1);
  const has = (prefix: string) => body.some((line) => line.startsWith(prefix));
  return (
    (has('Hypothesis: ') && has('Last action: ') && has('Next action: ')) ||
    has('No status paragraph was available.')
  );
}

/** The first line of acknowledgementNote: verified (PR and commit named) or saying plainly it was not. */
const ACKNOWLEDGEMENT_LINE =
  /^Acknowledged (by \S+|for \S+ by \S+) (via approval of PR #\d+ at commit \S+\.|: acknowledgement NOT verified .*\.)$/;
