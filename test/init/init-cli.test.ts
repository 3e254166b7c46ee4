import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { type CliWorld, fillPlaceholders, startCliWorld, writtenPath } from '../plan/cli-world.js';

const NOW = '2026-11-26T15:07:00Z';

describe('handover init on the sandbox seed', () => {
  let world: CliWorld;

  beforeAll(async () => {
    world = await startCliWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('writes every open incident, pinned ticket and rollout in flight, with what the tools know', async () => {
    const result = await world.run(['init', '--outgoing', 'alice', '--incoming', 'bob', '--now', NOW]);
    expect(result.code, result.stderr).toBe(0);
    const path = writtenPath(result.stdout);
    expect(path).toBe('handovers/2026/2026-11-26-alice-to-bob.yaml');
    expect(result.stdout).toContain('3 incidents, 3 tickets, 2 rollouts');
    expect(result.stdout).toContain(`handover validate ${path}`);
    expect(result.stdout).toContain(`handover plan ${path}`);

    const text = world.read(path);
    // The world's folder is an adopter's repository: the schema comes with the installed package.
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../node_modules/@novavms/handover/schemas/handover.schema.json',
    );
    expect(text).toMatch(/# https:\/\/\S+\/incidents\/Q1ABCDEF12345 \(acknowledged since /);
    const manifest = parse(text);
    expect(manifest).toMatchObject({
      apiVersion: 'handover/v1',
      kind: 'Handover',
      id: '2026-11-26-alice-to-bob',
      variant: 'planned',
      reason: 'rotation',
      outgoing: 'alice',
      incoming: 'bob',
      window: { start: '2026-11-26T15:15:00Z', end: '2026-11-26T17:15:00Z' },
    });
    expect(manifest.incidents.map((i: { id: string }) => i.id).sort()).toEqual(
      [SEED_INCIDENTS.euApiLatency, SEED_INCIDENTS.buildRunnerDisk, SEED_INCIDENTS.adminCertificate].sort(),
    );
    expect(manifest.incidents).toContainEqual(
      expect.objectContaining({ id: SEED_INCIDENTS.euApiLatency, title: 'EU API p99 latency above 2s' }),
    );
    expect(manifest.tickets).toEqual([
      { id: PLATFORM_SEED.ticketWaitingOnCustomer, disposition: 'waiting_on_customer' },
      {
        id: PLATFORM_SEED.ticketWaitingOnEngineering,
        disposition: 'waiting_on_engineering',
        engineeringIssue: expect.stringMatching(/^TODO: /),
      },
      {
        id: PLATFORM_SEED.ticketActive,
        disposition: 'active',
        impersonationSession: PLATFORM_SEED.sessionOnActiveTicket,
      },
    ]);
    expect(manifest.rollouts).toEqual([
      expect.objectContaining({
        flag: PLATFORM_SEED.rolloutRamping,
        state: 'ramping',
        rampPercent: 25,
        lastErrorRatePercent: 0.42,
      }),
      expect.objectContaining({
        flag: PLATFORM_SEED.rolloutPaused,
        state: 'paused',
        rampPercent: 10,
        lastErrorRatePercent: 1.8,
      }),
    ]);
  });

  it('fails validate until its placeholders are filled in, then validate and plan pass', async () => {
    const result = await world.run([
      'init',
      '--outgoing',
      'alice',
      '--incoming',
      'bob',
      '--out',
      'handovers/fill-me.yaml',
    ]);
    const path = writtenPath(result.stdout);
    const draft = await world.run(['validate', path, '--format', 'json']);
    expect(draft.code).toBe(1);
    const rules = (JSON.parse(draft.stdout) as Array<{ rule: string }>).map((d) => d.rule);
    expect(rules.filter((rule) => rule === 'status.placeholder')).toHaveLength(9);
    expect(rules).toContain('ticket.engineering-issue');
    expect(rules.filter((rule) => rule === 'rollout.prose')).toHaveLength(2);

    world.write(path, fillPlaceholders(world.read(path)));
    const validated = await world.run(['validate', path]);
    expect(validated.code, validated.stdout).toBe(0);
    const planned = await world.run(['plan', path]);
    expect(planned.code, planned.stdout).toBe(0);
  });

  it('never overwrites a manifest without --force', async () => {
    const first = await world.run(['init', '--outgoing', 'bob', '--incoming', 'dana', '--now', NOW]);
    expect(first.code).toBe(0);
    const path = writtenPath(first.stdout);
    world.write(path, 'my edits');
    const again = await world.run(['init', '--outgoing', 'bob', '--incoming', 'dana', '--now', NOW]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `handover init: ${path} already exists; use --force to overwrite it or --out PATH to write elsewhere\n`,
    );
    expect(world.read(path)).toBe('my edits');
    const forced = await world.run([
      'init',
      '--outgoing',
      'bob',
      '--incoming',
      'dana',
      '--now',
      NOW,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(world.read(path)).toContain('outgoing: bob');
  });

  it('writes an emergency without a window start and a mid-shift outage with its block', async () => {
    const emergency = await world.run([
      'init',
      '--outgoing',
      'alice',
      '--incoming',
      'dana',
      '--variant',
      'emergency',
      '--cause',
      'compromised',
      '--now',
      NOW,
    ]);
    expect(emergency.code, emergency.stderr).toBe(0);
    const e = parse(world.read(writtenPath(emergency.stdout)));
    expect(e.window).toEqual({ end: '2026-11-26T17:15:00Z' });
    expect(e.emergency).toEqual({ cause: 'compromised' });
    expect(e.incidents[0].status).toBeUndefined();

    const outage = await world.run([
      'init',
      '--outgoing',
      'alice',
      '--incoming',
      'dana',
      '--variant',
      'mid-shift-outage',
      '--reason',
      'departure',
      '--out',
      'handovers/outage.yaml',
      '--now',
      NOW,
    ]);
    expect(outage.code).toBe(0);
    const o = parse(world.read('handovers/outage.yaml'));
    expect(o).toMatchObject({
      id: 'outage',
      reason: 'departure',
      outage: { incident: expect.stringMatching(/^TODO/), lead: expect.stringMatching(/^TODO/) },
    });
  });

  it('writes a hostile title from PagerDuty as data', async () => {
    const title = 'x: y\n- z # <!channel> "q" \u202Eevil';
    const id = world.sandbox.emulators.pagerduty.addIncident({ title, assigneeIds: ['PUSR002'] });
    const result = await world.run([
      'init',
      '--outgoing',
      'bob',
      '--incoming',
      'dana',
      '--out',
      'handovers/hostile.yaml',
    ]);
    expect(result.code).toBe(0);
    const manifest = parse(world.read('handovers/hostile.yaml'));
    expect(manifest.incidents).toEqual([
      expect.objectContaining({ id, title: 'x: y - z # <!channel> "q" evil' }),
    ]);
    world.write('handovers/hostile.yaml', fillPlaceholders(world.read('handovers/hostile.yaml')));
    expect((await world.run(['validate', 'handovers/hostile.yaml'])).code).toBe(0);
  });

  it.each([
    [['--incoming', 'bob'], '--outgoing is required: one of alice, bob, dana'],
    [
      ['--outgoing', 'mallory', '--incoming', 'bob'],
      "--outgoing 'mallory' is not in the roster: use one of alice, bob, dana",
    ],
    [['--outgoing', 'bob', '--incoming', 'bob'], '--outgoing and --incoming must be two different admins'],
    [
      ['--outgoing', 'alice', '--incoming', 'bob', '--variant', 'relaxed'],
      '--variant must be one of planned, weekly-rotation, emergency, mid-shift-outage',
    ],
    [
      ['--outgoing', 'alice', '--incoming', 'bob', '--hours', 'two'],
      '--hours must be a positive number of hours',
    ],
    [
      ['--outgoing', 'alice', '--incoming', 'bob', '--window-start', 'tomorrow'],
      '--window-start must be an ISO 8601 instant',
    ],
    [
      [
        '--outgoing',
        'alice',
        '--incoming',
        'bob',
        '--window-start',
        '2026-11-26T18:00:00Z',
        '--window-end',
        '2026-11-26T17:00:00Z',
      ],
      'the window must end after it starts',
    ],
    [
      ['--outgoing', 'alice', '--incoming', 'bob', '--cause', 'compromised'],
      '--cause is for --variant emergency',
    ],
    [['--outgoing', 'alice', '--incoming', 'bob', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with exit 2', async (args, message) => {
    const result = await world.run(['init', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 without a config, or without tokens, naming what is missing', async () => {
    const noConfig = await world.run([
      'init',
      '--outgoing',
      'alice',
      '--incoming',
      'bob',
      '--config',
      'missing.yaml',
    ]);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/^handover init: cannot read the config missing\.yaml: /);
    const noTokens = await world.run(
      ['init', '--outgoing', 'alice', '--incoming', 'bob', '--out', 'handovers/t.yaml'],
      {
        PAGERDUTY_TOKEN: undefined,
      },
    );
    expect(noTokens.code).toBe(2);
    expect(noTokens.stderr).toContain('missing environment variable: PAGERDUTY_TOKEN');
    expect(existsSync(join(world.root, 'handovers/t.yaml'))).toBe(false);
  });

  it('reports a provider failure in one line and writes nothing', async () => {
    const result = await world.run(
      ['init', '--outgoing', 'alice', '--incoming', 'bob', '--out', 'handovers/f.yaml'],
      {
        PAGERDUTY_TOKEN: 'wrong-token',
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^handover init: could not read live state: pagerduty \S+ failed \(auth 401\)/,
    );
    expect(result.stderr).not.toContain('wrong-token');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(world.root, 'handovers/f.yaml'))).toBe(false);
    rmSync(join(world.root, 'handovers/f.yaml'), { force: true });
  });
});
