import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    env: {},
    cwd: process.cwd(),
    isTTY: false,
  };
  return io;
}

describe('the command dispatcher', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'nope'])(
    '`handover %s` is an unknown command (exit 2), never an internal error',
    async (name) => {
      const io = captureIO();
      expect(await main([name], io)).toBe(2);
      expect(io.err).toContain(`unknown command '${name}'`);
    },
  );

  it('prints usage and exits 2 with no command, 0 with --help', async () => {
    const bare = captureIO();
    expect(await main([], bare)).toBe(2);
    expect(bare.err).toContain('usage: handover');
    const help = captureIO();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.out).toContain('usage: handover');
  });
});
