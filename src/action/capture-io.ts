import type { CliIO } from '../cli/io.js';

/** A CliIO that keeps what a command prints, so the action can log it safely and use it (JSON, Markdown). */
export interface CapturedIO extends CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  out(): string;
  err(): string;
}

export function captureIO(env: NodeJS.ProcessEnv, cwd: string): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    cwd,
    isTTY: false,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
