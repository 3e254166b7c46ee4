import { afterEach, describe, expect, it } from 'vitest';
import { planHandover } from '../../src/core/plan.js';
import { PLATFORM_SCOPES, PLATFORM_SEED, type PlatformScope } from '../../src/sandbox/platform.js';
import {
  arrangeSmallWorld,
  createWorld,
  effects,
  mutations,
  NOW,
  smallManifest,
  type World,
} from '../apply/world.js';
import { startClockedSandbox } from '../support/sandbox.js';

const allBut = (...left: PlatformScope[]) => PLATFORM_SCOPES.filter((scope) => !left.includes(scope));

describe('platform emulator: token scopes', () => {
  it('names the scopes on every answer and refuses a write outside them with 403 forbidden', async () => {
    const { sandbox } = await startClockedSandbox();
    try {
      sandbox.emulators.platform.setTokenScopes(allBut('tickets:write'));
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${sandbox.urls.platform}${path}`, {
          method,
          headers: { authorization: `Bearer ${sandbox.tokens.platform}`, 'content-type': 'application/json' },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      const read = await call('GET', `/tickets/${PLATFORM_SEED.ticketActive}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('x-token-scopes')?.split(' ')).toEqual(allBut('tickets:write'));
      const write = await call('PATCH', `/tickets/${PLATFORM_SEED.ticketActive}`, { assignee: 'bob' });
      expect(write.status).toBe(403);
      expect(await write.json()).toEqual({
        error: { code: 'forbidden', message: expect.stringContaining('lacks the scope tickets:write') },
      });
      expect(sandbox.emulators.platform.ticket(PLATFORM_SEED.ticketActive)?.assignee).toBe('alice');
    } finally {
      await sandbox.close();
    }
  });
});

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("the platform token's reach", () => {
  const plan = (w: World) =>
    planHandover({
      manifestPath: w.manifestPath,
      displayPath: w.manifestRepoPath,
      config: w.config,
      env: w.env,
      now: () => NOW,
      pullRequest: null,
      cwd: w.root,
    });

  it('a token that may read but not write tickets: plan names it, apply writes nothing and says how to grant it', async () => {
    world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    const { sandbox } = world;
    sandbox.emulators.platform.setTokenScopes(allBut('tickets:write'));

    const planned = await plan(world);
    if (planned.kind !== 'planned') throw new Error(`plan did not plan: ${JSON.stringify(planned)}`);
    expect(planned.succeeded).toBe(false);
    const reach = planned.plan.findings.filter((f) => f.rule === 'permission.platform-scope');
    expect(reach.map((f) => [f.severity, f.target])).toEqual([['error', 'platform API']]);
    expect(reach[0]!.message).toMatch(
      /lacks the scope tickets:write.*reassign tickets.*grant the token the scope tickets:write/,
    );

    const before = mutations(sandbox).length;
    const refused = await world.apply();
    expect(refused.exitCode).toBe(1);
    const log = JSON.stringify(refused.log);
    expect(log).toMatch(/PLATFORM_TOKEN\) lacks the scope tickets:write/);
    expect(log).toMatch(/grant the token the scope tickets:write in the platform admin console/);
    expect(log).toMatch(/nothing was written/);
    expect(mutations(sandbox)).toHaveLength(before);

    // Granted: the handover completes, and a re-run repeats nothing.
    sandbox.emulators.platform.setTokenScopes([...PLATFORM_SCOPES]);
    expect((await world.apply()).exitCode).toBe(0);
    expect(sandbox.emulators.platform.ticket(PLATFORM_SEED.ticketActive)?.assignee).toBe('bob');
    const done = effects(sandbox).length;
    expect((await world.apply()).exitCode).toBe(0);
    expect(effects(sandbox)).toHaveLength(done);
  });

  it("plan's read-only token says nothing about apply's; apply checks its own and names every missing write", async () => {
    world = await createWorld({ manifest: smallManifest(), arrange: arrangeSmallWorld });
    const { sandbox } = world;
    sandbox.emulators.platform.setTokenScopes(PLATFORM_SCOPES.filter((scope) => scope.endsWith(':read')));
    const planned = await plan(world);
    if (planned.kind !== 'planned') throw new Error(`plan did not plan: ${JSON.stringify(planned)}`);
    expect(planned.plan.findings.filter((f) => f.rule === 'permission.platform-scope')).toEqual([]);

    const before = mutations(sandbox).length;
    const refused = await world.apply();
    expect(refused.exitCode).toBe(1);
    const log = JSON.stringify(refused.log);
    for (const scope of ['tickets:write', 'impersonation:write', 'rollouts:write'])
      expect(log).toContain(`lacks the scope ${scope}`);
    expect(mutations(sandbox)).toHaveLength(before);
  });
});
