/**
 * Defects found by trying the CLI as a new user would (each failed before its fix): a closed stdout, `-`
 * for standard output, a file checked as what it is, one exit rule for the config, JSON mode printing
 * JSON, a path that is not a regular file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { CONFIG_TEXT, BASE as PAST_BASE, withLine } from '../manifest/fixtures.js';
import { type CliWorld, initFilledManifest, startCliWorld } from '../plan/cli-world.js';
import { captureIO } from '../support/cli-io.js';

const root = join(import.meta.dirname, '../..');
const BIN = join(root, 'bin/handover.js');
const BASE = PAST_BASE.replaceAll('2026-11-26T', '2099-11-26T');
const NOW = '2026-11-26T15:07:00Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-edges-'));
  writeFileSync(join(dir, 'handover.config.yaml'), CONFIG_TEXT);
  mkdirSync(join(dir, 'handovers'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIO(dir, env);
  const code = await main(argv, io);
  return { code, stdout: io.out, stderr: io.err };
}

describe('a file is checked as what it is', () => {
  it('`validate handover.config.yaml` checks the config as a config, once, not as a manifest', async () => {
    const result = await run(['validate', 'handover.config.yaml']);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('apiVersion');
    expect(result.stdout).toBe('0 manifests and the config checked: no problems\n');
  });

  it('says "manifests and the config" rather than counting the config among the files', async () => {
    writeFileSync(join(dir, 'handovers/2026-11-26-alice-to-bob.yaml'), BASE);
    const result = await run(['validate']);
    expect(result.stdout).toBe('1 manifest and the config checked: no problems\n');
  });
});

describe('a path that is not a regular file', () => {
  it('is refused (exit 2) rather than read: a FIFO does not hang validate', () => {
    const fifo = join(dir, 'some.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const result = spawnSync(process.execPath, [BIN, 'validate', 'some.fifo'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.signal, 'validate hung on the FIFO').toBeNull();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('some.fifo: not a regular file');
  });
});

describe('one exit rule for the config in every command (docs/reference/commands.md)', () => {
  const commands: Array<[string, string[]]> = [
    ['validate', ['validate']],
    ['plan', ['plan', 'handovers/x.yaml']],
    ['init', ['init', '--outgoing', 'alice', '--incoming', 'bob']],
    ['apply', ['apply', 'handovers/x.yaml', '--skip-approval-check']],
  ];

  it.each(commands)(
    '%s: a readable but invalid config exits 1, with its diagnostics',
    async (_name, argv) => {
      writeFileSync(join(dir, 'handover.config.yaml'), 'pagerduty: 5\n');
      const result = await run(argv);
      expect(result.code, result.stderr).toBe(1);
      expect(`${result.stdout}${result.stderr}`).toContain('handover.config.yaml:1:');
    },
  );

  it.each(commands)('%s: a config that cannot be read exits 2', async (_name, argv) => {
    const result = await run([...argv, '--config', 'missing.yaml']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('missing.yaml');
  });

  it('plan --format json with an invalid config prints JSON (the diagnostics) on stdout', async () => {
    writeFileSync(join(dir, 'handover.config.yaml'), 'pagerduty: 5\n');
    const result = await run(['plan', 'handovers/x.yaml', '--format', 'json']);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as Array<{ file: string; rule: string }>;
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed[0]?.file).toBe('handover.config.yaml');
  });

  it('plan --format json with an unreadable config prints a JSON error on stdout', async () => {
    const result = await run(['plan', 'handovers/x.yaml', '--format', 'json', '--config', 'none.yaml']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      exitCode: 2,
      error: expect.stringContaining('none.yaml'),
    });
  });
});

describe('a closed stdout ends the output quietly', () => {
  function manyInvalidManifests(): void {
    for (let n = 0; n < 300; n += 1)
      writeFileSync(
        join(dir, `handovers/2099-11-${String(n).padStart(3, '0')}-alice-to-bob.yaml`),
        withLine(5, 'reasn: rotation').replaceAll('2026-11-26T', '2099-11-26T'),
      );
  }

  it.each([
    ['validate, through the fast path', `node ${JSON.stringify(BIN)} validate`],
    [
      'validate, through the ES module CLI',
      `node --input-type=module -e ${JSON.stringify(`const { main } = await import(${JSON.stringify(join(root, 'lib/cli.js'))}); process.exitCode = await main(['validate']);`)}`,
    ],
  ])('%s: `| head -1` prints one line and no EPIPE or stack trace', (_case, command) => {
    manyInvalidManifests();
    const result = spawnSync('sh', ['-c', `${command} | head -1; echo "status $?"`], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stdout.split('\n')[0]).toMatch(/^handovers\/2099-11-000-alice-to-bob\.yaml:\d+:\d+: error/);
    expect(result.stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
  });
});

describe('init --out - writes the manifest to standard output', () => {
  let world: CliWorld;
  beforeAll(async () => {
    world = await startCliWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('prints the manifest, writes no file named -, and says what it did on stderr', async () => {
    const result = await world.run([
      'init',
      '--outgoing',
      'alice',
      '--incoming',
      'bob',
      '--now',
      NOW,
      '--out',
      '-',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(world.root, '-'))).toBe(false);
    expect(parse(result.stdout)).toMatchObject({
      apiVersion: 'handover/v1',
      outgoing: 'alice',
      incoming: 'bob',
    });
    expect(result.stderr).toContain('wrote the manifest to standard output');
  });

  it('refuses --out - with --format json: both would go to standard output', async () => {
    const result = await world.run([
      'init',
      '--outgoing',
      'alice',
      '--incoming',
      'bob',
      '--out',
      '-',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(2);
  });
});

describe('plan and init against a stopped service', () => {
  let world: CliWorld;
  let stopped: string;
  beforeAll(async () => {
    world = await startCliWorld();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stopped = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await world?.close();
  });

  it.each([
    ['init', ['init', '--outgoing', 'alice', '--incoming', 'bob', '--now', NOW, '--out', 'draft.yaml']],
    ['plan', ['plan', 'PLANNED', '--now', NOW]],
  ])(
    '%s fails in under 3 s with one line naming the service (a refused connection is not retried)',
    async (name, argv) => {
      let args = argv;
      if (name === 'plan') {
        const { path } = await initFilledManifest(world, [
          '--outgoing',
          'alice',
          '--incoming',
          'bob',
          '--now',
          NOW,
        ]);
        args = ['plan', path, '--now', NOW];
      }
      const started = performance.now();
      const result = await world.run(args, { PLATFORM_API_URL: stopped });
      const seconds = (performance.now() - started) / 1000;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/platform .*ECONNREFUSED/);
      expect(
        result.stderr
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('handover')),
      ).toHaveLength(1);
      expect(seconds).toBeLessThan(3);
    },
  );
});

describe('apply --deadline', () => {
  it('takes a whole number of seconds, and refuses anything else before doing anything (exit 2)', async () => {
    const result = await run(['apply', 'handovers/x.yaml', '--skip-approval-check', '--deadline', '10m']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--deadline must be a whole number of seconds');
  });
});
