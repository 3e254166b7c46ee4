import { type Command, dispatch } from '../cli/dispatch.js';
import type { CliIO } from '../cli/io.js';

/** What one in-process run of a handover command printed and returned. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandContext {
  /** The demo folder: the command's working directory, as if the user had `cd`-ed into it. */
  cwd: string;
  /** The sandbox's environment only: tokens and URLs that point at loopback, nothing from the user's shell. */
  env: NodeJS.ProcessEnv;
  /** Receives each complete output line as it is written, so long steps show progress. */
  echo?: (line: string) => void;
}

/** Splits streamed text into lines, holding back a trailing partial line until it is complete. */
export class LineBuffer {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  write(text: string): void {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    for (const line of parts) this.onLine(line);
  }

  flush(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}

/**
 * Runs a command exactly as the CLI does (the same exported function, the same flags), with a CliIO
 * that records what it prints. The commands never see a terminal: their output is narrated, not raw.
 */
export async function runCommand(
  command: Command,
  argv: string[],
  context: CommandContext,
): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const echo = context.echo;
  // One buffer per stream: a partial line on one must not be glued to a line of the other.
  const out = echo ? new LineBuffer(echo) : null;
  const err = echo ? new LineBuffer(echo) : null;
  const io: CliIO = {
    stdout: (text) => {
      stdout += text;
      out?.write(text);
    },
    stderr: (text) => {
      stderr += text;
      err?.write(text);
    },
    env: context.env,
    cwd: context.cwd,
    isTTY: false,
  };
  try {
    // Through the dispatcher, so the demo's command lines are parsed exactly as the CLI parses them.
    const [name = ''] = argv;
    const exitCode = await dispatch(argv, io, { [name]: async () => command });
    return { exitCode, stdout, stderr };
  } finally {
    out?.flush();
    err?.flush();
  }
}
