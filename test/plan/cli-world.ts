/**
 * A repository folder next to a fresh sandbox, and the CLI run in-process against it: the real command
 * modules, the real providers over HTTP on 127.0.0.1, nothing replaced.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { captureIO } from '../support/cli-io.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliWorld {
  sandbox: Sandbox;
  root: string;
  /** Runs `handover …` in the repository folder with the sandbox's environment plus `env`. */
  run(argv: string[], env?: Record<string, string | undefined>): Promise<RunResult>;
  read(path: string): string;
  write(path: string, text: string): void;
  close(): Promise<void>;
}

export async function startCliWorld(): Promise<CliWorld> {
  const sandbox = await startSandbox();
  const root = mkdtempSync(join(tmpdir(), 'handover-plan-'));
  writeFileSync(join(root, 'handover.config.yaml'), sandbox.configYaml());
  return {
    sandbox,
    root,
    async run(argv, env = {}) {
      const merged: NodeJS.ProcessEnv = { ...sandbox.env() };
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete merged[name];
        else merged[name] = value;
      }
      const io = captureIO(root, merged);
      const code = await main(argv, io);
      return { code, stdout: io.out, stderr: io.err };
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    async close() {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** What a person types over init's placeholders: real prose, an engineering issue, next steps. */
export function fillPlaceholders(yaml: string): string {
  return yaml
    .replace(/"TODO: what you believe is happening"/g, 'Connection pool exhaustion on the read replicas.')
    .replace(
      /"TODO: the last action you took, and when"/g,
      'Raised the pool size from 50 to 80 at 14:40 UTC.',
    )
    .replace(
      /"TODO: what the incoming admin should do next"/g,
      'Watch p99 for thirty minutes, then fail over.',
    )
    .replace(/"TODO: the engineering issue \(a URL or owner\/repo#N\)"/g, 'novavms/platform#812')
    .replace(
      /"TODO: the next planned ramp step, and its condition"/g,
      'Ramp to 50% tomorrow if errors stay low.',
    );
}

/** The path init writes, from its "Wrote PATH:" line. */
export function writtenPath(stdout: string): string {
  const match = /^Wrote (\S+):/m.exec(stdout);
  if (!match?.[1]) throw new Error(`init did not say where it wrote: ${stdout}`);
  return match[1];
}

/**
 * `handover init` with `initArgs` (which must succeed), then a person fills in the placeholders: the
 * manifest plan should accept on the seed world. Returns where it is and what it now says.
 */
export async function initFilledManifest(
  world: CliWorld,
  initArgs: string[],
): Promise<{ path: string; yaml: string }> {
  const init = await world.run(['init', ...initArgs]);
  expect(init.code, init.stderr).toBe(0);
  const path = writtenPath(init.stdout);
  const yaml = fillPlaceholders(world.read(path));
  world.write(path, yaml);
  return { path, yaml };
}
