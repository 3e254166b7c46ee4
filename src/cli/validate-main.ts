/**
 * `handover validate` alone, for the CommonJS fast path: scripts/build.mjs bundles this into
 * lib/validate.cjs, which bin/handover.cjs loads (with a V8 code cache) when the command is
 * `validate`. Starting Node's ESM loader and following the chunk imports of lib/cli.js costs about
 * as much as validating a manifest, so validate, which CI runs on every pull request, skips them.
 * Every other command goes through `main` in lib/cli.js.
 */
import { validateCommand } from './commands/validate.js';
import { directProcessIO } from './direct-output.js';
import { dispatch } from './dispatch.js';
import type { CliIO } from './io.js';

export function main(argv: string[], io: CliIO = directProcessIO()): Promise<number> {
  return dispatch(argv, io, { validate: async () => validateCommand });
}
