import type { CliIO } from '../../src/cli/io.js';

/** A CLI's terminal as a test sees it: what it wrote to each stream, so far. */
export interface CapturedIO extends CliIO {
  out: string;
  err: string;
}

/** An IO for `main()` in-process that keeps what it writes, never a TTY, with only the given environment. */
export function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedIO {
  const io: CapturedIO = {
    out: '',
    err: '',
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
    env,
    cwd,
    isTTY: false,
  };
  return io;
}
