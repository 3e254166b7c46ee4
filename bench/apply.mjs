#!/usr/bin/env node
// Benchmark of `handover apply`: one handover of 200 incidents, 200 pinned tickets and 50 rollouts
// against the sandbox, with 50 ms of latency on every service and a PagerDuty-like rate limit. It
// measures the run against the true floor: the writes the runbook requires, not the requests apply
// chose to make. Per incident the runbook needs a status note and an acknowledgement note (one
// request each: PagerDuty has no bulk notes); reassignment and acknowledgement go in one PUT
// /incidents per 250 incidents; the override, the ticket, session and rollout writes come on top.
// The floor is the larger of those PagerDuty writes at the rate limit and the longest chain of
// requests that depend on each other at the latency. A sequential run (one item and one request in
// flight per service) of the same handover on an identical world is measured in the same process.
//
// The sandbox runs in a worker thread, apply on the main thread: the services apply talks to are
// remote, and their work (building a page of 100 incidents, answering 400 notes) must not stall
// apply's event loop as it would if both shared one thread. bench/scale.mjs does the same with a
// child process.
//
// PagerDuty documents 960 requests a minute per API key; the bench scales it up five times (80 a
// second, in one-second windows) so it takes seconds. The ratio to the floor does not depend on the
// scale as long as the rate limit, not the latency, binds. bench/scale.mjs runs 10× the items at the
// real limit.
//
// Benchmarks are not tests: this prints figures and a verdict, and exits non-zero only when it could
// not run (or apply did not succeed).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INCIDENTS = 200;
const TICKETS = 200;
const ROLLOUTS = 50;
const LATENCY_MS = 50;
const PAGERDUTY_PER_SECOND = 80; // 960 a minute, scaled ×5
const TARGET_RATIO = 1.2;
const TARGET_PER_INCIDENT = 2.5;
const BULK_MAX = 250;

const MANIFEST_REPO_PATH = 'handovers/bench-alice-to-bob.yaml';

