import { runDemo } from '../../demo/run.js';
import { stringFlag } from '../common.js';
import { type CliIO, UsageError } from '../io.js';
import type { CommandLine } from '../usage.js';

/** `handover demo`: see src/demo/run.ts. */
export async function demoCommand(line: CommandLine, io: CliIO): Promise<number> {
  const dir = stringFlag(line, 'dir');
  if (dir === '') throw new UsageError('--dir needs a folder');
  return runDemo(dir === undefined ? {} : { dir }, io);
}
