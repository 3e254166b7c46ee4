#!/usr/bin/env node
// Generates the reference pages in docs/reference/ from their single sources, so they cannot drift:
//   manifest.md  schemas/handover.schema.json      config.md  schemas/config.schema.json
//   rules.md     src/rules/registry.ts
//   commands.md  src/cli/usage.ts (what `handover --help` prints too)
// `npm run docs` writes them; `npm run check-docs` (`--check`) exits 1 when the committed pages differ.
// `--dir DIR` writes or checks another folder (the tests use it). The generator is TypeScript
// (scripts/gen-reference/); esbuild, which builds the CLI too, bundles it for this run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function loadGenerator() {
  const out = mkdtempSync(join(tmpdir(), 'handover-gen-reference-'));
  try {
    const file = join(out, 'generator.mjs');
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['scripts/gen-reference/index.ts'],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      // Dependencies (yaml) are bundled too: the temporary folder has no node_modules to resolve them from.
      // yaml's CommonJS build calls require() for Node built-ins: give the ESM bundle one, as build.mjs does.
      banner: {
        js: "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    return await import(pathToFileURL(file).href);
  } finally {
    // The module is in memory once imported; the file is not needed any more.
    rmSync(out, { recursive: true, force: true });
  }
}

function fail(message) {
  process.stderr.write(`gen-reference: ${message}\n`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: { check: { type: 'boolean' }, dir: { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(
    `gen-reference: ${error.message}\nusage: node scripts/gen-reference.mjs [--check] [--dir DIR]\n`,
  );
  process.exit(2);
}

const generator = await loadGenerator().catch((error) =>
  fail(`cannot build the generator: ${error.message}`),
);
const dir = resolve(process.cwd(), values.dir ?? join(root, generator.REFERENCE_DIR));
const shown = relative(process.cwd(), dir) || '.';

let pages;
try {
  pages = generator.generateReference(root);
} catch (error) {
  fail(error.message);
}

const drift = generator.compareReference(pages, dir);
if (values.check) {
  if (drift.length === 0) {
    process.stdout.write(`${shown}: the ${pages.size} reference pages are current.\n`);
  } else {
    for (const { file, problem } of drift) process.stderr.write(`${join(shown, file)}: ${problem}\n`);
    fail(`${shown} is not what the sources generate: run \`npm run docs\` and commit the result.`);
  }
} else {
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of pages) writeFileSync(join(dir, file), text);
  for (const { file, problem } of drift) if (problem === 'not generated') rmSync(join(dir, file));
  const changed = drift.map(
    ({ file, problem }) =>
      `${file} (${problem === 'not generated' ? 'removed' : problem === 'missing' ? 'new' : 'updated'})`,
  );
  process.stdout.write(
    changed.length === 0 ? `${shown}: already current.\n` : `${shown}: ${changed.join(', ')}.\n`,
  );
}
