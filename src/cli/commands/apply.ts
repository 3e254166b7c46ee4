import { type CliIO, UsageError } from '../io.js';

// Placeholder until the apply command lands in this session; replaced, never shipped.
export async function applyCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('apply is not available yet');
}
