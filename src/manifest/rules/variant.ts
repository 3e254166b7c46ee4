import type { Diagnostic } from '../../diagnostics.js';
import type { Variant } from '../types.js';
import type { Rule } from './context.js';

const BLOCKS = [
  {
    key: 'emergency',
    variant: 'emergency',
    example: '`emergency:` with `cause: incapacitated` or `cause: compromised`',
  },
  {
    key: 'outage',
    variant: 'mid-shift-outage',
    example: '`outage:` with `incident:` (the outage incident) and `lead:` (the admin leading)',
  },
] as const;

/** `variant.block`: `emergency` is present exactly for an emergency, `outage` exactly for a mid-shift outage. */
export const variantBlocks: Rule = (context) => {
  const variant = context.read<Variant>(['variant']);
  if (variant === undefined) return [];
  const found: Diagnostic[] = [];
  for (const block of BLOCKS) {
    const present = context.has([block.key]);
    if (variant === block.variant && !present) {
      found.push(
        context.atValue(['variant'], 'variant.block', `variant \`${variant}\` needs an ${block.example}`),
      );
    } else if (variant !== block.variant && present) {
      found.push(
        context.atKey(
          [block.key],
          'variant.block',
          `\`${block.key}\` belongs only to variant \`${block.variant}\`, but this handover is \`${variant}\`: ` +
            `remove the block or set \`variant: ${block.variant}\``,
        ),
      );
    }
  }
  return found;
};
