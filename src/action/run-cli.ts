import { main } from '../cli/main.js';
import { untrustedBlock } from '../render/log-safety.js';
import { type CapturedIO, captureIO } from './capture-io.js';
import type { CommandContext } from './context.js';

export interface CliRun {
  code: number;
  io: CapturedIO;
}

/**
 * Runs a `handover` command in-process exactly as the CLI does (same dispatcher, same exit codes), with
 * its output captured: the action is a shell over the same core, never a second implementation.
 */
export async function runCli(ctx: CommandContext, argv: string[]): Promise<CliRun> {
  const io = captureIO(ctx.env, ctx.workspace);
  const code = await main(argv, io);
  return { code, io };
}

/** A path argument that cannot be mistaken for an option. */
export function pathArgument(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}

/**
 * Writes what a command printed to the log: it echoes manifest text (source lines under a finding), so each
 * line is neutralised and the block runs with workflow commands stopped.
 */
export function logOutput(ctx: CommandContext, text: string): void {
  for (const line of untrustedBlock(text)) ctx.core.info(line);
}
