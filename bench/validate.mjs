#!/usr/bin/env node
// Benchmark of `handover validate`: the whole-process time of the installed command (the
// file package.json "bin" names, run as `node BIN ...`) on one typical manifest and on 500 manifests,
// each as a ratio to a bare `node -e 0` started the same way in the same run (medians of several
// runs after a warm-up; bare Node, the CLI floor and one manifest are measured in turns, so that the
// machine's load weighs on them alike). The target is one manifest within 2× bare Node startup.
//
// It measures the CLI bundles in lib/ (built by `npm ci` or `npm run build`; built here if missing):
// validate runs lib/validate.cjs (CommonJS, with the V8 code cache the build stores beside it; the
// last line says whether the cache is there), every other command lib/cli.js (ESM). Benchmarks are
// not tests: this prints figures and a verdict, and exits non-zero only when it could not run.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The installed command: whatever package.json "bin" names, run as a whole process like `node -e 0`.
const BIN = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.handover);
const EXAMPLE = 'handovers/2026/2026-12-03-alice-to-bob.yaml';
const RUNS = 15;
const RUNS_500 = 5;
const TARGET = 2;

function run(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
  }
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function measure(args, cwd, runs) {
  run(args, cwd); // warm-up: file cache, lazily compiled code
  return median(Array.from({ length: runs }, () => run(args, cwd)));
}

/**
 * Medians of several commands measured in turns (one run of each per round), so that a change in the
 * machine's load during the benchmark weighs on all of them alike instead of skewing their ratios.
 */
function measureInTurns(commands, runs) {
  for (const { args, cwd } of commands) run(args, cwd); // warm-up: file cache, lazily compiled code
  const times = commands.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [i, { args, cwd }] of commands.entries()) times[i].push(run(args, cwd));
  }
  return times.map(median);
}

/** 500 valid manifests of several shapes, each with its own id and file name. */
function writeManifests(dir, example) {
  for (let i = 0; i < 500; i++) {
    const id = `2026-12-${String(i).padStart(3, '0')}-alice-to-bob`;
    const text = example
      .replace('id: 2026-12-03-alice-to-bob', `id: ${id}`)
      .replace('Q1ABCDEF12345', `Q1BENCH${String(i).padStart(6, '0')}`);
    writeFileSync(join(dir, 'handovers', String(2026 + (i % 3)), `${id}.yaml`), text);
  }
}

if (!existsSync(join(root, 'lib/cli.js')) || !existsSync(join(root, 'lib/validate.cjs'))) {
  console.log('lib/ is missing: building the CLI (node scripts/build.mjs --cli-only)');
  run([join(root, 'scripts/build.mjs'), '--cli-only'], root);
}

const cacheFile = join(root, 'lib/validate.cjs.cache');
const codeCache = existsSync(cacheFile)
  ? `V8 code cache lib/validate.cjs.cache, ${Math.round(statSync(cacheFile).size / 1024)} KiB`
  : 'no code cache: compiled from source';

const work = mkdtempSync(join(tmpdir(), 'handover-bench-validate-'));
try {
  const one = join(work, 'one');
  const many = join(work, 'many');
  for (const dir of [one, many]) {
    mkdirSync(join(dir, 'handovers/2026'), { recursive: true });
    copyFileSync(join(root, 'handover.config.yaml'), join(dir, 'handover.config.yaml'));
  }
  copyFileSync(join(root, EXAMPLE), join(one, EXAMPLE));
  for (const year of ['2027', '2028']) mkdirSync(join(many, 'handovers', year));
  writeManifests(many, readFileSync(join(root, EXAMPLE), 'utf8'));

  const [bare, floor, single] = measureInTurns(
    [
      { args: ['-e', '0'], cwd: work },
      // The floor of the commands other than validate: the bin, Node's ESM loader and lib/cli.js, no work.
      { args: [BIN, '--version'], cwd: work },
      { args: [BIN, 'validate', EXAMPLE], cwd: one },
    ],
    RUNS,
  );
  const five = measure([BIN, 'validate'], many, RUNS_500);
  const ratio = single / bare;
  console.log(`node -e 0 (bare startup):           ${bare.toFixed(1)} ms (median of ${RUNS})`);
  console.log(
    `handover --version (ESM CLI floor):  ${floor.toFixed(1)} ms = ${(floor / bare).toFixed(2)}× bare startup`,
  );
  console.log(
    `validate 1 manifest + config:        ${single.toFixed(1)} ms = ${ratio.toFixed(2)}× bare startup (target ≤ ${TARGET}×): ${ratio <= TARGET ? 'met' : 'MISSED'}`,
  );
  console.log(
    `validate 500 manifests + config:     ${five.toFixed(1)} ms = ${(five / bare).toFixed(2)}× bare startup, ` +
      `${((five - single) / 499).toFixed(2)} ms per extra manifest (median of ${RUNS_500})`,
  );
  console.log(
    `validate's own cost over bare startup: ${(single - bare).toFixed(1)} ms for one manifest and the config ` +
      `(${codeCache})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
