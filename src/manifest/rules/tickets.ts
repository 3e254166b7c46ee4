import type { Diagnostic } from '../../diagnostics.js';
import type { TicketDisposition } from '../types.js';
import { quoteValue } from '../wording.js';
import type { Rule } from './context.js';

const ISSUE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}#[1-9][0-9]{0,9}$/;

export function isEngineeringIssue(text: string): boolean {
  if (ISSUE_REFERENCE.test(text)) return true;
  if (!/^https?:\/\/\S+$/.test(text)) return false;
  try {
    const url = new URL(text);
    return url.hostname.length > 0 && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * `ticket.engineering-issue`: a ticket waiting on engineering names the issue it waits on (a URL or
 * `owner/repo#N`), because that link is what the handover writes on the ticket.
 */
export const ticketEngineeringIssue: Rule = (context) => {
  const found: Diagnostic[] = [];
  for (let index = 0; index < context.count(['tickets']); index++) {
    const ticket = ['tickets', index] as const;
    const id = context.read<string>([...ticket, 'id']) ?? `#${index + 1}`;
    const disposition = context.read<TicketDisposition>([...ticket, 'disposition']);
    const issuePath = [...ticket, 'engineeringIssue'] as const;
    const issue = context.read<string>(issuePath);
    if (disposition === 'waiting_on_engineering' && !context.has(issuePath)) {
      found.push(
        context.atKey(
          ticket,
          'ticket.engineering-issue',
          `ticket ${id} is waiting on engineering but names no issue: add \`engineeringIssue:\` with the issue's ` +
            'URL or `owner/repo#N`, e.g. `engineeringIssue: novavms/platform#812`',
        ),
      );
    }
    if (issue !== undefined && !isEngineeringIssue(issue)) {
      found.push(
        context.atValue(
          issuePath,
          'ticket.engineering-issue',
          `\`engineeringIssue\` of ticket ${id} is neither a URL nor \`owner/repo#N\` (found ${quoteValue(issue)}): ` +
            'write e.g. `https://github.com/novavms/platform/issues/812` or `novavms/platform#812`',
        ),
      );
    } else if (issue !== undefined && disposition !== undefined && disposition !== 'waiting_on_engineering') {
      found.push(
        context.atKey(
          issuePath,
          'ticket.engineering-issue',
          `ticket ${id} is \`${disposition}\`, so its \`engineeringIssue\` will not be linked: set ` +
            '`disposition: waiting_on_engineering` or remove the issue',
          'warning',
        ),
      );
    }
  }
  return found;
};
