import type { Diagnostic } from '../../diagnostics.js';
import { plural } from '../../format.js';
import type { Variant } from '../types.js';
import { quoteValue } from '../wording.js';
import type { Rule } from './context.js';
import { checkProse } from './prose.js';

const STATUS_PARTS = [
  { name: 'hypothesis', asks: 'what you believe is happening' },
  { name: 'lastAction', asks: 'the last action taken, and when' },
  { name: 'nextAction', asks: 'what the incoming admin should do next' },
] as const;

function isMapping(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `status.required`, `status.prose`, `status.placeholder`: every incident carries its three-part
 * status paragraph, written out ("a reassignment without a status paragraph is not a handover");
 * only an emergency may leave it out.
 */
export const incidentStatus: Rule = (context) => {
  const found: Diagnostic[] = [];
  const variant = context.read<Variant>(['variant']);
  for (let index = 0; index < context.count(['incidents']); index++) {
    const incident = ['incidents', index] as const;
    if (!isMapping(context.raw(incident))) continue;
    const id = context.read<string>([...incident, 'id']);
    const name = id ? `incident ${id}` : `incident #${index + 1}`;
    const status = [...incident, 'status'] as const;
    const statusValue = context.raw(status);
    if (statusValue === undefined) {
      // Unknown variant: the schema reports it, and whether status may be omitted is unknown.
      if (variant !== undefined && variant !== 'emergency') {
        found.push(
          context.atKey(
            incident,
            'status.required',
            `${name} has no status paragraph: add \`status:\` with \`hypothesis\`, \`lastAction\` and ` +
              '`nextAction` (a reassignment without a status paragraph is not a handover; only an emergency may omit it)',
          ),
        );
      }
      continue;
    }
    if (!isMapping(statusValue)) continue;
    // With an unknown key in the status (most likely a misspelt part), the schema's "did you mean"
    // says it better than "missing".
    const statusAccepted = context.read<object>(status) !== undefined;
    for (const part of STATUS_PARTS) {
      const path = [...status, part.name] as const;
      if (!Object.hasOwn(statusValue, part.name)) {
        if (!statusAccepted) continue;
        found.push(
          context.atKey(
            status,
            'status.required',
            `the status of ${name} is missing \`${part.name}\`: write ${part.asks}`,
          ),
        );
        continue;
      }
      const text = context.read<string>(path);
      if (text === undefined) continue;
      const problem = checkProse(text);
      if (problem?.kind === 'placeholder') {
        found.push(
          context.atValue(
            path,
            'status.placeholder',
            `\`${part.name}\` of ${name} is a placeholder (${quoteValue(problem.found)}): replace it with ${part.asks}`,
          ),
        );
      } else if (problem?.kind === 'too-short') {
        found.push(
          context.atValue(
            path,
            'status.prose',
            `\`${part.name}\` of ${name} has ${plural(problem.words, 'word')}: write a sentence ` +
              `of at least 3 words with ${part.asks}`,
          ),
        );
      }
    }
  }
  return found;
};
