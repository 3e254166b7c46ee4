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
 * The one of `notes` that is ours: its last line is exactly the marker. Apply recognises its notes by the
 * marker alone, not by who PagerDuty says wrote them: with a user-level API token PagerDuty attributes
 * every write to the token's owner whatever `From` says, so an author check would miss our own notes and
 * every re-run would add them again. Manifest text sits above the marker in our own notes, so it cannot
 * fake the other kind of note. `authorId`, when given, narrows the match (for callers that can rely on it).
 */
export function markedNote(notes: readonly PdNote[], marker: string, authorId?: string): PdNote | undefined {
  return notes.find(
    (note) => lastLine(note.content) === marker && (authorId === undefined || note.userId === authorId),
  );
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split(/\r?\n/);
  return (lines[lines.length - 1] ?? '').trim();
}
