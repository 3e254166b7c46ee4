#!/usr/bin/env node
// Benchmark of apply's catch-up scan (issue 12): the default branch's whole first-parent history read
// for the manifests each merge added — no date cut-off — on a repository with 1 000 merged manifests
// among 3 000 commits (every third one a handover, the others unrelated changes, some with 2001 dates).
// Target: under 2 s for the scan. The repository is written with `git fast-import` so that building it
// does not dominate the run.
//
// Benchmarks are not tests: this prints figures and a verdict, and exits non-zero only when it could
// not run (or the scan did not find every manifest).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFESTS = 1000;
const COMMITS = 3000;
const TARGET_SECONDS = 2;

const work = mkdtempSync(join(tmpdir(), 'handover-bench-catch-up-'));
try {
  const outfile = join(work, 'lib.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'src/action/apply/git-history.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  const { GitHistory, gitRunner } = await import(pathToFileURL(outfile).href);

  const repo = join(work, 'repo');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work };
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { env });
  const started = Date.now();
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: repo,
    env,
    input: fastImport(),
    maxBuffer: 1 << 28,
  });
  console.log(
    `catch-up scan: ${MANIFESTS} merged manifests in ${COMMITS} commits (repository written in ${((Date.now() - started) / 1000).toFixed(2)} s)`,
  );

  const history = new GitHistory(gitRunner(repo, { PATH: process.env.PATH, HOME: work }));
  const head = await history.head();
  const times = [];
  let found = 0;
  for (let i = 0; i < 5; i += 1) {
    const t0 = process.hrtime.bigint();
    found = (await history.addedManifests(head)).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `scan of the whole history: median ${median.toFixed(3)} s over ${times.length} runs (min ${times[0].toFixed(3)} s), ${found} manifests found (target < ${TARGET_SECONDS} s): ${median < TARGET_SECONDS && found === MANIFESTS ? 'met' : 'MISSED'}`,
  );
  if (found !== MANIFESTS) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** A fast-import stream: COMMITS commits on main, every third adding one manifest. */
function fastImport() {
  const out = [];
  const base = Date.UTC(2026, 0, 1) / 1000;
  let manifest = 0;
  for (let i = 1; i <= COMMITS; i += 1) {
    // Every 97th commit claims to be from 2001: no date may hide what comes before it.
    const when = i % 97 === 0 ? Date.UTC(2001, 0, 1) / 1000 : base + i * 600;
    const isManifest = i % 3 === 0 && manifest < MANIFESTS;
    const path = isManifest
      ? `handovers/2026/2026-${String(manifest).padStart(4, '0')}-alice-to-bob.yaml`
      : `notes/change-${i}.md`;
    if (isManifest) manifest += 1;
    const content = isManifest ? `id: h${manifest}\nkind: Handover\n` : `change ${i}\n`;
    const message = `commit ${i}`;
    out.push(
      'commit refs/heads/main',
      `committer GitHub <noreply@github.example> ${when} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
      `M 100644 inline ${path}`,
      `data ${Buffer.byteLength(content)}`,
      content,
    );
  }
  return `${out.join('\n')}\n`;
}
