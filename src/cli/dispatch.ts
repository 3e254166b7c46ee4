import { VERSION } from '../version.js';
import { type CliIO, EXIT, UsageError } from './io.js';
import {
  type CommandLine,
  findCommandDoc,
  parseCommandLine,
  renderCommandHelp,
  renderUsage,
} from './usage.js';

/**
 * A command's handler: gets its arguments already parsed by its description in src/cli/usage.ts
 * (--help answered, unknown flags and wrong arity refused) and returns the exit code.
 */
export type Command = (line: CommandLine, io: CliIO) => Promise<number>;

/** Loads one command's handler: a command is loaded only when it is run. */
export type CommandLoader = () => Promise<Command>;

// The package's version (src/version.ts, kept equal to package.json by the release).
export { VERSION };

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
  if (name === undefined) {
    io.stderr(renderUsage());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h') {
    io.stdout(renderUsage());
    return EXIT.ok;
  }
  if (name === 'help') return help(rest, io);
  if (name === '--version' || name === '-V') {
    io.stdout(`handover ${VERSION}\n`);
    return EXIT.ok;
  }
  // Own properties only: `handover constructor` must be an unknown command, not Object.prototype's.
  const load = Object.hasOwn(table, name) ? table[name] : undefined;
  const doc = findCommandDoc(name);
  if (!load || !doc) {
    io.stderr(`handover: unknown command '${name}'\n\n${renderUsage()}`);
    return EXIT.usage;
  }
  try {
    const line = parseCommandLine(doc, rest);
    if (line.help) {
      io.stdout(renderCommandHelp(doc));
      return EXIT.ok;
    }
    const command = await load();
    return await command(line, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`handover ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

/** `handover help [CMD]`. */
function help(args: readonly string[], io: CliIO): number {
  if (args.length === 0) {
    io.stdout(renderUsage());
    return EXIT.ok;
  }
  const doc = args.length === 1 ? findCommandDoc(args[0] ?? '') : undefined;
  if (!doc) {
    io.stderr(`handover help: no command '${args.join(' ')}'\n\n${renderUsage()}`);
    return EXIT.usage;
  }
  io.stdout(renderCommandHelp(doc));
  return EXIT.ok;
}
