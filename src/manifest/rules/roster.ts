import type { Diagnostic } from '../../diagnostics.js';
import { closestMatch } from '../suggest.js';
import type { Rule } from './context.js';

/** `roster.same-admin`: a handover goes from one admin to another. */
export const differentAdmins: Rule = (context) => {
  const outgoing = context.read<string>(['outgoing']);
  const incoming = context.read<string>(['incoming']);
  if (outgoing === undefined || outgoing !== incoming) return [];
  return [
    context.atValue(
      ['incoming'],
      'roster.same-admin',
      `\`incoming\` is the same admin as \`outgoing\` (${outgoing}): name the admin who takes over`,
    ),
  ];
};

/** `roster.unknown-handle`: every admin named is a key of the config's roster. */
export const knownHandles: Rule = (context) => {
  const roster = context.config?.roster;
  if (!roster) return [];
  const handles = Object.keys(roster);
  const found: Diagnostic[] = [];
  for (const path of [['outgoing'], ['incoming'], ['outage', 'lead']] as const) {
    const handle = context.read<string>(path);
    if (handle === undefined || Object.hasOwn(roster, handle)) continue;
    const suggestion = closestMatch(handle, handles);
    found.push(
      context.atValue(
        path,
        'roster.unknown-handle',
        `\`${handle}\` is not in the roster of handover.config.yaml: ` +
          (suggestion
            ? `did you mean \`${suggestion}\`?`
            : `use one of ${handles.map((h) => `\`${h}\``).join(', ')}, or add the admin to the roster`),
      ),
    );
  }
  return found;
};

/** `outage.lead`: during a mid-shift outage one of the two admins leads. */
export const outageLead: Rule = (context) => {
  const lead = context.read<string>(['outage', 'lead']);
  const outgoing = context.read<string>(['outgoing']);
  const incoming = context.read<string>(['incoming']);
  if (lead === undefined || outgoing === undefined || incoming === undefined) return [];
  if (lead === outgoing || lead === incoming) return [];
  return [
    context.atValue(
      ['outage', 'lead'],
      'outage.lead',
      `\`outage.lead\` must be the outgoing or the incoming admin (\`${outgoing}\` or \`${incoming}\`), not \`${lead}\``,
    ),
  ];
};
