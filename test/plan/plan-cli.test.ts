import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { type CliWorld, initFilledManifest, startCliWorld } from './cli-world.js';

function without(yaml: string, section: string, index: number): string {
  const doc = parseDocument(yaml);
  doc.deleteIn([section, index]);
  return doc.toString();
}

describe('plan on the sandbox seed', () => {
  let world: CliWorld;
  let path: string;
  let yaml: string;

  beforeAll(async () => {
    world = await startCliWorld();
    ({ path, yaml } = await initFilledManifest(world, ['--outgoing', 'alice', '--incoming', 'bob']));
  });
  afterAll(async () => {
    await world?.close();
  });

  it('exits 0 when every incident, ticket and rollout of the outgoing admin is handed over', async () => {
    world.write(path, yaml);
    const result = await world.run(['plan', path]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Nothing would be stranded: 3 incidents, 3 tickets and 2 rollouts move to bob.',
    );
    expect(result.stdout).toContain(
      `+ end alice's impersonation session ${PLATFORM_SEED.sessionOnActiveTicket}`,
    );
    expect(result.stdout).toContain('+ link the engineering issue novavms/platform#812');
    expect(result.stdout).toContain(
      '+ post: On-call: @alice → @bob as of <time of apply>. 3 incidents reassigned, 3 tickets reassigned, 2 rollouts in flight. Details in the thread.',
    );
    // dana's incident is context, never part of alice's handover.
    expect(result.stdout).toMatch(new RegExp(`info +incident.not-outgoing +${SEED_INCIDENTS.sessionErrors}`));
  });

  const items: Array<[string, number, string, string]> = [
    ['incidents', 0, 'incident.omitted', SEED_INCIDENTS.adminCertificate],
    ['incidents', 1, 'incident.omitted', SEED_INCIDENTS.euApiLatency],
    ['incidents', 2, 'incident.omitted', SEED_INCIDENTS.buildRunnerDisk],
    ['tickets', 0, 'ticket.omitted', PLATFORM_SEED.ticketWaitingOnCustomer],
    ['tickets', 1, 'ticket.omitted', PLATFORM_SEED.ticketWaitingOnEngineering],
    ['tickets', 2, 'ticket.omitted', PLATFORM_SEED.ticketActive],
    ['rollouts', 0, 'rollout.omitted', PLATFORM_SEED.rolloutRamping],
    ['rollouts', 1, 'rollout.omitted', PLATFORM_SEED.rolloutPaused],
  ];
  it.each(items)('removing %s[%i] makes plan exit 1 naming it (%s %s)', async (section, index, rule, id) => {
    world.write(path, without(yaml, section, index));
    const result = await world.run(['plan', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`error +${rule.replace('.', '\\.')} +${id}: `));
    expect(result.stdout).toContain('1 problem would leave work stranded');
  });

  it('an open impersonation session the manifest does not list is an error', async () => {
    const doc = parseDocument(yaml);
    doc.setIn(['tickets', 2, 'disposition'], 'waiting_on_customer');
    doc.deleteIn(['tickets', 2, 'impersonationSession']);
    world.write(path, doc.toString());
    const result = await world.run(['plan', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `error +session\\.unlisted +${PLATFORM_SEED.sessionOnActiveTicket}: alice has open impersonation session`,
      ),
    );
  });

  it('a listed session that is not open is a warning, not a failure', async () => {
    const doc = parseDocument(yaml);
    doc.setIn(['tickets', 0, 'disposition'], 'active');
    doc.setIn(['tickets', 0, 'impersonationSession'], PLATFORM_SEED.sessionOfDana);
    world.write(path, doc.toString());
    const result = await world.run(['plan', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`warning +session\\.not-open +${PLATFORM_SEED.sessionOfDana}`));
  });

  it('prints the plan as JSON and as Markdown', async () => {
    world.write(path, yaml);
    const json = await world.run(['plan', path, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      stranded: 0,
      counts: { incidents: 3, tickets: 3, rollouts: 2 },
    });
    const markdown = await world.run(['plan', path, '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('```mermaid\ngantt\n');
    expect(markdown.stdout).toContain('#### Incidents');
  });

  it('stops at validation: an invalid manifest exits 1 with its diagnostics and reads nothing', async () => {
    world.write(path, yaml.replace('Connection pool exhaustion on the read replicas.', 'TODO'));
    const before = world.sandbox.requests.length;
    const result = await world.run(['plan', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[status.placeholder]');
    expect(result.stderr).toContain('is not a valid manifest');
    expect(world.sandbox.requests.length).toBe(before);
  });

  it('names the missing environment variables and exits 2', async () => {
    world.write(path, yaml);
    const result = await world.run(['plan', path], { PAGERDUTY_TOKEN: undefined, PLATFORM_TOKEN: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'handover plan: missing environment variables: PAGERDUTY_TOKEN, PLATFORM_TOKEN (secrets come from the environment only)\n',
    );
  });

  it('reports a refused token as one line naming the service and the call, without the token', async () => {
    world.write(path, yaml);
    const result = await world.run(['plan', path], { PLATFORM_TOKEN: 'not-the-sandbox-token' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^handover plan: platform \S+ failed \(auth 401\)/);
    expect(result.stderr).not.toContain('not-the-sandbox-token');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a manifest that does not exist, and on usage mistakes', async () => {
    expect((await world.run(['plan', 'handovers/nope.yaml'])).code).toBe(2);
    expect((await world.run(['plan'])).code).toBe(2);
    expect((await world.run(['plan', path, '--now', 'yesterday'])).code).toBe(2);
    expect((await world.run(['plan', path, '--format', 'html'])).code).toBe(2);
  });
});

describe('plan on a world that moved since the manifest was written', () => {
  let world: CliWorld;
  let path: string;

  beforeAll(async () => {
    world = await startCliWorld();
    ({ path } = await initFilledManifest(world, ['--outgoing', 'alice', '--incoming', 'bob']));
    const { pagerduty, platform } = world.sandbox.emulators;
    pagerduty.resolveIncident(SEED_INCIDENTS.buildRunnerDisk, 'PUSR001');
    platform.setTicket(PLATFORM_SEED.ticketWaitingOnCustomer, { status: 'closed' });
    platform.setRollout(PLATFORM_SEED.rolloutPaused, { state: 'complete', rampPercent: 100 });
    platform.setRollout(PLATFORM_SEED.rolloutRamping, { rampPercent: 50, errorRatePercent: 0.61 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('warns about resolved, closed, finished and drifted items and still exits 0', async () => {
    const result = await world.run(['plan', path]);
    expect(result.code, result.stdout).toBe(0);
    const warnings = result.stdout.split('\n').filter((line) => line.startsWith('  warning'));
    expect(warnings.map((line) => line.split(/\s+/).slice(2, 4).join(' '))).toEqual([
      `incident.resolved ${SEED_INCIDENTS.buildRunnerDisk}:`,
      `ticket.closed ${PLATFORM_SEED.ticketWaitingOnCustomer}:`,
      `rollout.drift ${PLATFORM_SEED.rolloutRamping}:`,
      `rollout.finished ${PLATFORM_SEED.rolloutPaused}:`,
    ]);
    expect(result.stdout).toContain('ramp is 50%, not 25%; error rate is 0.61%, not 0.42%');
    expect(result.stdout).toContain(
      `${SEED_INCIDENTS.buildRunnerDisk} "Disk usage above 90% on build-runner-07"  (resolved`,
    );
    expect(result.stdout).toContain('- skipped: already resolved');
    expect(result.stdout).toContain('2 incidents, 2 tickets and 1 rollout move to bob');
  });
});

describe('plan during a mid-shift outage', () => {
  let world: CliWorld;
  let outage: string;
  let path: string;

  beforeAll(async () => {
    world = await startCliWorld();
    outage = world.sandbox.emulators.pagerduty.addIncident({
      title: 'Control plane unavailable in eu-west',
      assigneeIds: ['PUSR001'],
    });
    ({ path } = await initFilledManifest(world, [
      '--outgoing',
      'alice',
      '--incoming',
      'bob',
      '--variant',
      'mid-shift-outage',
      '--outage-incident',
      outage,
      '--lead',
      'alice',
    ]));
  });
  afterAll(async () => {
    await world?.close();
  });

  it('fails while the outage is open, and passes once it is resolved', async () => {
    const open = await world.run(['plan', path]);
    expect(open.code).toBe(1);
    expect(open.stdout).toMatch(new RegExp(`error +outage\\.unresolved +${outage}: the outage`));
    expect(open.stdout).toContain('defer (exit 3) until the outage is resolved; alice leads meanwhile');
    world.sandbox.emulators.pagerduty.resolveIncident(outage, 'PUSR001');
    const resolved = await world.run(['plan', path]);
    expect(resolved.code, resolved.stdout).toBe(0);
    expect(resolved.stdout).toMatch(new RegExp(`info +outage\\.resolved +${outage}`));
  });
});
