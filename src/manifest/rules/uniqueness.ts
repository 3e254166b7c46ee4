import type { Diagnostic } from '../../diagnostics.js';
import type { RuleId } from '../../rules/registry.js';
import type { Rule } from './context.js';

function duplicates(list: string, key: string, rule: RuleId, noun: string): Rule {
  return (context) => {
    const found: Diagnostic[] = [];
    const firstLine = new Map<string, number>();
    for (let index = 0; index < context.count([list]); index++) {
      const path = [list, index, key] as const;
      const value = context.read<string>(path);
      if (value === undefined) continue;
      const line = firstLine.get(value);
      if (line === undefined) {
        firstLine.set(value, context.source.valuePosition(path).line);
        continue;
      }
      found.push(
        context.atValue(
          path,
          rule,
          `${noun} ${value} is listed twice (first on line ${line}): list each ${noun} once`,
        ),
      );
    }
    return found;
  };
}

/** `unique.incident`, `unique.ticket`, `unique.rollout`: each is handed over exactly once. */
export const uniqueIncidents = duplicates('incidents', 'id', 'unique.incident', 'incident');
export const uniqueTickets = duplicates('tickets', 'id', 'unique.ticket', 'ticket');
export const uniqueRollouts = duplicates('rollouts', 'flag', 'unique.rollout', 'rollout');
