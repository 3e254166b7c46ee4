import { type CliIO, UsageError } from '../io.js';

// Placeholder until the validate command lands in this session; replaced, never shipped.
export async function validateCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('validate is not available yet');
}
