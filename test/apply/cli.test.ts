import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/types.js';
import {
  arrangeSmallWorld,
  createWorld,
  effects,
  endState,
  fullManifest,
  mutations,
  NOW,
  smallManifest,
  type World,
} from './world.js';

const BIN = join(process.cwd(), 'bin/handover.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a separate process. Asynchronous: the sandbox answers from this process's event loop. */
function handover(
  world: World,
  args: string[],
  options: { env?: Record<string, string>; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...world.env, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: world.root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

function applyArgs(world: World, ...extra: string[]): string[] {
  return ['apply', world.manifestRepoPath, '--now', NOW.toISOString(), ...extra];
}

function noSecrets(world: World, ...texts: string[]): void {
  const tokens = Object.values(world.sandbox.tokens);
  for (const text of texts) for (const token of tokens) expect(text).not.toContain(token);
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('handover apply on the command line', () => {
  it('applies, prints the journal as JSON and writes it with --journal, without a secret anywhere', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const run = await handover(
      world,
      applyArgs(
        world,
        '--pull-request',
        String(world.pullNumber),
        '--format',
        'json',
        '--journal',
        'out.json',
      ),
    );
    expect(run.stderr).toContain('Step 2 · Incidents');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Journal;
    const written = JSON.parse(readFileSync(join(world.root, 'out.json'), 'utf8')) as Journal;
    expect(written).toEqual(printed);
    expect(printed).toMatchObject({ id: '2026-11-26-alice-to-bob', outcome: 'done', approver: 'bob' });
    noSecrets(world, run.stdout, run.stderr, readFileSync(join(world.root, 'out.json'), 'utf8'));
  });

  it('prints the Markdown table with --format markdown', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const run = await handover(
      world,
      applyArgs(world, '--pull-request', String(world.pullNumber), '--format', 'markdown'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### Handover 2026-11-26-alice-to-bob: ✅ done/);
    expect(run.stdout).toContain('| Step | Target | Action | Outcome | Detail |');
  });

  it('folds each step into a log group inside GitHub Actions and emits no other workflow command', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const run = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)), {
      env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'workflow_dispatch' },
    });
    expect(run.code).toBe(0);
    const commands = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands.filter((l) => l.startsWith('::group::'))).toHaveLength(7);
    expect(commands.every((l) => /^::(group|endgroup|warning|error)::/.test(l))).toBe(true);
    expect(run.stdout).toContain('handover 2026-11-26-alice-to-bob: done');
  });

  interface UsageCase {
    case: string;
    args: (w: World) => string[];
    env?: Record<string, string>;
    code: number;
    message: RegExp;
  }
  it.each<UsageCase>([
    {
      case: 'no manifest given',
      args: () => ['apply'],
      code: 2,
      message: /apply takes exactly one FILE \(got none\)/,
    },
    {
      case: 'an unreadable manifest',
      args: () => ['apply', 'handovers/nope.yaml', '--skip-approval-check'],
      code: 2,
      message: /nope\.yaml/,
    },
    {
      case: 'a pull request that is not a number',
      args: (w) => applyArgs(w, '--pull-request', 'abc'),
      code: 2,
      message: /--pull-request must be/,
    },
    { case: 'an unknown flag', args: (w) => applyArgs(w, '--force'), code: 2, message: /force/ },
    {
      case: 'a bad --now',
      args: (w) => ['apply', w.manifestRepoPath, '--now', 'yesterday'],
      code: 2,
      message: /--now must be/,
    },
    {
      case: 'no acknowledgement source',
      args: (w) => applyArgs(w),
      code: 2,
      message: /no pull request to check the acknowledgement/,
    },
    {
      case: 'a missing token',
      args: (w) => applyArgs(w, '--skip-approval-check'),
      env: { PAGERDUTY_TOKEN: '' },
      code: 2,
      message: /PAGERDUTY_TOKEN/,
    },
    {
      case: 'a --journal path that is a directory (refused before anything is applied)',
      args: (w) => applyArgs(w, '--skip-approval-check', '--journal', 'handovers'),
      code: 2,
      message: /--journal handovers is a directory: name a file/,
    },
    {
      case: 'a --journal path in a folder that does not exist',
      args: (w) => applyArgs(w, '--skip-approval-check', '--journal', 'out/journal.json'),
      code: 2,
      message: /the folder out does not exist/,
    },
    {
      case: 'an unreadable config',
      args: (w) => applyArgs(w, '--skip-approval-check', '--config', 'missing.yaml'),
      code: 2,
      message: /missing\.yaml/,
    },
  ])('exits $code with a usage message and no side effect: $case', async ({ args, env, code, message }) => {
    world = await createWorld({ manifest: fullManifest(), pull: false });
    const run = await handover(world, args(world), { env: env ?? {} });
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(mutations(world.sandbox)).toEqual([]);
  });

  it('exits 1 when the approval is missing, and 3 while an outage is unresolved', async () => {
    world = await createWorld({ manifest: fullManifest(), pull: { approver: null } });
    const refused = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('bob (bob-nv) must approve');
    await world.close();

    world = await createWorld({
      manifest: fullManifest({
        variant: 'mid-shift-outage',
        outage: { incident: 'Q7OUTAGE00002', lead: 'bob' },
      }),
      arrange: (sandbox) => sandbox.emulators.pagerduty.addIncident({ id: 'Q7OUTAGE00002', title: 'Outage' }),
    });
    const deferred = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)));
    expect(deferred.code).toBe(3);
    expect(deferred.stdout).toContain('deferred: nothing was changed');
    expect(mutations(world.sandbox)).toEqual([]);
  });

  it('names an invalid config as the user typed it, not by an absolute path', async () => {
    world = await createWorld({ manifest: fullManifest(), pull: false });
    writeFileSync(join(world.root, 'broken.yaml'), 'roster: [\n');
    const run = await handover(world, applyArgs(world, '--skip-approval-check', '--config', 'broken.yaml'));
    // Readable but invalid: exit 1, as in every command (docs/reference/commands.md); unreadable is 2.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^broken\.yaml:\d+:\d+: error \[yaml\./);
    expect(run.stderr).not.toContain(world.root);
    expect(mutations(world.sandbox)).toEqual([]);
  });

  // The summary's acknowledgement line names what really happened, never a flag the user did not pass.
  it.each([
    {
      case: 'an invalid manifest, with neither --pull-request nor --skip-approval-check',
      manifest: () => fullManifest({ outgoing: 'zed' }),
      pull: false as const,
      args: (w: World) => applyArgs(w),
      code: 1,
      summary: 'acknowledgement NOT verified: preflight stopped before the approval check',
    },
    {
      case: 'a rehearsal with --skip-approval-check',
      manifest: () => fullManifest(),
      pull: false as const,
      args: (w: World) => applyArgs(w, '--skip-approval-check', '--dry-run'),
      code: 0,
      summary: 'acknowledgement NOT verified (applied with --skip-approval-check)',
    },
    {
      case: 'a pull request nobody approved',
      manifest: () => fullManifest(),
      pull: { approver: null },
      args: (w: World) => applyArgs(w, '--pull-request', String(w.pullNumber)),
      code: 1,
      summary: 'acknowledgement NOT verified: the approval check did not pass',
    },
  ])(
    'says why the acknowledgement was not verified: $case',
    async ({ manifest, pull, args, code, summary }) => {
      world = await createWorld({ manifest: manifest(), pull });
      const run = await handover(world, args(world));
      expect(run.code).toBe(code);
      const line = run.stdout.split('\n').find((l) => l.startsWith('acknowledgement'));
      expect(line).toContain(summary);
    },
  );

  it('changes nothing with --dry-run', async () => {
    world = await createWorld({ manifest: fullManifest() });
    const run = await handover(
      world,
      applyArgs(world, '--pull-request', String(world.pullNumber), '--dry-run'),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run: would reassign to bob');
    expect(mutations(world.sandbox)).toEqual([]);
  });
});

