#!/usr/bin/env node
// Benchmark of `handover validate` over an on-call repository's history (issue: history is not noise):
// 300 merged manifests whose windows ended long ago, the example manifests of handovers/ among their
// shapes, validated as CI validates the whole folder. Targets: no warning about any of them (a folder is
// history: time rules such as window.past apply only to files named explicitly) and under 1 s for the
// whole process. Prints figures and a verdict; exits non-zero only when it could not run or a manifest
// is reported (that is a defect, not a slow machine).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.handover);
const COUNT = 300;
const RUNS = 7;
const TARGET_MS = 1000;

/** The examples, moved back into the past by whole years: 2026-12-03 becomes 2019-12-03, and so on. */
function history(dir) {
  const examples = readdirSync(join(root, 'handovers/2026')).filter((name) => name.endsWith('.yaml'));
  for (let i = 0; i < COUNT; i++) {
    const source = examples[i % examples.length];
    const year = 2019 - Math.floor(i / examples.length);
    const oldId = source.replace(/\.yaml$/, '');
    const id = oldId.replace(/^2026-/, `${year}-`);
    // Unique per copy: the day stays, the year moves back one per round of examples.
    const text = readFileSync(join(root, 'handovers/2026', source), 'utf8').replaceAll('2026-', `${year}-`);
    mkdirSync(join(dir, 'handovers', String(year)), { recursive: true });
    writeFileSync(join(dir, 'handovers', String(year), `${id}.yaml`), text);
  }
}

function run(cwd, args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { ms: performance.now() - started, ...result };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const work = mkdtempSync(join(tmpdir(), 'handover-bench-history-'));
try {
  copyFileSync(join(root, 'handover.config.yaml'), join(work, 'handover.config.yaml'));
  history(work);
  let failed = false;
  for (const args of [['validate'], ['validate', 'handovers']]) {
    const first = run(work, args);
    const expected = `${COUNT} manifests and the config checked: no problems\n`;
    if (first.status !== 0 || first.stdout !== expected) {
      console.log(`handover ${args.join(' ')}: exit ${first.status}, expected "${expected.trim()}", got:`);
      console.log(first.stdout.split('\n').slice(-5).join('\n'), first.stderr);
      failed = true;
      continue;
    }
    const ms = median(Array.from({ length: RUNS }, () => run(work, args).ms));
    console.log(
      `handover ${args.join(' ').padEnd(18)} ${COUNT} past manifests: ${ms.toFixed(0)} ms (median of ${RUNS}), no warning; target < ${TARGET_MS} ms: ${ms < TARGET_MS ? 'met' : 'MISSED'}`,
    );
  }
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
