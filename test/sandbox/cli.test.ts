import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { HandoverConfig } from '../../src/config/types.js';
import { createProviders } from '../../src/providers/index.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { captureIO } from '../support/cli-io.js';

const BIN = fileURLToPath(new URL('../../bin/handover.js', import.meta.url));
const S = PLATFORM_SEED;

let dir: string;
const running: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-sandbox-cli-'));
});
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  env: Record<string, string>;
  stdout: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns `handover sandbox ARGS` and resolves once it prints `# ready`. */
function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH },
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.endsWith('# ready\n')) resolve({ child, env: parseExports(stdout), stdout, exited });
    });
    void exited.then(({ code }) => reject(new Error(`sandbox exited (${code}) before ready: ${stderr}`)));
  });
}

/** What `. env.sh` would set: each line `export NAME='value'`. */
function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z_]+)='(.*)'$/.exec(line);
    if (match) env[match[1]!] = match[2]!.replaceAll(`'\\''`, "'");
  }
  return env;
}

describe('handover sandbox, run as a process', () => {
  it('prints one export per variable, then # ready, and the printed env works with our providers', async () => {
    const configPath = join(dir, 'handover.config.yaml');
    const sandbox = await startCli(['--port', '0', '--config-out', configPath]);
    const lines = sandbox.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('# ready');
    expect(lines.slice(0, -1).every((line) => /^export [A-Z_]+='[^']*'$/.test(line))).toBe(true);
    expect(Object.keys(sandbox.env).sort()).toEqual(
      [
        'GITHUB_API_URL',
        'GITHUB_REPOSITORY',
        'GITHUB_TOKEN',
        'PAGERDUTY_API_URL',
        'PAGERDUTY_TOKEN',
        'PLATFORM_API_URL',
        'PLATFORM_TOKEN',
        'SLACK_API_URL',
        'SLACK_BOT_TOKEN',
      ].sort(),
    );
    for (const [name, value] of Object.entries(sandbox.env)) {
      if (name.endsWith('_URL')) expect(value).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    }

    const config = parse(readFileSync(configPath, 'utf8')) as HandoverConfig;
    expect(config.platform.url).toBe(sandbox.env.PLATFORM_API_URL);
    const providers = createProviders(sandbox.env, config, {
      need: ['pagerduty', 'slack', 'github', 'platform'],
      retry: { maxAttempts: 1 },
    });
    const pinned = await providers.platform.listTickets({ assignee: 'alice', pinned: true });
    expect(pinned.map((t) => t.id)).toContain(S.ticketActive);
    const incidents = await providers.pagerduty.listIncidents({ serviceIds: [config.pagerduty.serviceId] });
    expect(incidents.length).toBeGreaterThan(0);
    expect(Array.isArray(await providers.slack.history(config.slack.channel, '0'))).toBe(true);
    expect((await providers.github!.getIssue('novavms', 'platform', 812)).number).toBe(812);

    sandbox.child.kill('SIGTERM');
    const exit = await sandbox.exited;
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
  });

  it('saves the world on SIGTERM (mode 0600) and starts from it next time', async () => {
    const stateFile = join(dir, 'world.json');
    const first = await startCli(['--state', stateFile]);
    const { platform } = createProviders(first.env, { platform: { url: '' } } as HandoverConfig, {
      need: ['platform'],
      retry: { maxAttempts: 1 },
    });
    await platform.endImpersonationSession(S.sessionOnActiveTicket);
    await platform.updateTicket(S.ticketActive, { assignee: 'bob' });
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await startCli(['--state', stateFile]);
    expect(second.env.PLATFORM_TOKEN).not.toBe(first.env.PLATFORM_TOKEN);
    const again = createProviders(second.env, { platform: { url: '' } } as HandoverConfig, {
      need: ['platform'],
      retry: { maxAttempts: 1 },
    }).platform;
    expect((await again.getTicket(S.ticketActive)).assignee).toBe('bob');
    const open = await again.listImpersonationSessions({ admin: 'alice', status: 'open' });
    expect(open.map((s) => s.id)).not.toContain(S.sessionOnActiveTicket);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });

  it('a bad flag exits 2 with one line and no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', 'eighty'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe("handover sandbox: --port must be a whole number from 0 to 65535 (got 'eighty')\n");
  });
});

describe('handover sandbox refuses bad input with exit 2', () => {
  async function run(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
    const io = captureIO(dir);
    const code = await main(['sandbox', ...args], io);
    return { code, stderr: io.err, stdout: io.out };
  }

  it.each([
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--latency=-5'], /--latency must be a whole number from 0 to 60000/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /extra/],
    [['--faults', '{not json'], /--faults must be JSON/],
    [['--faults', '{"platfrom": {"rateLimitNext": 1}}'], /unknown fault setting 'platfrom'/],
    [['--faults', '{"platform": {"errorRate": 2}}'], /platform\.errorRate must be a fraction from 0 to 1/],
    [['--state', 'no/such/folder/state.json'], /--state .*does not exist/],
    [['--config-out', '.'], /--config-out \. is a folder/],
  ])('%j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('a state file that is not a saved state', async () => {
    writeFileSync(join(dir, 'state.json'), '{"counter": 3');
    const result = await run(['--state', 'state.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot load the sandbox state from .*state\.json/);
  });

  it('a port that is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await run(['--port', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port} is already in use`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('--help documents the control endpoints', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const endpoint of ['/_sandbox/faults', '/_sandbox/state', '/_sandbox/requests']) {
      expect(result.stdout).toContain(endpoint);
    }
  });
});
