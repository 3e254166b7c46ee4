#!/usr/bin/env node
// Builds the bundles from src/:
//   lib/       the CLI (`bin/handover.cjs` loads it); built by `npm ci` (prepare), not committed.
//              cli.js: every command, code-split so that a command loads only what it uses.
//              validate.cjs: `handover validate` alone as CommonJS (it starts faster than ESM), with
//              validate.cjs.cache, V8's code cache after validating the repository's examples once
//              (scripts/validate-code-cache.mjs). The cache only saves time; a stale or rejected one
//              is ignored.
//   dist/      the GitHub Action, one file, committed because Actions runs it without installing.
// `--check` rebuilds the action into a temporary folder and fails if the committed dist/ differs.
// `--cli-only` skips the action bundle (the test suite's global setup uses it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

// CommonJS dependencies (pdjs, @slack/web-api) call require() for Node built-ins; give the ESM bundle one.
const banner = {
  js: "import { createRequire as __handoverCreateRequire } from 'node:module';\nconst require = __handoverCreateRequire(import.meta.url);",
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner,
  legalComments: 'none',
  logLevel: 'warning',
  // Keep output byte-identical between machines: no absolute paths, no timestamps.
  sourcemap: false,
  charset: 'utf8',
};

async function buildCli() {
  // Build beside lib/ and swap it in, so a CLI process started by a concurrent test run never finds
  // lib/ half-deleted.
  const staging = join(root, `.lib-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    await esbuild.build({
      ...common,
      entryPoints: { cli: 'src/cli/main.ts' },
      outdir: staging,
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    });
    await buildValidateFastPath(staging);
    const old = join(root, `.lib-old-${process.pid}`);
    if (existsSync(join(root, 'lib'))) renameSync(join(root, 'lib'), old);
    renameSync(staging, join(root, 'lib'));
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * lib/validate.cjs and its code cache. The bundle's first line names its content hash; the cache file
 * starts with the same line, so bin/handover.cjs never applies a cache made for another build.
 */
async function buildValidateFastPath(outdir) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/validate-main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The only use of import.meta.url is createRequire(import.meta.url) in source-file.ts (to load
    // node:crypto on demand); createRequire takes the file's path as well, which CommonJS has.
    define: { 'import.meta.url': '__filename' },
    // Minified: half the bytes to read and deserialize on every run. Names stay meaningful where it
    // matters: every error class of ours sets its `name` explicitly.
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    sourcemap: false,
    // ASCII only (non-ASCII characters escaped): V8 then holds the source as a one-byte string,
    // which reads faster.
    charset: 'ascii',
    write: false,
  });
  const code = result.outputFiles[0].text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(outdir, 'validate.cjs');
  writeFileSync(file, `// handover build ${hash}\n${code}`);
  // A fresh Node process, without NODE_OPTIONS, so the cache is made under the flags the CLI runs with
  // (V8 rejects a cache made under other flags).
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const warmUp = spawnSync(process.execPath, [join(root, 'scripts/validate-code-cache.mjs'), file], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  if (warmUp.status !== 0) {
    // Only startup time is lost: bin/handover.cjs compiles the bundle from source without a cache.
    console.warn(`lib/validate.cjs.cache not written: ${warmUp.stderr || warmUp.stdout || warmUp.error}`);
  }
}

async function buildAction(outdir) {
  await esbuild.build({
    ...common,
    entryPoints: { index: 'src/action/index.ts' },
    outdir,
    splitting: false,
  });
}

if (!args.has('--check')) await buildCli();
if (!args.has('--cli-only') && existsSync(join(root, 'src/action/index.ts'))) {
  if (args.has('--check')) {
    const out = mkdtempSync(join(tmpdir(), 'handover-dist-'));
    try {
      await buildAction(out);
      const built = readFileSync(join(out, 'index.js'), 'utf8');
      const committedPath = join(root, 'dist/index.js');
      const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : '';
      if (built !== committed) {
        console.error('dist/index.js is not what src/ builds: run `npm run build` and commit dist/.');
        process.exit(1);
      }
      console.log('dist/index.js is current.');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  } else {
    await buildAction(join(root, 'dist'));
  }
}
