import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_TEXT, BASE as PAST_BASE, withLine as withPastLine } from '../manifest/fixtures.js';

// `handover validate` runs lib/validate.cjs (CommonJS, with a V8 code cache, writing straight to the
// stdout descriptor); every other command runs lib/cli.js. These tests hold the fast path to the
// same output as lib/cli.js, and to what happens when its code cache does not fit.

const future = (text: string) => text.replaceAll('2026-11-26T', '2099-11-26T');
const BASE = future(PAST_BASE);
const withLine = (line: number, text: string) => future(withPastLine(line, text));

const root = join(import.meta.dirname, '../..');
const BIN = join(root, 'bin/handover.cjs');
const LIB_VALIDATE = join(root, 'lib/validate.cjs');
const MANIFEST = 'handovers/2026-11-26-alice-to-bob.yaml';
const { loadBundle } = createRequire(import.meta.url)('../../bin/handover.cjs') as {
  loadBundle: (
    file: string,
    options?: { codeCache?: boolean },
  ) => {
    exports: { main: (argv: string[], io: unknown) => Promise<number> };
    script: { cachedDataRejected?: boolean };
  };
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-fast-path-'));
  writeFileSync(join(dir, 'handover.config.yaml'), CONFIG_TEXT);
  mkdirSync(join(dir, 'handovers'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The installed command. */
const viaBin = (args: string[], env?: Record<string, string>) => run([BIN, 'validate', ...args], env);

/** The same command through lib/cli.js, the ESM bundle every other command runs. */
const viaEsmCli = (args: string[], env?: Record<string, string>) =>
  run(
    [
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(`${join(root, 'lib/cli.js')}`)};` +
        'process.exitCode = await main(process.argv.slice(1));',
      'validate',
      ...args,
    ],
    env,
  );

const GITHUB_TOKEN = `ghp_${'a1B2'.repeat(9)}`;
const MANIFESTS: Record<string, string> = {
  valid: BASE,
  'a credential in a comment': `${BASE}# deploy with ${GITHUB_TOKEN} and Bearer abcdefghijklmnopqrstuvwxyz\n`,
  'a status in Cyrillic': withLine(15, '      hypothesis: Пул соединений исчерпан на репликах.'),
  'a status of emoji only': withLine(15, '      hypothesis: "🔥 🔥 🔥"'),
  'a placeholder ellipsis': withLine(15, '      hypothesis: …'),
  'broken YAML': withLine(13, '    title: [unclosed'),
};

describe('handover validate through the fast path', () => {
  // Every manifest in the text format; the two with findings worth escaping in every format, in and
  // out of GitHub Actions (annotations).
  const cases = [
    ...Object.keys(MANIFESTS).map((name) => ({ name, format: ['--format', 'text'], actions: false })),
    ...['a credential in a comment', 'broken YAML'].flatMap((name) =>
      [
        ['--format', 'text'],
        ['--format', 'json'],
        ['--format', 'markdown'],
      ].flatMap((format) => [false, true].map((actions) => ({ name, format, actions }))),
    ),
  ];

  it.each(cases)(
    'reports $name ($format, GitHub Actions: $actions) exactly as lib/cli.js does',
    ({ name, format, actions }) => {
      writeFileSync(join(dir, MANIFEST), MANIFESTS[name] ?? '');
      const env: Record<string, string> = actions ? { GITHUB_ACTIONS: 'true' } : {};
      const fast = viaBin([MANIFEST, ...format], env);
      expect(fast).toEqual(viaEsmCli([MANIFEST, ...format], env));
      expect(fast.stdout).not.toBe('');
    },
  );

  it('reports a broken config and a missing file exactly as lib/cli.js does', () => {
    writeFileSync(join(dir, 'handover.config.yaml'), CONFIG_TEXT.replace('slack:', 'slak:'));
    writeFileSync(join(dir, MANIFEST), BASE);
    const args = [MANIFEST, 'handovers/missing.yaml'];
    const fast = viaBin(args);
    expect(fast.code).toBe(2);
    expect(fast).toEqual(viaEsmCli(args));
  });

  it('reports flag mistakes exactly as lib/cli.js does', () => {
    const fast = viaBin(['--format', 'xml']);
    expect(fast.code).toBe(2);
    expect(fast).toEqual(viaEsmCli(['--format', 'xml']));
    expect(viaBin(['--bogus'])).toEqual(viaEsmCli(['--bogus']));
  });

  it('writes a report larger than a pipe holds whole, to a pipe and to a file alike', async () => {
    // 400 manifests with a misspelt key each: well over the 64 KiB a pipe buffers.
    for (let i = 0; i < 400; i++) {
      const id = `2099-11-${String(i).padStart(3, '0')}-alice-to-bob`;
      writeFileSync(
        join(dir, 'handovers', `${id}.yaml`),
        BASE.replace('id: 2026-11-26-alice-to-bob', `id: ${id}`).replace('reason:', 'reasn:'),
      );
    }
    const outFile = join(dir, 'report.txt');
    const fd = openSync(outFile, 'w');
    try {
      spawnSync(process.execPath, [BIN, 'validate'], { cwd: dir, stdio: ['ignore', fd, 'ignore'] });
    } finally {
      closeSync(fd);
    }
    const toFile = readFileSync(outFile, 'utf8');

    // More than the pipe holds: the command's writes wait for this process to read.
    const child = spawn(process.execPath, [BIN, 'validate'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(exitCode).toBe(1);

    expect(Buffer.byteLength(toFile)).toBeGreaterThan(64 * 1024);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(toFile);
    expect(toFile).toMatch(/\n400 manifests and the config checked: 800 errors\n$/);
  });
});

describe('the code cache of lib/validate.cjs', () => {
  it('is made by the build for the Node that runs the command', () => {
    const accepted = run([
      '-e',
      `const { loadBundle } = require(${JSON.stringify(BIN)});` +
        `process.stdout.write(String(loadBundle(${JSON.stringify(LIB_VALIDATE)}).script.cachedDataRejected));`,
    ]);
    expect(accepted.stdout).toBe('false');
  });

  const capture = () => {
    let stdout = '';
    const io = {
      stdout: (text: string) => {
        stdout += text;
      },
      stderr: (text: string) => {
        stdout += text;
      },
      env: {},
      cwd: dir,
      isTTY: false,
    };
    return { io, output: () => stdout };
  };

  it.each([
    { name: 'made for another build', cache: (good: Buffer) => Buffer.concat([Buffer.from('x'), good]) },
    {
      name: 'damaged',
      cache: (good: Buffer) => Buffer.concat([good.subarray(0, good.indexOf(10) + 1), Buffer.alloc(4096, 7)]),
    },
    { name: 'cut short', cache: (good: Buffer) => good.subarray(0, good.length >> 1) },
    { name: 'empty', cache: () => Buffer.alloc(0) },
  ])('is ignored when $name: the command compiles from source and reports the same', async ({ cache }) => {
    writeFileSync(join(dir, MANIFEST), MANIFESTS['a credential in a comment'] ?? '');
    const copy = join(dir, 'validate.cjs');
    copyFileSync(LIB_VALIDATE, copy);
    writeFileSync(`${copy}.cache`, cache(readFileSync(`${LIB_VALIDATE}.cache`)));

    const expected = capture();
    const expectedCode = await loadBundle(LIB_VALIDATE).exports.main(['validate', MANIFEST], expected.io);
    const actual = capture();
    const bundle = loadBundle(copy);
    expect(bundle.script.cachedDataRejected).not.toBe(false);
    expect(await bundle.exports.main(['validate', MANIFEST], actual.io)).toBe(expectedCode);
    expect(actual.output()).toBe(expected.output());
    expect(expectedCode).toBe(1);
  });
});
