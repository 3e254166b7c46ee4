#!/usr/bin/env node
// Builds the two bundles from src/:
//   lib/       the CLI (`bin/handover.js` loads lib/cli.js); built by `npm ci` (prepare), not committed.
//              Code-split so that `handover validate` loads only the parser, never the HTTP clients.
//   dist/      the GitHub Action, one file, committed because Actions runs it without installing.
// `--check` rebuilds the action into a temporary folder and fails if the committed dist/ differs.
// `--cli-only` skips the action bundle (the test suite's global setup uses it).
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
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
    const old = join(root, `.lib-old-${process.pid}`);
    if (existsSync(join(root, 'lib'))) renameSync(join(root, 'lib'), old);
    renameSync(staging, join(root, 'lib'));
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
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
