import type { CommandContext } from './context.js';
import { safeLines } from './safe-log.js';

/** Writes text to the log line by line, none able to start a workflow command. */
export function logOutput(ctx: CommandContext, text: string): void {
  for (const line of safeLines(text)) ctx.core.info(line);
}
