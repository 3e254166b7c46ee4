#!/usr/bin/env node
// Scale benchmark (`npm run bench:scale`, also part of `npm run bench`): a handover of 2,000
// incidents, 2,000 pinned tickets (a third with an impersonation session) and 500 rollouts, with
// 50 ms of latency on every service and PagerDuty at its real limit, 960 requests a minute (the
// client paces at 950, src/providers/pacing.ts). It measures:
//   - plan, in-process: its time against its own read floor (the requests plan must make: every page
//     of each list, pages behind a cursor one after another, at the latency and within the rate limit);
//   - apply, as the real CLI in a child process with --journal: wall time, PagerDuty requests per
//     incident, the ratio to the floor of its PagerDuty writes at the limit, the peak resident memory
//     (VmHWM from /proc), the longest silence of its output, and how the journal file grew during
//     the run. It takes about five minutes: the notes alone are 4,000 PagerDuty writes at 15 a second.
// Benchmarks are not tests: this prints figures and a verdict, and exits non-zero only when it could
// not run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The alert storm. `npm run bench:scale -- --small` runs a tenth of it, to try the bench quickly.
const SIZES = process.argv.includes('--small')
  ? [{ incidents: 200, tickets: 200, rollouts: 50 }]
  : [{ incidents: 2000, tickets: 2000, rollouts: 500 }];
let INCIDENTS = 0;
let TICKETS = 0;
let ROLLOUTS = 0;
const LATENCY_MS = 50;
const LIMIT = { requests: 960, windowMs: 60_000 };
const BULK_MAX = 250;
const TARGETS = { planRatio: 2, applyMiB: 200, silenceSeconds: 6 };

if (!isMainThread) {
  await planInWorker(workerData);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'handover-bench-scale-'));
