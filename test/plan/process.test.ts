import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliWorld, fillPlaceholders, startCliWorld, writtenPath } from './cli-world.js';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/handover.js');

/** The installed command (bin/handover.js over the built lib/), as a person runs it. */
async function handover(world: CliWorld, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: world.root,
      env: { PATH: process.env.PATH ?? '', ...world.sandbox.env(), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('handover init and plan as separate processes', () => {
  let world: CliWorld;
  beforeAll(async () => {
    world = await startCliWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('init, fill in, plan: exit 0; a provider failure is one line and no stack trace', async () => {
    const init = await handover(world, ['init', '--outgoing', 'alice', '--incoming', 'bob']);
    expect(init.code, init.stderr).toBe(0);
    const path = writtenPath(init.stdout);
    world.write(path, fillPlaceholders(world.read(path)));

    const plan = await handover(world, ['plan', path]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Nothing would be stranded');

    const refused = await handover(world, ['plan', path], { PAGERDUTY_TOKEN: 'wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^handover plan: pagerduty \S+ failed \(auth 401\)[^\n]*\n$/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });
});
