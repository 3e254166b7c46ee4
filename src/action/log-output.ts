import { untrustedBlock } from '../render/log-safety.js';
import type { CommandContext } from './context.js';

/**
 * Writes text we did not write (it echoes manifest text, e.g. source lines under a finding) to the log:
 * each line neutralised in both of the runner's command grammars, and the whole block run with workflow
 * commands stopped (render/log-safety.ts).
 */
export function logOutput(ctx: CommandContext, text: string): void {
  for (const line of untrustedBlock(text)) ctx.core.info(line);
}
