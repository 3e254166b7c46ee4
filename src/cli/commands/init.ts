import { type CliIO, UsageError } from '../io.js';

// Placeholder until the init command lands in this session; replaced, never shipped.
export async function initCommand(_argv: string[], _io: CliIO): Promise<number> {
  throw new UsageError('init is not available yet');
}
