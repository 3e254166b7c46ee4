import type { Diagnostic } from '../../diagnostics.js';
import { plural } from '../../format.js';
import type { RuleId } from '../../rules/registry.js';
import { quoteValue } from '../wording.js';
import type { Rule } from './context.js';
import { checkProse } from './prose.js';

/** `rollout.prose`: the next ramp step is a sentence the incoming admin can act on. */
export const rolloutNextStep: Rule = (context) => {
  const found: Diagnostic[] = [];
  for (let index = 0; index < context.count(['rollouts']); index++) {
    const path = ['rollouts', index, 'nextStep'] as const;
    const text = context.read<string>(path);
    if (text === undefined) continue;
    const flag = context.read<string>(['rollouts', index, 'flag']) ?? `#${index + 1}`;
    const problem = checkProse(text);
    if (problem?.kind === 'placeholder') {
      found.push(
        context.atValue(
          path,
          'rollout.prose',
          `\`nextStep\` of rollout ${flag} is a placeholder (${quoteValue(problem.found)}): write the next planned ramp ` +
            'step and its condition, e.g. "Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%."',
        ),
      );
    } else if (problem?.kind === 'too-short') {
      found.push(
        context.atValue(
          path,
          'rollout.prose',
          `\`nextStep\` of rollout ${flag} has ${plural(problem.words, 'word')}: write the next ` +
            'planned ramp step as a sentence of at least 3 words',
        ),
      );
    }
  }
  return found;
};

/** Which schema findings are `rollout.range` rather than the generic `schema.range`. */
export function rolloutRangeRule(keyword: string, path: readonly (string | number)[]): RuleId | undefined {
  const isRange = keyword === 'minimum' || keyword === 'maximum';
  const isPercent =
    path[0] === 'rollouts' && (path[2] === 'rampPercent' || path[2] === 'lastErrorRatePercent');
  return isRange && isPercent && path.length === 3 ? 'rollout.range' : undefined;
}
