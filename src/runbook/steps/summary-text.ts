/**
 * The Slack texts of step 5, as pure functions. Everything that comes from a manifest or a service is
 * passed through escapeSlack; the only control sequences in these texts are the mentions built here
 * from the roster's Slack ids (trusted config). Messages are sent with link_names=false and parse=none.
 */

import { formatUtc } from '../../format.js';
import type { Handover } from '../../manifest/types.js';
import { escapeSlack } from '../../render/escape.js';
import type { SummaryCounts } from '../plan/item.js';
import type { AcknowledgementInfo, ItemResult, Person } from '../runtime/context.js';
import { acknowledgementSentence, NOT_VERIFIED } from './incidents-notes.js';
import { APPROVER_PUSHED_IN_EMERGENCY } from './preflight-acknowledgement.js';
import { engineeringIssueUrl, WAITING_ON_CUSTOMER_LABEL } from './tickets.js';

export function mention(person: Person): string {
  return `<@${person.slack}>`;
}

/**
 * The channel post's sentence, exactly as the runbook words it (docs/design.md#step-5-summary). Apply
 * fills in Slack mentions and the time; plan previews the same sentence with handles and a placeholder.
 */
export function summaryLine(
  who: { outgoing: string; incoming: string },
  asOf: string,
  counts: SummaryCounts,
): string {
  return `On-call: ${who.outgoing} → ${who.incoming} as of ${asOf}. ${counts.incidents} incidents reassigned, ${counts.tickets} tickets reassigned, ${counts.rollouts} rollouts in flight. Details in the thread.`;
}

/** The channel post as apply sends it. */
export function summaryText(
  people: { outgoing: Person; incoming: Person },
  asOf: string,
  counts: SummaryCounts,
  ack: AcknowledgementInfo,
): string {
  const line = summaryLine(
    { outgoing: mention(people.outgoing), incoming: mention(people.incoming) },
    formatUtc(asOf),
    counts,
  );
  // The first line stays exactly the runbook's; an unverified acknowledgement is said on its own line.
  return ack.verified ? line : `${line}\n:warning: ${NOT_VERIFIED}`;
}

export interface DetailsInput {
  handover: Handover;
  outgoing: Person;
  incoming: Person;
  lead: Person | null;
  ack: AcknowledgementInfo;
  window: { start: string; end: string };
  incidents: ItemResult[];
  tickets: ItemResult[];
  rollouts: ItemResult[];
}

/** The thread reply: one line per incident, ticket and rollout, with the status paragraphs. */
export function detailsLines(input: DetailsInput): string[] {
  const { handover, incoming } = input;
  const lines: string[] = [];
  const variant = handover.emergency
    ? `emergency (${handover.emergency.cause})`
    : handover.variant.replace(/-/g, ' ');
  lines.push(
    `*Handover ${escapeSlack(handover.id)}* · ${variant}, ${handover.reason} · window ${formatUtc(input.window.start)} → ${formatUtc(input.window.end)}`,
  );
  lines.push(
    input.ack.verified
      ? escapeSlack(acknowledgementSentence(incoming, input.ack))
      : `:warning: ${escapeSlack(NOT_VERIFIED)}`,
  );
  if (input.ack.verified && input.ack.approverPushedHead && input.ack.approver)
    lines.push(
      `:warning: ${escapeSlack(input.ack.approver)} also pushed the approved commit: ${escapeSlack(APPROVER_PUSHED_IN_EMERGENCY)}`,
    );
  if (input.lead) lines.push(`Outage lead: ${mention(input.lead)} led during the outage`);

  const incidentResults = new Map(input.incidents.map((r) => [r.id, r]));
  if (handover.incidents.length > 0) lines.push('', `*Incidents (${handover.incidents.length})*`);
  for (const incident of handover.incidents) {
    const result = incidentResults.get(incident.id);
    const title = result?.title ?? incident.title;
    const state = result?.covered
      ? `reassigned to ${mention(incoming)}`
      : 'not handed over (see the journal)';
    lines.push(`• ${escapeSlack(incident.id)}${title ? ` · ${escapeSlack(title)}` : ''} — ${state}`);
    if (incident.status) {
      lines.push(
        `    Hypothesis: ${escapeSlack(incident.status.hypothesis)}`,
        `    Last action: ${escapeSlack(incident.status.lastAction)}`,
        `    Next action: ${escapeSlack(incident.status.nextAction)}`,
      );
    } else {
      lines.push('    No status paragraph (emergency): see the context digest and the catch-up thread');
    }
  }

  const ticketResults = new Map(input.tickets.map((r) => [r.id, r]));
  if (handover.tickets.length > 0) lines.push('', `*Tickets (${handover.tickets.length})*`);
  for (const ticket of handover.tickets) {
    const result = ticketResults.get(ticket.id);
    const title = result?.title;
    const head = `• ${escapeSlack(ticket.id)}${title ? ` · ${escapeSlack(title)}` : ''}`;
    if (!result?.covered) {
      lines.push(`${head} — not handed over (see the journal)`);
      continue;
    }
    const moved = `reassigned to ${mention(incoming)}`;
    if (ticket.disposition === 'waiting_on_customer')
      lines.push(`${head} — waiting on the customer: ${moved}, labelled ${WAITING_ON_CUSTOMER_LABEL}`);
    else if (ticket.disposition === 'waiting_on_engineering')
      lines.push(
        `${head} — waiting on engineering: ${moved}, linked ${escapeSlack(engineeringIssueUrl(ticket.engineeringIssue ?? ''))}`,
      );
    else {
      const session = ticket.impersonationSession
        ? `impersonation session ${escapeSlack(ticket.impersonationSession)} ended, `
        : '';
      lines.push(
        `${head} — active: ${session}${moved}; they mint their own impersonation token (never transferred)`,
      );
    }
  }

  const rolloutResults = new Map(input.rollouts.map((r) => [r.id, r]));
  if (handover.rollouts.length > 0) lines.push('', `*Rollouts (${handover.rollouts.length})*`);
  for (const rollout of handover.rollouts) {
    const result = rolloutResults.get(rollout.flag);
    const head = `• ${escapeSlack(rollout.flag)}`;
    if (!result?.covered) {
      lines.push(`${head} — not handed over (see the journal)`);
      continue;
    }
    lines.push(
      `${head} — ${rollout.state} at ${rollout.rampPercent}%, last error rate ${rollout.lastErrorRatePercent}%; next: ${escapeSlack(rollout.nextStep)}; annotation owner ${mention(incoming)}`,
    );
  }
  return lines;
}

/**
 * Slack truncates a message's text beyond 40 000 characters; a long handover's lines are split into
 * replies below that, with room to spare.
 */
export const MAX_PART_LENGTH = 30_000;

/** Splits lines into parts of at most `max` characters, never inside a line (a line is cut if alone too long). */
export function splitIntoParts(lines: readonly string[], max = MAX_PART_LENGTH): string[] {
  const parts: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > max ? `${raw.slice(0, max - 1)}…` : raw;
    if (current && current.length + 1 + line.length > max) {
      parts.push(current);
      current = line;
    } else {
      current = current ? `${current}\n${line}` : line;
    }
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}
