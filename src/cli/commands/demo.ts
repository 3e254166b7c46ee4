import { type CliIO, UsageError } from '../io.js';

// Placeholder until the demo command lands in this session; replaced, never shipped.
export async function demoCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('demo is not available yet');
}
