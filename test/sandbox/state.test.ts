import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformProvider } from '../../src/providers/platform.js';
import type { RetryPolicy } from '../../src/providers/types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';

const S = PLATFORM_SEED;
const NOW = () => new Date('2026-11-26T15:00:00.000Z');
const RETRY: RetryPolicy = {
  maxAttempts: 1,
  baseDelayMs: 1,
  maxDelayMs: 1,
  timeoutMs: 5000,
  sleep: async () => {},
  random: () => 0,
};

let dir: string;
const open: Sandbox[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-sandbox-state-'));
});
afterEach(async () => {
  for (const sandbox of open.splice(0)) await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(stateFile?: string): Promise<Sandbox> {
  const sandbox = await startSandbox({ now: NOW, ...(stateFile ? { stateFile } : {}) });
  open.push(sandbox);
  return sandbox;
}

const stateOf = async (sandbox: Sandbox) => (await fetch(`${sandbox.url}/_sandbox/state`)).json();

describe('sandbox state files', () => {
  it('save then restore gives the same world, and new ids do not collide with saved ones', async () => {
    const first = await start();
    const platform = createPlatformProvider({
      baseUrl: first.urls.platform,
      token: first.tokens.platform,
      retry: RETRY,
      concurrency: 1,
    });
    await platform.endImpersonationSession(S.sessionOnActiveTicket);
    await platform.updateTicket(S.ticketWaitingOnCustomer, {
      assignee: 'bob',
      labels: ['waiting_on_customer'],
    });
    const annotation = await platform.annotateRollout(S.rolloutRamping, {
      rampPercent: 25,
      lastErrorRatePercent: 0.42,
      nextStep: 'Ramp to 50% tomorrow.',
      author: 'alice',
    });
    const file = join(dir, 'state.json');
    first.save(file);

    const second = await start(file);
    expect(await stateOf(second)).toEqual(await stateOf(first));
    expect(second.emulators.platform.session(S.sessionOnActiveTicket)?.status).toBe('ended');

    const next = second.emulators.platform.addAuditEvent({
      action: 'platform.note',
      actor: 'bob',
      target: 'x',
    });
    const savedIds = JSON.stringify(await stateOf(first));
    expect(savedIds).not.toContain(`"${next.id}"`);
    expect(next.id).not.toBe(annotation.id);
  });

  it('writes the file readable by its owner only, also over an existing looser file', async () => {
    const sandbox = await start();
    const file = join(dir, 'state.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    sandbox.save(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('platform.tickets');
  });

  it('refuses a state file whose platform section is not a saved world, with a sentence', async () => {
    const file = join(dir, 'state.json');
    const sandbox = await start();
    sandbox.save(file);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    delete saved.platform!.sessions;
    writeFileSync(file, JSON.stringify(saved));
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(/no 'sessions' list/);
  });

  it("an 'empty' sandbox has no platform data, but knows the roster's people", async () => {
    const sandbox = await startSandbox({ seed: 'empty', now: NOW });
    open.push(sandbox);
    expect(sandbox.emulators.platform.tickets()).toEqual([]);
    sandbox.emulators.platform.addTicket({ id: 'SUP-1', assignee: 'alice', pinned: true });
    const platform = createPlatformProvider({
      baseUrl: sandbox.urls.platform,
      token: sandbox.tokens.platform,
      retry: RETRY,
      concurrency: 1,
    });
    expect((await platform.updateTicket('SUP-1', { assignee: 'dana' })).assignee).toBe('dana');
  });
});