describe('a process killed mid-apply', () => {
  // The sandbox holds the k-th mutation (not yet applied, or applied) and then answers nothing at all,
  // so the real process is killed with the world standing exactly there: for every k of a clean run,
  // with no race against the process finishing first.
  let clean: { state: ReturnType<typeof endState>; effects: number };
  beforeAll(async () => {
    const reference = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    try {
      expect((await reference.apply()).exitCode).toBe(0);
      clean = { state: endState(reference.sandbox), effects: effects(reference.sandbox).length };
    } finally {
      await reference.close();
    }
  });

  it.each(['before', 'after'] as const)(
    'resumes to the same end state without repeating a side effect, killed at every mutation (%s it lands)',
    async (mode) => {
      expect(clean.effects).toBeGreaterThanOrEqual(15);
      for (let k = 1; k <= clean.effects; k += 1) {
        world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
        const { sandbox } = world;
        sandbox.faults.set({ holdMutation: { nth: k, mode } });
        const killed = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)), {
          onSpawn: (child) => {
            void sandbox.faults.whenHeld().then(() => child.kill('SIGKILL'));
          },
        });
        expect(killed.signal, `killed at mutation ${k} (${mode}): ${killed.stderr}`).toBe('SIGKILL');
        // Its connections died with it: nothing it sent is answered or applied any more.
        sandbox.faults.drop();
        const landed = mode === 'after' ? k : k - 1;
        expect(effects(sandbox).length, `changes in place at the kill at mutation ${k} (${mode})`).toBe(
          landed,
        );

        sandbox.faults.set({});
        const resumed = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)));
        expect(
          resumed.code,
          `re-run after a kill at mutation ${k} (${mode}): ${resumed.stdout}${resumed.stderr}`,
        ).toBe(0);
        expect(endState(sandbox), `end state after a kill at mutation ${k} (${mode})`).toEqual(clean.state);
        expect(effects(sandbox).length, `side effects after a kill at mutation ${k} (${mode})`).toBe(
          clean.effects,
        );
        await world.close();
        world = undefined;
      }
    },
    // Two CLI processes per mutation of a clean run (about 16): on a loaded 2-core machine that alone can
    // take a minute. Nothing in it waits on the clock; the bound only catches a hang.
    240_000,
  );
});

