import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../support/cli-io.js';

describe('the command dispatcher', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'nope'])(
    '`handover %s` is an unknown command (exit 2), never an internal error',
    async (name) => {
      const io = captureIO(process.cwd());
      expect(await main([name], io)).toBe(2);
      expect(io.err).toContain(`unknown command '${name}'`);
    },
  );

  it('prints usage and exits 2 with no command, 0 with --help', async () => {
    const bare = captureIO(process.cwd());
    expect(await main([], bare)).toBe(2);
    expect(bare.err).toContain('usage: handover');
    const help = captureIO(process.cwd());
    expect(await main(['--help'], help)).toBe(0);
    expect(help.out).toContain('usage: handover');
  });
});
