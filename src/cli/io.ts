/** What a command may touch besides its arguments: injected so commands run in-process in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal (colours, progress). */
  isTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** A user mistake on the command line or an unreadable input: reported in one line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  deferred: 3,
} as const;

/** A command module: parses its own flags (node:util parseArgs, strict) and returns the exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;
