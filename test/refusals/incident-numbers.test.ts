import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { planHandover } from '../../src/core/plan.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import {
  arrangeSmallWorld,
  createWorld,
  effects,
  mutations,
  NOW,
  smallManifest,
  status,
  type World,
} from '../apply/world.js';
import { rawPagerDuty } from '../sandbox/pagerduty-helpers.js';
import { startClockedSandbox } from '../support/sandbox.js';

const NUMBER = 48213;
const REAL_ID = 'Q7NUMBERED0001';

describe('PagerDuty emulator: incident numbers as ids', () => {
  it('answers GET /incidents/{number} with the incident and its real id; writes take ids only', async () => {
    const { sandbox } = await startClockedSandbox();
    try {
      sandbox.emulators.pagerduty.addIncident({ title: 'Numbered', id: REAL_ID, number: NUMBER });
      const got = await rawPagerDuty(sandbox, 'GET', `/incidents/${NUMBER}`);
      expect(got.status).toBe(200);
      expect(got.data).toMatchObject({ incident: { id: REAL_ID, incident_number: NUMBER } });
      expect((await rawPagerDuty(sandbox, 'GET', '/incidents/99999')).status).toBe(404);
      const note = await rawPagerDuty(sandbox, 'POST', `/incidents/${NUMBER}/notes`, {
        body: { note: { content: 'x' } },
        from: SEED_ADMINS.alice.email,
      });
      expect(note.status).toBe(404);
      expect(sandbox.emulators.pagerduty.notes(REAL_ID)).toEqual([]);
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

/**
 * A manifest that names an incident by its number is refused — by plan on the pull request and by apply
 * before its first write — with the id to write instead (docs/plan.md#incidents-named-by-number).
 */
describe('an incident named by its number', () => {
  const byNumber = () =>
    smallManifest({
      incidents: [
        ...smallManifest().incidents,
        { id: String(NUMBER), title: 'Numbered', status: status('numbered') },
      ],
    });

  it('is named by plan, stops apply with nothing written, and hands over once written by id', async () => {
    world = await createWorld({
      manifest: byNumber(),
      arrange: (sandbox) => {
        arrangeSmallWorld(sandbox);
        sandbox.emulators.pagerduty.addIncident({
          title: 'Numbered',
          id: REAL_ID,
          number: NUMBER,
          assigneeIds: [SEED_ADMINS.alice.pagerduty],
        });
      },
    });
    const { sandbox } = world;

    const planned = await planHandover({
      manifestPath: world.manifestPath,
      displayPath: world.manifestRepoPath,
      config: world.config,
      env: world.env,
      now: () => NOW,
      pullRequest: null,
      cwd: world.root,
    });
    if (planned.kind !== 'planned') throw new Error(`plan did not plan: ${JSON.stringify(planned)}`);
    expect(planned.succeeded).toBe(false);
    const about = planned.plan.findings.filter((f) => f.target === String(NUMBER) || f.target === REAL_ID);
    expect(about.map((f) => [f.severity, f.rule])).toEqual([['error', 'incident.by-number']]);
    expect(about[0]!.message).toContain(`incidents[2].id: ${NUMBER} is the number of incident ${REAL_ID}`);

    const before = mutations(sandbox).length;
    const refused = await world.apply();
    expect(refused.exitCode).toBe(1);
    expect(JSON.stringify(refused.log)).toContain(`write \`${REAL_ID}\``);
    expect(mutations(sandbox)).toHaveLength(before);
    expect(sandbox.emulators.pagerduty.notes(REAL_ID)).toEqual([]);

    // Written by id, the same handover completes, and a re-run repeats nothing.
    const fixed = byNumber();
    fixed.incidents[2] = { ...fixed.incidents[2]!, id: REAL_ID };
    writeFileSync(world.manifestPath, stringify({ apiVersion: 'handover/v1', kind: 'Handover', ...fixed }));
    const done = await world.apply();
    expect(done.exitCode).toBe(0);
    expect(sandbox.emulators.pagerduty.incident(REAL_ID)!.assignments.map((a) => a.userId)).toEqual([
      SEED_ADMINS.bob.pagerduty,
    ]);
    const writes = effects(sandbox).length;
    expect((await world.apply()).exitCode).toBe(0);
    expect(effects(sandbox)).toHaveLength(writes);
  });

  it('refuses outage.incident given by number the same way', async () => {
    world = await createWorld({
      manifest: smallManifest({
        variant: 'mid-shift-outage',
        outage: { incident: String(NUMBER), lead: 'alice' },
      }),
      arrange: (sandbox) => {
        arrangeSmallWorld(sandbox);
        sandbox.emulators.pagerduty.addIncident({
          title: 'Control plane down',
          id: REAL_ID,
          number: NUMBER,
          status: 'resolved',
        });
      },
    });
    const planned = await planHandover({
      manifestPath: world.manifestPath,
      displayPath: world.manifestRepoPath,
      config: world.config,
      env: world.env,
      now: () => NOW,
      pullRequest: null,
      cwd: world.root,
    });
    if (planned.kind !== 'planned') throw new Error(`plan did not plan: ${JSON.stringify(planned)}`);
    expect(
      planned.plan.findings.filter((f) => f.section === 'outage').map((f) => [f.rule, f.message]),
    ).toEqual([
      [
        'incident.by-number',
        expect.stringContaining(`outage.incident: ${NUMBER} is the number of incident ${REAL_ID}`),
      ],
    ]);
    const before = mutations(world.sandbox).length;
    const refused = await world.apply();
    expect(refused.exitCode).toBe(1);
    expect(JSON.stringify(refused.log)).toContain(
      `outage.incident: ${NUMBER} is the number of incident ${REAL_ID}`,
    );
    expect(mutations(world.sandbox)).toHaveLength(before);
  });
});
