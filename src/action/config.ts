import { join } from 'node:path';
import { loadConfig } from '../config/index.js';
import type { HandoverConfig } from '../config/types.js';
import type { CommandContext } from './context.js';

/** The repository config when it is readable and valid; otherwise undefined (the commands report why). */
export function loadConfigQuietly(ctx: CommandContext): HandoverConfig | undefined {
  try {
    return (
      loadConfig(join(ctx.workspace, ctx.inputs.config), { displayPath: ctx.inputs.config }).config ??
      undefined
    );
  } catch {
    return undefined;
  }
}
