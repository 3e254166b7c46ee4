import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  allFlags,
  COMMAND_DOCS,
  flagText,
  parserOptions,
  renderCommandHelp,
  renderUsage,
  synopsis,
} from '../../src/cli/usage.js';
import { captureIO } from '../support/cli-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const names = COMMAND_DOCS.map((command) => [command.name, command] as const);

describe('src/cli/usage.ts, one description per command', () => {
  it.each(names)('%s: its parser is built from its description, every flag and --help', (_name, command) => {
    expect(Object.keys(parserOptions(command)).sort()).toEqual(
      allFlags(command)
        .map((f) => f.name)
        .sort(),
    );
  });

  it('no command parses its own arguments: the handlers get them parsed by the dispatcher', () => {
    const dir = join(ROOT, 'src', 'cli', 'commands');
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/parseArgs|node:util/);
    }
  });

  it.each(names)(
    '%s: --help, -h and `handover help %s` print the same help, exit 0',
    async (name, command) => {
      const expected = renderCommandHelp(command);
      for (const argv of [
        [name, '--help'],
        [name, '-h'],
        ['help', name],
        [name, '--bogus', '--help'],
      ]) {
        const io = captureIO(ROOT);
        expect(await main(argv, io), argv.join(' ')).toBe(0);
        expect(io.out, argv.join(' ')).toBe(expected);
        expect(io.err).toBe('');
      }
      expect(expected).toContain(`usage: handover ${synopsis(command)}`);
      for (const flag of allFlags(command)) expect(expected).toContain(flagText(flag));
      for (const exit of command.exits) expect(expected).toMatch(new RegExp(`^  ${exit.code} `, 'm'));
      expect(expected).toMatch(/^ {2}70 /m);
      expect(expected).toContain('examples:');
    },
  );

  it.each(names)('%s: refuses an unknown flag (exit 2), naming it and the help', async (name) => {
    const io = captureIO(ROOT);
    expect(await main([name, '--no-such-flag'], io)).toBe(2);
    expect(io.err).not.toContain('unknown command');
    expect(io.err).toContain('--no-such-flag');
    expect(io.err).toContain(`handover ${name} --help`);
  });

  it('is what `handover --help` prints, one line or two per command, --version and help CMD listed', async () => {
    const io = captureIO(ROOT);
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toBe(renderUsage());
    for (const command of COMMAND_DOCS) expect(io.out).toContain(`  ${synopsis(command)}`);
    expect(io.out).toContain('--version');
    expect(io.out).toContain('handover help CMD');
    const version = captureIO(ROOT);
    expect(await main(['--version'], version)).toBe(0);
    expect(version.out).toMatch(/^handover \d+\.\d+\.\d+\n$/);
  });

  it('`handover help` with no command prints the usage; with an unknown one exits 2', async () => {
    const io = captureIO(ROOT);
    expect(await main(['help'], io)).toBe(0);
    expect(io.out).toBe(renderUsage());
    const unknown = captureIO(ROOT);
    expect(await main(['help', 'nope'], unknown)).toBe(2);
    expect(unknown.err).toContain("no command 'nope'");
  });

  it('shows the required flags of init bare and every optional one in brackets', () => {
    const init = COMMAND_DOCS.find((command) => command.name === 'init');
    expect(init && synopsis(init)).toBe('init --outgoing A --incoming B [--variant V] [--reason R]');
  });
});
