/**
 * The sandbox's `holdMutation` fault, which the crash tests stand on: it stops the world at an exact
 * mutation so that a client can be killed there, with nothing decided, applied or answered meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultController, parseFaultSettings } from '../../src/sandbox/faults.js';
import { GitHubEmulator } from '../../src/sandbox/github.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { PagerDutyEmulator } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED, PlatformEmulator } from '../../src/sandbox/platform.js';
import { SandboxServer } from '../../src/sandbox/server.js';
import { SlackEmulator } from '../../src/sandbox/slack.js';
import { NOW } from './world.js';

const {
  ticketWaitingOnCustomer: FIRST,
  ticketWaitingOnEngineering: SECOND,
  ticketActive: THIRD,
} = PLATFORM_SEED;

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ now: () => NOW });
});
afterEach(async () => {
  await sandbox.close();
});

/** Reassigns a ticket over HTTP; resolves with the answer's status, or 'no answer' when the connection died. */
async function reassign(
  ticketId: string,
  assignee: string,
  platform = { url: sandbox.urls.platform, token: sandbox.tokens.platform },
): Promise<number | 'no answer'> {
  try {
    const response = await fetch(`${platform.url}/tickets/${ticketId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assignee }),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'no answer';
  }
}

const assigneeOf = (ticketId: string) => sandbox.emulators.platform.ticket(ticketId)?.assignee;

describe('holding the Nth mutation', () => {
  it.each([
    { mode: 'before' as const, world: 'leaves the change unmade', applied: false, answered: 500 },
    { mode: 'after' as const, world: 'makes the change', applied: true, answered: 200 },
  ])('in $mode mode $world and, once released, answers $answered', async (expected) => {
    sandbox.faults.set({ holdMutation: { nth: 2, mode: expected.mode } });
    expect(await reassign(FIRST, 'bob')).toBe(200);
    const held = reassign(SECOND, 'bob');

    expect(await sandbox.faults.whenHeld()).toEqual({
      service: 'platform',
      method: 'PATCH',
      path: `/tickets/${SECOND}`,
      nth: 2,
      mode: expected.mode,
    });
    expect(assigneeOf(SECOND)).toBe(expected.applied ? 'bob' : 'alice');
    expect(sandbox.requests.at(-1)).toMatchObject({
      fault: `held-${expected.mode}`,
      status: expected.answered,
    });

    sandbox.faults.release();
    expect(await held).toBe(expected.answered);
    expect(sandbox.faults.held).toBeNull();
    expect(await reassign(THIRD, 'bob')).toBe(200);
  });

  it('answers and decides nothing else while held, then lets the waiting requests go on when released', async () => {
    sandbox.faults.set({ holdMutation: { nth: 1, mode: 'after' } });
    const held = reassign(FIRST, 'bob');
    await sandbox.faults.whenHeld();
    const behind = reassign(SECOND, 'bob');
    await sandbox.faults.whenWaiting(1);
    // It has arrived, and stands still: not applied, not recorded.
    expect(assigneeOf(SECOND)).toBe('alice');
    expect(sandbox.requests).toHaveLength(1);

    sandbox.faults.release();
    expect(await Promise.all([held, behind])).toEqual([200, 200]);
    expect(assigneeOf(SECOND)).toBe('bob');
  }, 5_000);

  it('drops the held request and everything behind it, as when the client died', async () => {
    sandbox.faults.set({ holdMutation: { nth: 1, mode: 'after' } });
    const held = reassign(FIRST, 'bob');
    await sandbox.faults.whenHeld();
    const behind = reassign(SECOND, 'bob');
    await sandbox.faults.whenWaiting(1);

    sandbox.faults.drop();
    expect(await Promise.all([held, behind])).toEqual(['no answer', 'no answer']);
    expect(assigneeOf(FIRST)).toBe('bob'); // applied before the hold ('after')
    expect(assigneeOf(SECOND)).toBe('alice'); // never applied
    expect(sandbox.requests.map((r) => r.fault)).toEqual(['held-after']);
    // The sandbox itself goes on serving new clients.
    expect(await reassign(THIRD, 'bob')).toBe(200);
  }, 5_000);

  it('is released by new settings, and by closing the sandbox', async () => {
    sandbox.faults.set({ holdMutation: { nth: 1, mode: 'before' } });
    const first = reassign(FIRST, 'bob');
    await sandbox.faults.whenHeld();
    sandbox.faults.set({});
    expect(await first).toBe(500);

    sandbox.faults.set({ holdMutation: { nth: 1, mode: 'before' } });
    const second = reassign(SECOND, 'bob');
    await sandbox.faults.whenHeld();
    await sandbox.close();
    expect(await second).toBe('no answer');
    sandbox = await startSandbox({ now: () => NOW }); // for afterEach
  });

  it.each([
    { case: 'accepts {"nth": 3, "mode": "after"}', settings: { nth: 3, mode: 'after' }, ok: true },
    { case: 'refuses nth 0', settings: { nth: 0, mode: 'after' }, ok: false },
    { case: 'refuses a mode other than before or after', settings: { nth: 1, mode: 'later' }, ok: false },
    { case: 'refuses an unknown key', settings: { nth: 1, mode: 'before', extra: 1 }, ok: false },
  ])('holdMutation as JSON (PUT /_sandbox/faults, --faults) $case', ({ settings, ok }) => {
    const parsed = parseFaultSettings({ holdMutation: settings });
    expect(parsed.ok).toBe(ok);
    if (!parsed.ok) expect(parsed.message).toContain('holdMutation must be {"nth": N (1 or more)');
  });
});

/** Latency waits that end only when the test says so, and say when they begin. */
function heldSleeps() {
  const waking: Array<() => void> = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  return {
    sleep: () =>
      new Promise<void>((resolve) => {
        waking.push(resolve);
        for (const watcher of watchers.filter((w) => w.count <= waking.length)) watcher.resolve();
      }),
    /** Resolves once the `count`-th request has begun sleeping. */
    begun: (count: number) =>
      new Promise<void>((resolve) => {
        if (waking.length >= count) resolve();
        else watchers.push({ count, resolve });
      }),
    wake: (index: number) => waking[index]?.(),
  };
}

describe('a request still on its way when the stand-still is dropped', () => {
  it('is abandoned with its client, never applied', async () => {
    let counter = 0;
    const nextId = (prefix: string) => {
      counter += 1;
      return `${prefix}${counter}`;
    };
    const ctx = { now: () => NOW, nextId };
    const platform = new PlatformEmulator(ctx, 'platform-token');
    platform.seed();
    const faults = new FaultController({
      platform: { latencyMs: 1 },
      holdMutation: { nth: 1, mode: 'before' },
    });
    const sleeps = heldSleeps();
    const server = new SandboxServer({
      host: '127.0.0.1',
      port: 0,
      emulators: {
        pagerduty: new PagerDutyEmulator(ctx, 'pagerduty-token'),
        slack: new SlackEmulator(ctx, 'slack-token'),
        github: new GitHubEmulator(ctx, 'github-token'),
        platform,
      },
      faults,
      admin: () => ({ status: 404 }),
      sleep: sleeps.sleep,
    });
    await server.listen();
    try {
      const target = { url: server.serviceUrl('platform'), token: 'platform-token' };
      const held = reassign(FIRST, 'bob', target);
      await sleeps.begun(1);
      sleeps.wake(0);
      await faults.whenHeld();
      const onItsWay = reassign(SECOND, 'bob', target);
      await sleeps.begun(2); // sleeping out its latency, not yet at the stand-still

      faults.drop();
      sleeps.wake(1);
      expect(await Promise.all([held, onItsWay])).toEqual(['no answer', 'no answer']);
      expect(platform.ticket(SECOND)?.assignee).toBe('alice');
      expect(server.requests.map((r) => r.fault)).toEqual(['held-before']);
    } finally {
      await server.close();
    }
  }, 5_000);
});
