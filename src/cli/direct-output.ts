import { fstatSync, writeSync } from 'node:fs';
import { type CliIO, pipeSafeWriter } from './io.js';

/**
 * The process's CliIO for the `handover validate` fast path (src/cli/validate-main.ts): processIO()
 * with output written straight to the file descriptor when it is a file, a pipe or a socket.
 *
 * Why: the first use of process.stdout on a pipe or socket (CI logs, `| less`, a parent process's
 * stdio) loads Node's net and stream modules, about 3 ms, a tenth of what validating a manifest
 * costs in all. For a file, Node's own stdout is a synchronous fs.writeSync too. A terminal, or any
 * write error (EAGAIN on a full non-blocking pipe, EPIPE), goes to process.stdout/stderr from then
 * on, so the text and its order stay the same; a closed pipe (EPIPE) ends the output quietly.
 */
export function directProcessIO(): CliIO {
  return {
    stdout: descriptorWriter(1, () => process.stdout),
    stderr: descriptorWriter(2, () => process.stderr),
    env: process.env,
    cwd: process.cwd(),
    // Read only by commands that colour their output (validate does not): reading it starts the stream.
    get isTTY() {
      return Boolean(process.stdout.isTTY);
    },
  };
}

function isFileOrStream(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isFile() || stats.isFIFO() || stats.isSocket();
  } catch {
    return false;
  }
}

function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (text: string) => void {
  let direct: boolean | undefined;
  let closed = false;
  let viaStream: ((text: string | Uint8Array) => void) | undefined;
  const streamWrite = (text: string | Uint8Array) => {
    viaStream ??= pipeSafeWriter(stream());
    viaStream(text);
  };
  return (text) => {
    if (closed) return;
    direct ??= isFileOrStream(fd);
    if (!direct) {
      streamWrite(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      // The reader went away (`handover validate | head -1`): the output ends here, quietly.
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') {
        closed = true;
        return;
      }
      // The rest, and everything after it, through Node's stream: it queues what the pipe cannot
      // take yet.
      direct = false;
      streamWrite(bytes.subarray(written));
    }
  };
}
