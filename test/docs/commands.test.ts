import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { COMMAND_DOCS, renderUsage, synopsis } from '../../src/cli/usage.js';
import { captureIO } from '../support/cli-io.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The flags a command's parser accepts, read from its source: every `name: { type: … }` option, plus
 * --config and --format where it spreads COMMON_OPTIONS. Crude but strict: a flag added to a command
 * without a line in src/cli/usage.ts (and so in the docs) fails here.
 */
function parserFlags(command: string): string[] {
  const source = readFileSync(join(ROOT, 'src', 'cli', 'commands', `${command}.ts`), 'utf8');
  const flags = [...source.matchAll(/'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'/g)].map(
    (m) => m[1] ?? '',
  );
  if (source.includes('...COMMON_OPTIONS')) flags.push('config', 'format');
  return flags.sort();
}

describe('src/cli/usage.ts, the one list of commands and flags', () => {
  it.each(COMMAND_DOCS.map((command) => [command.name, command] as const))(
    '%s: documents exactly the flags its parser accepts',
    (name, command) => {
      expect(command.flags.map((flag) => flag.name).sort()).toEqual(parserFlags(name));
    },
  );

  it.each(COMMAND_DOCS.map((command) => [command.name] as const))(
    '%s: is a command the CLI dispatches, and refuses an unknown flag (exit 2)',
    async (name) => {
      const io = captureIO(ROOT);
      expect(await main([name, '--no-such-flag'], io)).toBe(2);
      expect(io.err).not.toContain('unknown command');
      expect(io.err).toContain('--no-such-flag');
    },
  );

  it('is what `handover --help` prints, one line or two per command', async () => {
    const io = captureIO(ROOT);
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toBe(renderUsage());
    for (const command of COMMAND_DOCS) expect(io.out).toContain(`  ${synopsis(command)}`);
  });

  it('shows the required flags of init bare and every optional one in brackets', () => {
    const init = COMMAND_DOCS.find((command) => command.name === 'init');
    expect(init && synopsis(init)).toBe('init --outgoing A --incoming B [--variant V] [--reason R]');
  });
});
