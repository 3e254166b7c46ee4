import { type CliIO, UsageError } from '../io.js';

// Placeholder until the plan command lands in this session; replaced, never shipped.
export async function planCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('plan is not available yet');
}
