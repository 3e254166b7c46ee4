/** The report formats of the commands that print one (`--format`). */
export type ReportFormat = 'text' | 'json' | 'markdown';

/** What a command may touch besides its arguments: injected so commands run in-process in tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal (colours, progress). */
  isTTY: boolean;
}

/**
 * A writer to one of the process's streams that treats a reader going away (EPIPE: `handover … | head -1`)
 * as the end of that output, not as a crash with a stack trace: later text for it is dropped, and the
 * command runs to its end (apply keeps its journal) and exits with its own code.
 */
export function pipeSafeWriter(stream: NodeJS.WriteStream): (text: string | Uint8Array) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else throw error;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

export function processIO(): CliIO {
  return {
    stdout: pipeSafeWriter(process.stdout),
    stderr: pipeSafeWriter(process.stderr),
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
