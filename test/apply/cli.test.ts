import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/types.js';
import {
  arrangeSmallWorld,
  createWorld,
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

  it.each<[string, (w: World) => string[], Record<string, string>, number, RegExp]>([
    ['no manifest given', () => ['apply'], {}, 2, /expected exactly one manifest FILE/],
    [
      'an unreadable manifest',
      () => ['apply', 'handovers/nope.yaml', '--skip-approval-check'],
      {},
      2,
      /nope\.yaml/,
    ],
    [
      'a pull request that is not a number',
      (w) => applyArgs(w, '--pull-request', 'abc'),
      {},
      2,
      /--pull-request must be/,
    ],
    ['an unknown flag', (w) => applyArgs(w, '--force'), {}, 2, /force/],
    ['a bad --now', (w) => ['apply', w.manifestRepoPath, '--now', 'yesterday'], {}, 2, /--now must be/],
    ['no acknowledgement source', (w) => applyArgs(w), {}, 2, /no pull request to check the acknowledgement/],
    [
      'a missing token',
      (w) => applyArgs(w, '--skip-approval-check'),
      { PAGERDUTY_TOKEN: '' },
      2,
      /PAGERDUTY_TOKEN/,
    ],
    [
      'an unreadable config',
      (w) => applyArgs(w, '--skip-approval-check', '--config', 'missing.yaml'),
      {},
      2,
      /missing\.yaml/,
    ],
  ])('exits %#: %s', async (_name, args, env, code, message) => {
    world = await createWorld({ manifest: fullManifest(), pull: false });
    const run = await handover(world, args(world), { env });
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
  it('resumes to the same end state without repeating a side effect, wherever it was killed', async () => {
    // The reference: a clean run of the same world.
    const reference = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    let clean: { state: ReturnType<typeof endState>; effects: number };
    try {
      expect((await reference.apply()).exitCode).toBe(0);
      clean = { state: endState(reference.sandbox), effects: mutations(reference.sandbox).length };
    } finally {
      await reference.close();
    }

    for (const k of [1, 3, 6, 10, 14]) {
      world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
      // A little latency so the kill lands while the run is still going.
      world.sandbox.faults.set({
        pagerduty: { latencyMs: 15 },
        platform: { latencyMs: 15 },
        slack: { latencyMs: 15 },
      });
      const sandbox = world.sandbox;
      const killed = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)), {
        onSpawn: (child) => {
          const watch = setInterval(() => {
            if (mutations(sandbox).length >= k) {
              clearInterval(watch);
              child.kill('SIGKILL');
            }
          }, 1);
          child.on('close', () => clearInterval(watch));
        },
      });
      expect(killed.signal, `killed after mutation ${k}`).toBe('SIGKILL');
      expect(mutations(sandbox).length).toBeLessThan(clean.effects);

      world.sandbox.faults.set({});
      const resumed = await handover(world, applyArgs(world, '--pull-request', String(world.pullNumber)));
      expect(resumed.code, `re-run after a kill at mutation ${k}: ${resumed.stdout}`).toBe(0);
      expect(endState(sandbox), `end state after a kill at mutation ${k}`).toEqual(clean.state);
      expect(mutations(sandbox).length, `side effects after a kill at mutation ${k}`).toBe(clean.effects);
      await world.close();
      world = undefined;
    }
  }, 60_000);
});