try {
  // The CLI runs from lib/ (built by `npm ci`'s prepare); build it so it matches src/.
  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--cli-only'], { cwd: root });
  if (built.status !== 0) throw new Error(`building lib/ failed: ${built.stderr}`);
  const lib = await buildLibrary(work);
  for (const size of SIZES) {
    INCIDENTS = size.incidents;
    TICKETS = size.tickets;
    ROLLOUTS = size.rollouts;
    console.log(
      `scale: ${INCIDENTS} incidents, ${TICKETS} tickets, ${ROLLOUTS} rollouts; ${LATENCY_MS} ms latency on every service; PagerDuty limited to ${LIMIT.requests} requests a minute (its real limit)`,
    );
    const sandbox = await lib.startSandbox();
    try {
      const world = arrange(lib, sandbox, join(work, `${INCIDENTS}`));
      const faults = {
        pagerduty: { latencyMs: LATENCY_MS, rateLimit: LIMIT },
        platform: { latencyMs: LATENCY_MS },
        slack: { latencyMs: LATENCY_MS },
        github: { latencyMs: LATENCY_MS },
      };
      sandbox.faults.set(faults);

      // plan, in a worker thread: the sandbox on this thread stands for services on other machines,
      // whose work (pages of 100 incidents, 2,000 tickets) must not stall plan's event loop. A first
      // plan compiles the validators and warms the code; the timed one is the second.
      const planner = new Worker(fileURLToPath(import.meta.url), {
        workerData: {
          libUrl: lib.url,
          plan: {
            manifestPath: world.manifestPath,
            displayPath: world.manifestRepoPath,
            configPath: world.configPath,
            env: world.env,
            cwd: world.dir,
          },
        },
      });
      const fromPlanner = () =>
        new Promise((resolve, reject) => {
          planner.once('message', resolve);
          planner.once('error', reject);
        });
      const { seconds: coldSeconds } = await fromPlanner();
      sandbox.requests.length = 0;
      const planCpu = process.cpuUsage();
      planner.postMessage('again');
      const { seconds: planSeconds, outcome } = await fromPlanner();
      await planner.terminate();
      const planCpuUsage = process.cpuUsage(planCpu);
      const planCpuSeconds = (planCpuUsage.user + planCpuUsage.system) / 1e6;
      if (outcome.kind === 'invalid-manifest') {
        const [first] = outcome.diagnostics;
        console.log(
          `NOT RUN: the manifest of this handover is refused before anything is read: [${first?.rule}] ${first?.message} (${outcome.diagnostics.length} diagnostic(s))`,
        );
        continue;
      }
      if (outcome.kind !== 'planned') throw new Error(`plan: ${outcome.kind}: ${outcome.message ?? ''}`);
      const planReads = countBy(sandbox.requests);
      const cursorPages = (path) =>
        sandbox.requests.filter((r) => r.service === 'platform' && r.method === 'GET' && r.path === path)
          .length;
      // PagerDuty's lists: the first page, then the rest side by side: two round trips. The platform's
      // lists follow a cursor: one round trip per page.
      const chain = Math.max(
        2,
        cursorPages('/tickets'),
        cursorPages('/impersonation-sessions'),
        cursorPages('/rollouts'),
      );
      const rateFloor =
        Math.floor(Math.max(0, planReads.pagerduty - 1) / LIMIT.requests) * (LIMIT.windowMs / 1000);
      const planFloor = Math.max(rateFloor, (chain * LATENCY_MS) / 1000);
      console.log(
        `plan: ${planSeconds.toFixed(2)} s (the first, cold: ${coldSeconds.toFixed(2)} s; CPU of this process, plan and the sandbox, during it ${planCpuSeconds.toFixed(2)} s, load average ${loadavg()[0].toFixed(1)}); reads: pagerduty ${planReads.pagerduty}, platform ${planReads.platform}; read floor ${planFloor.toFixed(2)} s = max(${planReads.pagerduty} PagerDuty reads within ${LIMIT.requests} a minute = ${rateFloor.toFixed(2)} s, longest chain of ${chain} pages × ${LATENCY_MS} ms); ${(planSeconds / planFloor).toFixed(2)}× the floor (target ≤ ${TARGETS.planRatio}): ${planSeconds / planFloor <= TARGETS.planRatio ? 'met' : 'MISSED'}`,
      );

      // apply, as the CLI. Plan runs on the pull request, apply after the merge, minutes apart: apply
      // starts with PagerDuty's minute fresh, not with the 50 reads the two plans above just spent
      // (the client cannot know of another process's requests; they would cost 429s ~45 s in).
      sandbox.faults.set(faults);
      sandbox.requests.length = 0;
      const run = await runApply(world);
      if (run.code !== 0) throw new Error(`apply exited ${run.code}: ${run.stderr.slice(-2000)}`);
      const sent = countBy(sandbox.requests);
      const pdWrites = sandbox.requests.filter(
        (r) => r.service === 'pagerduty' && r.mutation && r.fault !== 'rate-limited',
      ).length;
      const limited = sandbox.requests.filter((r) => r.fault === 'rate-limited').length;
      const bulk = Math.ceil(INCIDENTS / BULK_MAX);
      const overrides = sandbox.requests.filter(
        (r) => r.service === 'pagerduty' && r.mutation && /\/overrides$/.test(r.path),
      ).length;
      const minimum = 2 * INCIDENTS + 2 * bulk + overrides;
      // A window's worth may go at once; each further window's worth waits a window (as for plan above).
      const floor = Math.max(
        Math.floor(Math.max(0, minimum - 1) / LIMIT.requests) * (LIMIT.windowMs / 1000),
        (18 * LATENCY_MS) / 1000,
      );
      const mib = run.peakKiB / 1024;
      console.log(
        `apply: ${run.seconds.toFixed(1)} s; pagerduty requests ${sent.pagerduty} (${limited} answered 429, writes ${pdWrites}; minimum writes ${minimum}), platform ${sent.platform}, slack ${sent.slack}, github ${sent.github}`,
      );
      console.log(`apply pagerduty requests per incident: ${(sent.pagerduty / INCIDENTS).toFixed(2)}`);
      console.log(
        `apply ratio to floor: ${(run.seconds / floor).toFixed(2)} (floor ${floor.toFixed(1)} s = ${minimum} PagerDuty writes within ${LIMIT.requests} a minute)`,
      );
      console.log(
        `apply memory: peak resident ${mib.toFixed(1)} MiB (whole process; target < ${TARGETS.applyMiB}): ${mib < TARGETS.applyMiB ? 'met' : 'MISSED'}`,
      );
      console.log(
        `apply progress: ${run.lines} log lines, ${run.progressLines} of them progress lines; longest silence ${run.longestSilence.toFixed(1)} s (target ≤ ${TARGETS.silenceSeconds} s): ${run.longestSilence <= TARGETS.silenceSeconds ? 'met' : 'MISSED'}`,
      );
      console.log(
        `apply journal: streamed to --journal during the run (${run.journalSamples} size samples growing, ${(run.journalBytesMid / 1024).toFixed(0)} KiB half way through); finished file ${(run.journalBytes / 1024).toFixed(0)} KiB with ${run.journalActions} actions`,
      );
    } finally {
      await sandbox.close();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function countBy(requests) {
  const count = { pagerduty: 0, platform: 0, slack: 0, github: 0 };
  for (const r of requests) count[r.service] += 1;
  return count;
}

async function buildLibrary(dir) {
  const outfile = join(dir, 'bench-lib.mjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { startSandbox } from './src/sandbox/index.ts';",
        "export { planHandover } from './src/core/plan.ts';",
        "export { loadConfig } from './src/config/index.ts';",
        "export { SEED_INCIDENTS } from './src/sandbox/pagerduty.ts';",
        "export { PLATFORM_SEED } from './src/sandbox/platform.ts';",
        "export { SEED_ADMINS } from './src/sandbox/roster.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  });
  const url = pathToFileURL(outfile).href;
  return Object.assign(Object.create(null), await import(url), { url });
}

/** The planner thread: plans once (cold), then again when asked, timing each and sending the outcome's kind. */
async function planInWorker({ libUrl, plan }) {
  const lib = await import(libUrl);
  const { config } = lib.loadConfig(plan.configPath);
  const once = async () => {
    const start = process.hrtime.bigint();
    const outcome = await lib.planHandover({
      manifestPath: plan.manifestPath,
      displayPath: plan.displayPath,
      config,
      env: plan.env,
      now: () => new Date(),
      pullRequest: null,
      cwd: plan.cwd,
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return {
      seconds,
      outcome: { kind: outcome.kind, message: outcome.message, diagnostics: outcome.diagnostics ?? [] },
    };
  };
  parentPort.postMessage(await once());
  await new Promise((resolve) => parentPort.once('message', resolve));
  parentPort.postMessage(await once());
}

function arrange(lib, sandbox, dir) {
  const { pagerduty, platform, github } = sandbox.emulators;
  const alice = lib.SEED_ADMINS.alice;
  for (const id of [
    lib.SEED_INCIDENTS.euApiLatency,
    lib.SEED_INCIDENTS.buildRunnerDisk,
    lib.SEED_INCIDENTS.adminCertificate,
  ])
    pagerduty.resolveIncident(id, alice.pagerduty);
  for (const id of [
    lib.PLATFORM_SEED.ticketWaitingOnCustomer,
    lib.PLATFORM_SEED.ticketWaitingOnEngineering,
    lib.PLATFORM_SEED.ticketActive,
  ])
    platform.setTicket(id, { pinned: false });
  for (const flag of [lib.PLATFORM_SEED.rolloutRamping, lib.PLATFORM_SEED.rolloutPaused])
    platform.setRollout(flag, { state: 'complete' });
  const incidents = [];
  for (let i = 0; i < INCIDENTS; i += 1) {
    const id = pagerduty.addIncident({
      title: `Storm incident ${i}: elevated error rate on shard ${i % 17}`,
      assigneeIds: [alice.pagerduty],
      status: i % 2 === 0 ? 'triggered' : 'acknowledged',
    });
    incidents.push({
      id,
      status: {
        hypothesis: `Shard ${i % 17} runs hot after the last deploy.`,
        lastAction: `Drained two nodes of shard ${i % 17} at 14:00 UTC.`,
        nextAction: 'Watch the error rate for an hour, then roll back if it stays high.',
      },
    });
  }
  const tickets = [];
  for (let i = 0; i < TICKETS; i += 1) {
    const id = `SCL-${INCIDENTS * 10 + i}`;
    platform.addTicket({
      id,
      title: `Storm ticket ${i}`,
      assignee: alice.tracker,
      pinned: true,
      labels: ['storm'],
    });
    const kind = i % 3;
    if (kind === 0) tickets.push({ id, disposition: 'waiting_on_customer' });
    else if (kind === 1)
      tickets.push({
        id,
        disposition: 'waiting_on_engineering',
        engineeringIssue: `novavms/platform#${20000 + i}`,
      });
    else {
      const session = platform.addSession({
        id: `imp_SCALE${INCIDENTS}_${i}`,
        admin: alice.tracker,
        ticketId: id,
      });
      tickets.push({ id, disposition: 'active', impersonationSession: session.id });
    }
  }
  const rollouts = [];
  for (let i = 0; i < ROLLOUTS; i += 1) {
    const flag = `storm-flag-${i}`;
    platform.addRollout({
      flag,
      state: 'ramping',
      rampPercent: 20,
      errorRatePercent: 0.2,
      owner: alice.tracker,
    });
    rollouts.push({
      flag,
      state: 'ramping',
      rampPercent: 20,
      lastErrorRatePercent: 0.2,
      nextStep: 'Ramp to 40% tomorrow if the error rate stays under 0.5%.',
    });
  }
  mkdirSync(join(dir, 'handovers'), { recursive: true });
  const configPath = join(dir, 'handover.config.yaml');
  writeFileSync(configPath, sandbox.configYaml());
  const { config } = lib.loadConfig(configPath);
  const start = new Date(Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000);
  const id = 'scale-alice-to-bob';
  const manifestRepoPath = `handovers/${id}.yaml`;
  const manifestPath = join(dir, manifestRepoPath);
  writeFileSync(
    manifestPath,
    stringify(
      {
        apiVersion: 'handover/v1',
        kind: 'Handover',
        id,
        variant: 'planned',
        reason: 'rotation',
        outgoing: 'alice',
        incoming: 'bob',
        window: { start: start.toISOString(), end: new Date(start.getTime() + 2 * 3_600_000).toISOString() },
        incidents,
        tickets,
        rollouts,
      },
      { lineWidth: 0 },
    ),
  );
  const pull = github.createPullRequest({
    author: lib.SEED_ADMINS.alice.github,
    title: 'Scale handover',
    files: [{ filename: manifestRepoPath, status: 'added' }],
  });
  github.addReview(pull.number, { user: lib.SEED_ADMINS.bob.github, state: 'APPROVED' });
  github.merge(pull.number);
  return { dir, config, configPath, manifestPath, manifestRepoPath, env: sandbox.env(), pull: pull.number };
}

/** The real CLI in a child process, watched from outside: memory, output gaps, journal growth. */
function runApply(world) {
  return new Promise((resolvePromise, reject) => {
    const journalPath = join(world.dir, 'journal.json');
    const began = Date.now();
    const child = spawn(
      process.execPath,
      [
        join(root, 'bin/handover.js'),
        'apply',
        world.manifestRepoPath,
        '--config',
        world.configPath,
        '--pull-request',
        String(world.pull),
        '--journal',
        'journal.json',
        '--deadline',
        '3600',
      ],
      {
        cwd: world.dir,
        env: { ...process.env, ...world.env, GITHUB_ACTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let peakKiB = 0;
    let lines = 0;
    let progressLines = 0;
    let lastOutput = Date.now();
    let longestSilence = 0;
    let stderr = '';
    let journalSamples = 0;
    const journalSizes = [];
    let lastJournal = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
      } catch {}
      if (existsSync(journalPath)) {
        const size = statSync(journalPath).size;
        if (size > lastJournal) journalSamples += 1;
        lastJournal = size;
        journalSizes.push({ at: Date.now() - began, size });
      }
    };
    const timer = setInterval(sample, 200);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const now = Date.now();
      longestSilence = Math.max(longestSilence, (now - lastOutput) / 1000);
      lastOutput = now;
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        lines += 1;
        if (line.trimStart().startsWith('progress ')) progressLines += 1;
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
      resolvePromise({
        code,
        stderr,
        seconds: (Date.now() - began) / 1000,
        peakKiB,
        lines,
        progressLines,
        longestSilence,
        journalSamples,
        journalBytesMid: journalSizes.find((s) => s.at >= (Date.now() - began) / 2)?.size ?? 0,
        journalBytes: statSync(journalPath).size,
        journalActions: journal.actions.length,
      });
    });
  });
}
