import { type CliIO, type Command, EXIT, processIO, UsageError } from './io.js';

import { renderUsage } from './usage.js';

/** Loads one command's module: a command is loaded only when it is run. */
export type CommandLoader = () => Promise<Command>;

// Each command is loaded on demand so that `handover validate` never loads the HTTP clients.
const commands: Readonly<Record<string, CommandLoader>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  prepare: async () => (await import('./commands/prepare.js')).prepareCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

export function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  return dispatch(argv, io, commands);
}

/**
 * Runs the command named by the first argument from `table`. Shared by `main` and the CommonJS fast
 * path of `handover validate` (src/cli/validate-main.ts), so both report usage mistakes the same way.
 */
export async function dispatch(
  argv: string[],
  io: CliIO,
  table: Readonly<Record<string, CommandLoader>>,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // The command list comes from usage.ts, the single source the reference docs are generated from
    // too. Rendered only when shown: it is not worth building for every command.
    (name === undefined ? io.stderr : io.stdout)(renderUsage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout('handover 0.1.0\n');
    return EXIT.ok;
  }
  // Own properties only: `handover constructor` must be an unknown command, not Object.prototype's.
  const load = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!load) {
    io.stderr(`handover: unknown command '${name}'\n\n${renderUsage()}`);
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`handover ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    // node:util parseArgs reports unknown or malformed flags with these codes: a user mistake.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      io.stderr(`handover ${name}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
