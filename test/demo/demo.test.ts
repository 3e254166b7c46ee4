import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The demo takes about a second here; anything near this bound means it hangs on something. */
const BOUND_MS = 20_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  killed: boolean;
}

/** Runs the installed command as a user would, and waits for the process to end by itself. */
function runDemoProcess(dir: string): Promise<Run> {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.GITHUB_ACTIONS;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/handover.js', 'demo', '--dir', dir], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, BOUND_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, killed });
    });
  });
}

function readJournal(path: string): Journal {
  return JSON.parse(readFileSync(path, 'utf8')) as Journal;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe('handover demo, run as a user runs it', () => {
  let parent: string;
  let dir: string;
  let run: Run;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'handover-demo-test-'));
    dir = join(parent, 'demo');
    run = await runDemoProcess(dir);
  }, BOUND_MS + 5_000);

  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('exits 0 by itself, within seconds, with nothing on stderr', () => {
    expect(run.killed, `still running after ${BOUND_MS} ms:\n${run.stdout}`).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // About a second on a 2-core machine; a lingering socket or timer would hold the process for far longer.
    expect(run.ms).toBeLessThan(10_000);
  });

  it('shows each of the seven steps, in order, and the commands it runs', () => {
    const titles = [...run.stdout.matchAll(/^Step (\d)\/7 · /gm)].map((match) => Number(match[1]));
    expect(titles).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const commands = [...run.stdout.matchAll(/^ {2}\$ handover (\w+)/gm)].map((match) => match[1]);
    expect(commands).toEqual(['init', 'validate', 'validate', 'plan', 'plan', 'plan', 'apply', 'apply']);
  });

  it('shows validate refusing the placeholders, and plan waiting for bob before his approval', () => {
    expect(run.stdout).toMatch(/error \[status\.placeholder\]/);
    expect(run.stdout).toContain('ack.approval-missing');
    expect(run.stdout).toContain(
      "exit 1, as expected: nothing would be stranded, but the plan is waiting for bob's approval",
    );
    expect(run.stdout).toMatch(/exit 0: acknowledged\. alice merged #\d+/);
  });

  it('reports 0 new side effects for the second apply', () => {
    const rerun = run.stdout.slice(run.stdout.indexOf('Step 6/7'));
    expect(rerun).toContain('0 new side effects');
  });

  it('leaves a journal of a done handover, and a re-run journal where every change was already done', () => {
    const first = readJournal(join(dir, 'journal.json'));
    expect(first.outcome).toBe('done');
    expect(first.acknowledgementVerified).toBe(true);
    expect(first.approver).toBe('bob');
    expect(first.actions.filter((action) => action.outcome === 'done').length).toBeGreaterThan(20);

    const second = readJournal(join(dir, 'journal-rerun.json'));
    expect(second.outcome).toBe('done');
    const changes = second.actions.filter(
      (action) => action.step !== 'preflight' && action.step !== 'verify',
    );
    expect(changes.length).toBe(
      first.actions.filter((action) => action.step !== 'preflight' && action.step !== 'verify').length,
    );
    expect(changes.filter((action) => action.outcome !== 'already-done')).toEqual([]);
  });

  it('leaves every file it names, the manifest with no TODO left', () => {
    for (const name of [
      'handover.config.yaml',
      'summary.md',
      'plan.md',
      'pr-comment.md',
      'sandbox-state.json',
    ])
      expect(existsSync(join(dir, name)), name).toBe(true);
    const manifests = filesUnder(join(dir, 'handovers'));
    expect(manifests).toHaveLength(1);
    expect(run.stdout).toContain(relative(dir, manifests[0] ?? ''));
    expect(readFileSync(manifests[0] ?? '', 'utf8')).not.toMatch(/TODO:/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('✅ done');
    expect(readFileSync(join(dir, 'pr-comment.md'), 'utf8')).toContain('<!-- handover:plan -->');
  });

  it('shows what the team sees in Slack and PagerDuty', () => {
    expect(run.stdout).toMatch(
      /On-call: <@U0ALICE> → <@U0BOB> as of .+\. 3 incidents reassigned, 3 tickets reassigned, 2 rollouts in flight\. Details in the thread\./,
    );
    expect(run.stdout).toContain(':+1: × 1');
    expect(run.stdout).toMatch(/Hypothesis: .+\n.*Last action: .+\n.*Next action: /);
    expect(run.stdout).toMatch(/Acknowledged by bob via approval of PR #\d+ at commit [0-9a-f]{7}/);
  });

  it('prints no ANSI escape codes when stdout is not a terminal', () => {
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('never prints or writes a sandbox token', () => {
    const token = /sandbox-(?:pd|slack|gh|platform)-[0-9a-f]{20}/;
    expect(run.stdout).not.toMatch(token);
    for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8'), file).not.toMatch(token);
  });
});
