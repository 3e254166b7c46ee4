import { afterEach, describe, expect, it } from 'vitest';
import { FaultController } from '../../src/sandbox/faults.js';
import { GitHubEmulator } from '../../src/sandbox/github.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PagerDutyEmulator } from '../../src/sandbox/pagerduty.js';
import { PlatformEmulator } from '../../src/sandbox/platform.js';
import { SandboxServer } from '../../src/sandbox/server.js';
import { SlackEmulator } from '../../src/sandbox/slack.js';
import type { EmulatorContext } from '../../src/sandbox/types.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function sandboxFor(): Promise<Sandbox> {
  const sandbox = await startSandbox({ now: () => new Date('2026-11-26T15:00:00Z') });
  closers.push(() => sandbox.close());
  return sandbox;
}

const bearer = (sandbox: Sandbox) => ({ authorization: `Bearer ${sandbox.tokens.platform}` });

describe('the sandbox server', () => {
  it('routes each service by its prefix and records the path the real service would see', async () => {
    const sandbox = await sandboxFor();
    const response = await fetch(`${sandbox.urls.platform}/rollouts?state=ramping`, {
      headers: bearer(sandbox),
    });
    expect(response.status).toBe(200);
    expect(sandbox.requests).toEqual([
      expect.objectContaining({
        service: 'platform',
        method: 'GET',
        path: '/rollouts',
        query: '?state=ramping',
        status: 200,
        fault: 'none',
        mutation: false,
      }),
    ]);
  });

  it('answers 404 outside every service', async () => {
    const sandbox = await sandboxFor();
    expect((await fetch(`${sandbox.url}/nowhere`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/platform/api/v2/tickets`)).status).toBe(404);
  });

  it('never records a token: authorization is redacted, refused requests are recorded as such', async () => {
    const sandbox = await sandboxFor();
    await fetch(`${sandbox.urls.platform}/tickets`, { headers: bearer(sandbox) });
    await fetch(`${sandbox.urls.platform}/tickets`, { headers: { authorization: 'Bearer guessed-token' } });
    expect(sandbox.requests.map((r) => [r.status, r.fault, r.headers.authorization])).toEqual([
      [200, 'none', '[redacted]'],
      [401, 'unauthenticated', '[redacted]'],
    ]);
    const published = await (await fetch(`${sandbox.url}/_sandbox/requests`)).text();
    expect(published).not.toContain(sandbox.tokens.platform);
    expect(published).not.toContain('guessed-token');
  });

  it('refuses a body over 5 MiB with 413 and does not hand it to the emulator', async () => {
    const sandbox = await sandboxFor();
    const response = await fetch(`${sandbox.urls.platform}/rollouts/billing-v2-ledger/annotations`, {
      method: 'POST',
      headers: { ...bearer(sandbox), 'content-type': 'application/json' },
      body: JSON.stringify({ nextStep: 'x'.repeat(6 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(sandbox.requests).toEqual([]);
  });

  it('waits the configured latency before answering, through its sleep function', async () => {
    let counter = 0;
    const ctx: EmulatorContext = {
      now: () => new Date('2026-11-26T15:00:00Z'),
      nextId: (prefix) => {
        counter += 1;
        return `${prefix}${counter}`;
      },
    };
    const platform = new PlatformEmulator(ctx, 'platform-token');
    platform.seed();
    const waits: number[] = [];
    const server = new SandboxServer({
      host: '127.0.0.1',
      port: 0,
      emulators: {
        pagerduty: new PagerDutyEmulator(ctx, 'pd-token'),
        slack: new SlackEmulator(ctx, 'slack-token'),
        github: new GitHubEmulator(ctx, 'gh-token'),
        platform,
      },
      faults: new FaultController({ platform: { latencyMs: 250 } }),
      admin: () => ({ status: 404 }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await server.listen();
    closers.push(() => server.close());
    const headers = { authorization: 'Bearer platform-token' };
    expect((await fetch(`${server.serviceUrl('platform')}/rollouts`, { headers })).status).toBe(200);
    expect((await fetch(`${server.serviceUrl('platform')}/audit-log`, { headers })).status).toBe(200);
    expect(waits).toEqual([250, 250]);
  });
});

describe('the /_sandbox control endpoints', () => {
  it('GET /_sandbox/state returns every service’s world and the id counter', async () => {
    const sandbox = await sandboxFor();
    const state = (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual(['counter', 'github', 'pagerduty', 'platform', 'slack']);
    expect(state.platform).toEqual(sandbox.emulators.platform.snapshot());
  });

  it('GET /_sandbox/requests lists the requests answered, in order', async () => {
    const sandbox = await sandboxFor();
    await fetch(`${sandbox.urls.platform}/tickets/SUP-4411`, { headers: bearer(sandbox) });
    await fetch(`${sandbox.urls.platform}/tickets/SUP-4411`, {
      method: 'PATCH',
      headers: { ...bearer(sandbox), 'content-type': 'application/json' },
      body: JSON.stringify({ labels: ['waiting_on_customer'] }),
    });
    const requests = (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(requests.map((r) => [r.method, r.path, r.status, r.mutation, r.body])).toEqual([
      ['GET', '/tickets/SUP-4411', 200, false, undefined],
      ['PATCH', '/tickets/SUP-4411', 200, true, { labels: ['waiting_on_customer'] }],
    ]);
  });

  it('answers 400 to a control body that is not JSON and 404 to an unknown control', async () => {
    const sandbox = await sandboxFor();
    sandbox.faults.set({ platform: { rateLimitNext: 1 } });
    const bad = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'PUT', body: '{rateLimitNext: 1' });
    expect(bad.status).toBe(400);
    expect(sandbox.faults.current).toEqual({ platform: { rateLimitNext: 1 } });
    expect((await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sandbox.url}/_sandbox/state`, { method: 'DELETE' })).status).toBe(404);
  });
});