if (isMainThread) await main();
else await serveSandbox(workerData);

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'handover-bench-apply-'));
  try {
    const lib = await buildLibrary(work);
    console.log(
      `apply: ${INCIDENTS} incidents, ${TICKETS} tickets, ${ROLLOUTS} rollouts; ${LATENCY_MS} ms latency on every service;` +
        ` PagerDuty limited to ${PAGERDUTY_PER_SECOND} requests/s (960/min scaled ×5)`,
    );

    const concurrent = await timedRun(lib, join(work, 'concurrent'), {});
    const floor = floorOf(concurrent);
    const ratio = concurrent.seconds / floor.seconds;
    const perIncident = concurrent.sent.pagerduty / INCIDENTS;
    console.log(
      `requests: pagerduty ${concurrent.sent.pagerduty} (${concurrent.limited} of them answered 429; writes ${concurrent.writes.pagerduty}, reads ${concurrent.sent.pagerduty - concurrent.writes.pagerduty - concurrent.limited}), platform ${concurrent.sent.platform} (writes ${concurrent.writes.platform}), slack ${concurrent.sent.slack}, github ${concurrent.sent.github}`,
    );
    console.log(
      `minimum writes: pagerduty ${floor.pagerdutyWrites} = ${INCIDENTS} status notes + ${INCIDENTS} acknowledgement notes + ${floor.bulk} bulk reassignment(s) + ${floor.bulk} bulk acknowledgement(s) + ${floor.overrides} override(s); platform ${concurrent.writes.platform} ticket, session and rollout writes (no rate limit on the platform API here: its lane is bounded by latency, inside the chain below)`,
    );
    console.log(
      `floor: ${floor.seconds.toFixed(2)} s = max(${floor.pagerdutyWrites} PagerDuty writes ÷ ${PAGERDUTY_PER_SECOND}/s = ${floor.rate.toFixed(2)} s, dependency chain of ${floor.chain} requests × ${LATENCY_MS} ms = ${floor.latency.toFixed(2)} s)`,
    );
    console.log(`  steps finished at: ${concurrent.steps}`);
    console.log(
      `concurrent run: ${concurrent.seconds.toFixed(2)} s (this process — apply and the sandbox — used ${concurrent.cpuSeconds.toFixed(2)} s of CPU; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
    );
    console.log(`pagerduty requests per incident: ${perIncident.toFixed(2)}`);
    console.log(`ratio to floor: ${ratio.toFixed(2)}`);
    console.log(
      `targets: ≤ ${TARGET_PER_INCIDENT.toFixed(2)} PagerDuty requests per incident: ${perIncident <= TARGET_PER_INCIDENT ? 'met' : 'MISSED'}; ≤ ${TARGET_RATIO.toFixed(2)}× the floor: ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}`,
    );

    if (process.argv.includes('--no-sequential')) return;
    const sequential = await timedRun(lib, join(work, 'sequential'), {
      items: 1,
      perService: { pagerduty: 1, platform: 1, slack: 1, github: 1 },
    });
    console.log(
      `sequential run (one item, one request per service in flight): ${sequential.seconds.toFixed(2)} s = ${(sequential.seconds / floor.seconds).toFixed(2)}× the floor, ${(sequential.seconds / concurrent.seconds).toFixed(1)}× the concurrent run; pagerduty requests per incident: ${(sequential.sent.pagerduty / INCIDENTS).toFixed(2)}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Bundles the parts of src/ the bench drives (the sandbox and the apply library) into one ESM file. */
async function buildLibrary(dir) {
  const outfile = join(dir, 'bench-lib.mjs');
  await esbuild.build({
    stdin: {
      contents: [
        "export { startSandbox } from './src/sandbox/index.ts';",
        "export { applyHandover } from './src/runbook/apply.ts';",
        "export { createMemoryReporter } from './src/runbook/runtime/reporter.ts';",
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

/** The seed world with alice's own items moved aside, then the bench's items, all alice's. */
function arrange(lib, sandbox) {
  const { pagerduty, platform } = sandbox.emulators;
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
    const id = `QBENCH${String(i).padStart(5, '0')}`;
    pagerduty.addIncident({
      id,
      title: `Bench incident ${i}: elevated error rate on shard ${i % 17}`,
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
    const id = `BEN-${1000 + i}`;
    const kind = i % 3;
    platform.addTicket({
      id,
      title: `Bench ticket ${i}`,
      assignee: alice.tracker,
      pinned: true,
      labels: ['bench'],
    });
    if (kind === 0) tickets.push({ id, disposition: 'waiting_on_customer' });
    else if (kind === 1)
      tickets.push({
        id,
        disposition: 'waiting_on_engineering',
        engineeringIssue: `novavms/platform#${2000 + i}`,
      });
    else {
      const session = platform.addSession({ id: `imp_BENCH${i}`, admin: alice.tracker, ticketId: id });
      tickets.push({ id, disposition: 'active', impersonationSession: session.id });
    }
  }
  const rollouts = [];
  for (let i = 0; i < ROLLOUTS; i += 1) {
    const flag = `bench-flag-${i}`;
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
  return { incidents, tickets, rollouts };
}

async function timedRun(lib, dir, concurrency) {
  const sandbox = new Worker(fileURLToPath(import.meta.url), { workerData: { libUrl: lib.url } });
  const answer = () =>
    new Promise((resolve, reject) => {
      sandbox.once('message', resolve);
      sandbox.once('error', reject);
    });
  try {
    const world = await answer();
    mkdirSync(join(dir, 'handovers'), { recursive: true });
    const configPath = join(dir, 'handover.config.yaml');
    writeFileSync(configPath, world.configYaml);
    const { config } = lib.loadConfig(configPath);
    const start = new Date(Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000);
    const manifest = {
      apiVersion: 'handover/v1',
      kind: 'Handover',
      id: 'bench-alice-to-bob',
      variant: 'planned',
      reason: 'rotation',
      outgoing: 'alice',
      incoming: 'bob',
      window: { start: start.toISOString(), end: new Date(start.getTime() + 2 * 3_600_000).toISOString() },
      ...world.items,
    };
    writeFileSync(join(dir, MANIFEST_REPO_PATH), stringify(manifest, { lineWidth: 0 }));

    const cpuBefore = process.cpuUsage();
    const began = process.hrtime.bigint();
    const result = await lib.applyHandover({
      manifestPath: join(dir, MANIFEST_REPO_PATH),
      repoRoot: dir,
      config,
      env: world.env,
      reporter: lib.createMemoryReporter(),
      pullRequest: world.pullRequest,
      concurrency,
      // The client paces itself a little under the (scaled) documented limit, with the margin production
      // keeps under 960/min (950/960, src/providers/pacing.ts): spaced requests arrive as spaced as they left, give or take their jitter.
      pagerDutyRateLimit: { requests: Math.floor((PAGERDUTY_PER_SECOND * 950) / 960), windowMs: 1000 },
    });
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (result.exitCode !== 0) {
      const failed = result.journal?.actions.filter((a) => a.outcome === 'failed') ?? [];
      throw new Error(
        `apply exited ${result.exitCode}: ${failed
          .slice(0, 3)
          .map((a) => `${a.target}: ${a.detail}`)
          .join('; ')}`,
      );
    }
    sandbox.postMessage('count');
    const { sent, writes, limited, overrides } = await answer();
    const steps = stepSpans(result.journal, began);
    return { seconds, cpuSeconds, sent, writes, limited, overrides, steps };
  } finally {
    await sandbox.terminate();
  }
}

/**
 * The worker's side: the sandbox with the bench's world, the pull request merged and the faults set.
 * Sends what apply needs, then, when asked, the requests the sandbox answered.
 */
async function serveSandbox({ libUrl }) {
  const lib = await import(libUrl);
  const sandbox = await lib.startSandbox();
  const items = arrange(lib, sandbox);
  const github = sandbox.emulators.github;
  const pull = github.createPullRequest({
    author: lib.SEED_ADMINS.alice.github,
    title: 'Bench handover',
    files: [{ filename: MANIFEST_REPO_PATH, status: 'added' }],
  });
  github.addReview(pull.number, { user: lib.SEED_ADMINS.bob.github, state: 'APPROVED' });
  github.merge(pull.number);
  sandbox.faults.set({
    pagerduty: { latencyMs: LATENCY_MS, rateLimit: { requests: PAGERDUTY_PER_SECOND, windowMs: 1000 } },
    platform: { latencyMs: LATENCY_MS },
    slack: { latencyMs: LATENCY_MS },
    github: { latencyMs: LATENCY_MS },
  });
  sandbox.requests.length = 0;
  parentPort.once('message', () => {
    const sent = { pagerduty: 0, platform: 0, slack: 0, github: 0 };
    const writes = { pagerduty: 0, platform: 0, slack: 0, github: 0 };
    let limited = 0;
    let overrides = 0;
    for (const request of sandbox.requests) {
      sent[request.service] += 1;
      if (request.fault === 'rate-limited') limited += 1;
      else if (request.mutation) {
        writes[request.service] += 1;
        if (request.service === 'pagerduty' && /\/overrides$/.test(request.path)) overrides += 1;
      }
    }
    parentPort.postMessage({ sent, writes, limited, overrides });
  });
  parentPort.postMessage({
    env: sandbox.env(),
    configYaml: sandbox.configYaml(),
    items,
    pullRequest: pull.number,
  });
}

/** When each step's last action was recorded, in seconds from the start of the run. */
function stepSpans(journal, began) {
  const startMs = Number(began / 1_000_000n) - Number(process.hrtime.bigint() / 1_000_000n) + Date.now();
  const last = new Map();
  for (const action of journal.actions) last.set(action.step, (Date.parse(action.at) - startMs) / 1000);
  return [...last.entries()].map(([step, at]) => `${step} ${at.toFixed(1)} s`).join(', ');
}

/**
 * No schedule can beat the PagerDuty rate limit over the PagerDuty writes the runbook requires, nor the
 * latency of its longest chain of requests that depend on each other: preflight (pull request, then
 * its files and reviews), the one read per service before any write, the incidents' list and the
 * account's log, then one incident's status note, the bulk reassignment, the bulk acknowledgement and
 * its acknowledgement note, the summary's history read, post and thread read, each details reply, and
 * the final check (its list and the on-call read).
 */
function floorOf(run) {
  const bulk = Math.ceil(INCIDENTS / BULK_MAX);
  const pagerdutyWrites = 2 * INCIDENTS + 2 * bulk + run.overrides;
  const rate = pagerdutyWrites / PAGERDUTY_PER_SECOND;
  const detailsParts = 4;
  const chain = 2 + 1 + 2 + 4 + 3 + detailsParts + 2;
  const latency = (chain * LATENCY_MS) / 1000;
  return {
    seconds: Math.max(rate, latency),
    rate,
    latency,
    chain,
    bulk,
    pagerdutyWrites,
    overrides: run.overrides,
  };
}
