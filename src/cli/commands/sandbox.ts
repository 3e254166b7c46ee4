import { type CliIO, UsageError } from '../io.js';

// Placeholder until the sandbox command lands in this session; replaced, never shipped.
export async function sandboxCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('sandbox is not available yet');
}
