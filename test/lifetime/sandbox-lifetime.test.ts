/**
 * `handover sandbox > env.sh &` started by a script must not outlive it: whichever way the script goes
 * (a signal, killed outright, or with processes between it and the sandbox as `npx` puts them), the
 * sandbox stops and its port is free again. Every wait is a bounded poll for the awaited state.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/handover.js', import.meta.url));
const DEADLINE_MS = 15_000;

let dir: string;
const started: ChildProcess[] = [];
const sandboxes: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-lifetime-'));
});
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of sandboxes.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` every 25 ms until it returns a value, or fails after DEADLINE_MS naming `what`. */
async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a process runs (a zombie nobody reaped yet does not count). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
}

/** Whether something accepts connections on 127.0.0.1:port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface Wrapped {
  wrapper: ChildProcess;
  sandboxPid: number;
  port: number;
}

/**
 * A wrapper shell running `script` (which must start the sandbox with its output in env.sh and write the
 * sandbox's pid to sandbox.pid), resolved once env.sh says `# ready`.
 */
async function wrapped(script: string): Promise<Wrapped> {
  const wrapper = spawn('sh', ['-c', script], {
    cwd: dir,
    env: { PATH: process.env.PATH, HANDOVER_BIN: BIN, NODE: process.execPath },
    stdio: 'ignore',
  });
  started.push(wrapper);
  const env = await eventually('the sandbox to print # ready', () => {
    const text = existsSync(join(dir, 'env.sh')) ? readFileSync(join(dir, 'env.sh'), 'utf8') : '';
    return text.includes('# ready\n') ? text : undefined;
  });
  const sandboxPid = await eventually('sandbox.pid', () => {
    const text = existsSync(join(dir, 'sandbox.pid')) ? readFileSync(join(dir, 'sandbox.pid'), 'utf8') : '';
    return /^\d+\n/.test(text) ? Number(text.trim()) : undefined;
  });
  sandboxes.push(sandboxPid);
  const port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(env)?.[1]);
  expect(port).toBeGreaterThan(0);
  expect(await accepting(port)).toBe(true);
  return { wrapper, sandboxPid, port };
}

async function expectGone({ sandboxPid, port }: Wrapped): Promise<void> {
  await eventually('the sandbox to exit', () => (isRunning(sandboxPid) ? undefined : true));
  await eventually('the port to be free', async () => ((await accepting(port)) ? undefined : true));
}

// `$NODE $HANDOVER_BIN sandbox > env.sh &`, then wait: the shape of a script that uses the sandbox.
const BACKGROUND = '"$NODE" "$HANDOVER_BIN" sandbox > env.sh & echo $! > sandbox.pid; wait';

describe('the sandbox started as `handover sandbox > env.sh &` by a wrapper', () => {
  it('stops when the wrapper is sent SIGTERM', async () => {
    const run = await wrapped(BACKGROUND);
    run.wrapper.kill('SIGTERM');
    await expectGone(run);
  });

  it('stops when the wrapper is killed outright (SIGKILL: no chance to clean up)', async () => {
    const run = await wrapped(BACKGROUND);
    run.wrapper.kill('SIGKILL');
    await expectGone(run);
  });

  it('stops when the wrapper dies but a process between them lives on (as npx puts npm and a shell)', async () => {
    // The inner shell cannot exec the sandbox (a command follows it), so it stays as its parent.
    const run = await wrapped(
      'sh -c \'"$NODE" "$HANDOVER_BIN" sandbox > env.sh & echo $! > sandbox.pid; wait; :\' & wait',
    );
    run.wrapper.kill('SIGKILL');
    await expectGone(run);
  });
});

describe('the sandbox as a direct child', () => {
  async function direct(): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
    const child = spawn(process.execPath, [BIN, 'sandbox'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += String(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += String(chunk);
    });
    await eventually('# ready', () => (out.includes('# ready\n') ? true : undefined));
    const port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1]);
    return { child, port, stderr: () => err };
  }

  it('stops, exit 0, when its stdin pipe is closed, and says why', async () => {
    const { child, port, stderr } = await direct();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin?.end();
    expect(await exited).toBe(0);
    expect(stderr()).toContain('stopped: its standard input was closed');
    expect(await accepting(port)).toBe(false);
  });

  it('stops, exit 0, on SIGHUP (the terminal went away)', async () => {
    const { child, port, stderr } = await direct();
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(`${code} ${signal}`)),
    );
    child.kill('SIGHUP');
    expect(await exited, stderr()).toBe('0 null');
    expect(await accepting(port)).toBe(false);
  });
});
