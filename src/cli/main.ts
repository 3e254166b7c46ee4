import { type CliIO, EXIT, processIO, UsageError } from './io.js';
import { renderUsage } from './usage.js';

/** A command module: parses its own flags (node:util parseArgs, strict) and returns the exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

// Each command is loaded on demand so that `handover validate` never loads the HTTP clients.
const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
};

// The command list comes from usage.ts, the single source the reference docs are generated from too.
const USAGE = renderUsage();

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout('handover 0.1.0\n');
    return EXIT.ok;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`handover: unknown command '${name}'\n\n${USAGE}`);
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
