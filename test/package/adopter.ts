/**
 * What an adopter gets: the package packed as `npm publish` would pack it, installed with npm into a fresh
 * git repository outside this checkout, and the installed `handover` command run there. Nothing here
 * reaches into the checkout's src/ or lib/ once the tarball exists.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const CHECKOUT = resolve(import.meta.dirname, '../..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment for child npm and git: none of the npm_* settings of an enclosing `npm test`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') && name !== 'INIT_CWD') env[name] = value;
  }
  return { ...env, ...extra };
}

export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? cleanEnv(), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** `npm pack` of the checkout (its prepack builds lib/) into `destination`; returns the tarball's path. */
export async function packTarball(destination: string): Promise<string> {
  const packed = await run('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: CHECKOUT });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const tarballs = readdirSync(destination).filter((f) => f.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.join(', ') || 'no tarball'}`);
  return join(destination, tarballs[0] as string);
}

export interface AdopterRepo {
  root: string;
  /** Runs the installed command, `node_modules/.bin/handover`, in the repository. */
  handover(args: string[], env?: Record<string, string>): Promise<Run>;
  remove(): void;
}

/** A fresh git repository in the system's temporary folder with the tarball installed by npm. */
export async function adopterRepo(tarball: string): Promise<AdopterRepo> {
  const root = mkdtempSync(join(tmpdir(), 'handover-adopter-'));
  const step = async (command: string, args: string[]) => {
    const result = await run(command, args, { cwd: root });
    if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  };
  await step('git', ['init', '--quiet']);
  writeFileSync(
    join(root, 'package.json'),
    `${JSON.stringify({ name: 'platform-oncall', private: true }, null, 2)}\n`,
  );
  await step('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', tarball]);
  mkdirSync(join(root, 'handovers'), { recursive: true });
  return {
    root,
    handover: (args, env = {}) =>
      run(join(root, 'node_modules/.bin/handover'), args, { cwd: root, env: cleanEnv(env) }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface RunningSandbox {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** `handover sandbox --config-out handover.config.yaml` as a child; resolves once it printed `# ready`. */
export function startInstalledSandbox(repo: AdopterRepo): Promise<RunningSandbox> {
  const child: ChildProcess = spawn(
    join(repo.root, 'node_modules/.bin/handover'),
    ['sandbox', '--config-out', 'handover.config.yaml'],
    { cwd: repo.root, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((ready, fail) => {
    const env: Record<string, string> = {};
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const exported = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
      if (exported?.[1]) env[exported[1]] = exported[2] ?? '';
      if (line === '# ready') {
        ready({
          env,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) =>
      fail(new Error(`the sandbox exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
}