describe('a run killed mid-apply leaves its journal', () => {
  it('as valid JSON of every action up to the kill, marked as still running', async () => {
    world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    const { sandbox } = world;
    // The third change lands and is never answered: the run stands there until it is killed. The first
    // two may have been sent beside it (their answers then still on their way to the run): the kill
    // waits until the file records them, and so shows that what was recorded survives a kill.
    sandbox.faults.set({ holdMutation: { nth: 3, mode: 'after' } });
    const journalPath = join(world.root, 'journal.json');
    const recordedDone = () => {
      try {
        return (JSON.parse(readFileSync(journalPath, 'utf8')) as Journal).actions.filter(
          (a) => a.outcome === 'done',
        ).length;
      } catch {
        return 0; // not written yet, or caught mid-write
      }
    };
    const killed = await handover(
      world,
      applyArgs(world, '--pull-request', String(world.pullNumber), '--journal', 'journal.json'),
      {
        onSpawn: (child) =>
          void sandbox.faults.whenHeld().then(async () => {
            // Bounded by the test's timeout; the run cannot get past the held change meanwhile.
            while (recordedDone() < 2) await new Promise((resolve) => setTimeout(resolve, 10));
            child.kill('SIGKILL');
          }),
      },
    );
    expect(killed.signal).toBe('SIGKILL');
    sandbox.faults.drop();
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
    expect(journal.outcome).toBe('running');
    expect(journal.acknowledgementVerified).toBe(true);
    // The two changes answered before the kill are on record as done.
    expect(journal.actions.filter((a) => a.outcome === 'done').length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

/** A port that accepts connections and never answers a byte. */
async function blackHole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: opened, then closed, so a connection to it is refused. */
async function stoppedService(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('apply when a service is down at the start', () => {
  // PagerDuty has no probe of its own: the early open-incidents list (tried once, with the probes'
  // timeout) is its reachability read, so its cases show that list stopping preflight like a probe.
  it.each([
    ['the platform API', 'platform', 'PLATFORM_API_URL'],
    ['PagerDuty', 'pagerduty', 'PAGERDUTY_API_URL'],
  ])(
    'with %s black-holed: writes nothing anywhere, names it, and fails in under 20 s',
    async (_, service, variable) => {
      world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
      const hole = await blackHole();
      try {
        const started = performance.now();
        const run = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)), {
          env: { [variable]: hole.url },
        });
        const seconds = (performance.now() - started) / 1000;
        expect(run.code, run.stderr).toBe(1);
        expect(run.stdout).toMatch(new RegExp(`${service} did not answer|${service} .*timeout`));
        expect(run.stderr).toContain(`${service} did not answer`);
        expect(mutations(world.sandbox)).toEqual([]);
        expect(seconds).toBeLessThan(20);
      } finally {
        await hole.close();
      }
    },
    30_000,
  );

  it.each([
    ['Slack', 'slack', 'SLACK_API_URL', '/api/'],
    ['PagerDuty', 'pagerduty', 'PAGERDUTY_API_URL', ''],
  ])(
    'with %s stopped (connection refused): writes nothing anywhere and fails within seconds',
    async (_, service, variable, path) => {
      world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
      const started = performance.now();
      const run = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)), {
        env: { [variable]: `${await stoppedService()}${path}` },
      });
      const seconds = (performance.now() - started) / 1000;
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`${service} did not answer`);
      expect(run.stdout).toContain('ECONNREFUSED');
      expect(mutations(world.sandbox)).toEqual([]);
      // Well inside the bound for a silent service; that a refused connection is never retried is shown
      // exactly by the providers' tests (no sleep at all) and by plan and init failing in under 3 s.
      expect(seconds).toBeLessThan(20);
    },
    30_000,
  );
});
