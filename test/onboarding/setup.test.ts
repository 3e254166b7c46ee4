/**
 * `handover setup` against the sandbox, in a fresh git repository: the config from live state (with
 * placeholders validate rejects), the workflows pinned to the action's commit, and re-runs that never
 * overwrite a person's edit without --force.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import { type CliWorld, startCliWorld } from '../plan/cli-world.js';

const SHA = 'a'.repeat(40);
let world: CliWorld;

beforeEach(async () => {
  world = await startCliWorld();
  execFileSync('git', ['init', '--quiet'], { cwd: world.root });
  world.write('handover.config.yaml', ''); // setup writes it
  execFileSync('rm', [join(world.root, 'handover.config.yaml')]);
});
afterEach(async () => {
  await world.close();
});

/** The seed world narrowed to one service, one schedule and one channel the app is in. */
function narrowToOne(w: CliWorld): void {
  const pd = w.sandbox.emulators.pagerduty;
  const state = pd.snapshot();
  state.services = state.services.filter((s) => s.id === SEED_IDS.pagerdutyServiceId);
  state.schedules = state.schedules.filter((s) => s.id === SEED_IDS.pagerdutyScheduleId);
  pd.restore(state);
  w.sandbox.emulators.slack.setBotMembership('C0GENERAL1', false);
}

const FLAGS = [
  '--service',
  'platform-ops',
  '--schedule',
  'Platform primary',
  '--channel',
  'novavms-platform-ops',
];

describe('handover setup', () => {
  it('needs no flags where the tokens see one service, schedule and channel', async () => {
    narrowToOne(world);
    const result = await world.run(['setup', '--action-sha', SHA]);
    expect(result.code, result.stderr).toBe(0);
    const config = world.read('handover.config.yaml');
    expect(config).toContain(`serviceId: ${SEED_IDS.pagerdutyServiceId} # platform-ops`);
    expect(config).toContain(`scheduleId: ${SEED_IDS.pagerdutyScheduleId} # Platform primary`);
    expect(config).toContain(`channel: ${SEED_IDS.slackChannel}`);
    expect(config).toMatch(
      /alice: # Alice Moreau\n {4}github: "TODO: GitHub login"\n {4}pagerduty: PUSR001\n {4}slack: U0ALICE\n {4}email: alice@novavms\.example/,
    );
    expect(config).toContain('bob: # Bob Okafor');
    expect(config).toContain('dana: # Dana Lindqvist');

    const pr = world.read('.github/workflows/handover-pr.yml');
    const apply = world.read('.github/workflows/handover-apply.yml');
    for (const workflow of [pr, apply]) {
      expect(workflow).toContain(`uses: novavms/handover@${SHA} # v`);
      expect(workflow).not.toMatch(/uses: \.\/$/m);
    }
    expect(pr).toContain('npx --no-install handover doctor');
    expect(world.read('.github/CODEOWNERS')).toContain('/handover.config.yaml');
    const settings = JSON.parse(world.read('.vscode/settings.json'));
    expect(Object.values(settings['yaml.schemas'])).toContainEqual(['handover.config.yaml']);

    // What no API can tell is a placeholder validate rejects, at its line.
    const validate = await world.run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/handover\.config\.yaml:\d+:\d+.*GitHub login/);
  });

  it('names the flag and the candidates where there are several', async () => {
    const result = await world.run(['setup', '--action-sha', SHA]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /2 services: name one with --service: 'billing-api' \(PSVC002\), 'platform-ops' \(PSVC001\)/,
    );
    const schedule = await world.run(['setup', '--action-sha', SHA, '--service', 'platform-ops']);
    expect(schedule.stderr).toMatch(/--schedule: 'Billing primary' .*'Platform primary' \(PSCH001\)/);
    const channel = await world.run([
      'setup',
      '--action-sha',
      SHA,
      '--service',
      'platform-ops',
      '--schedule',
      'PSCH001',
    ]);
    expect(channel.stderr).toMatch(
      /--channel: 'novavms-platform-ops' \(C0PLATOPS\), 'general' \(C0GENERAL1\)/,
    );
    const ok = await world.run(['setup', '--action-sha', SHA, ...FLAGS]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('asks for the action commit when it cannot tell', async () => {
    const result = await world.run(['setup', '--action-sha', 'v0.1.0', ...FLAGS]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/full 40-hex commit SHA/);
  });

  it('a re-run changes nothing; an edited file is kept unless --force', async () => {
    expect((await world.run(['setup', '--action-sha', SHA, ...FLAGS])).code).toBe(0);
    const files = [
      'handover.config.yaml',
      '.github/workflows/handover-pr.yml',
      '.github/workflows/handover-apply.yml',
      '.github/CODEOWNERS',
      '.vscode/settings.json',
    ];
    const before = files.map((f) => world.read(f));
    const again = await world.run(['setup', '--action-sha', SHA, ...FLAGS]);
    expect(again.code).toBe(0);
    expect(again.stdout.match(/^unchanged/gm)).toHaveLength(files.length);
    expect(files.map((f) => world.read(f))).toEqual(before);

    const edited = world.read('handover.config.yaml').replace('"TODO: GitHub login"', 'alice-nv');
    world.write('handover.config.yaml', edited);
    const settings = world.read('.vscode/settings.json').replace('{', '{\n  "editor.tabSize": 2,');
    world.write('.vscode/settings.json', settings);
    const kept = await world.run(['setup', '--action-sha', SHA, ...FLAGS]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/kept .*handover\.config\.yaml/);
    expect(world.read('handover.config.yaml')).toBe(edited);
    expect(world.read('.vscode/settings.json')).toBe(settings);

    const forced = await world.run(['setup', '--action-sha', SHA, '--force', ...FLAGS]);
    expect(forced.stdout).toMatch(/overwritten handover\.config\.yaml/);
    expect(world.read('handover.config.yaml')).toBe(before[0]);
  });

  it("the workflows are this repository's own, with the released action instead of ./", async () => {
    expect((await world.run(['setup', '--action-sha', SHA, ...FLAGS])).code).toBe(0);
    const strip = (text: string) =>
      text
        .replaceAll(
          `novavms/handover@${SHA} # v${JSON.parse(readFileSync('package.json', 'utf8')).version}`,
          './',
        )
        .replace(/\n# handover-setup: [0-9a-f]{16}\n$/, '\n');
    expect(strip(world.read('.github/workflows/handover-apply.yml'))).toBe(
      readFileSync('.github/workflows/handover-apply.yml', 'utf8'),
    );
    const ours = readFileSync('.github/workflows/handover-pr.yml', 'utf8');
    expect(strip(world.read('.github/workflows/handover-pr.yml')).startsWith(ours)).toBe(true);
  });
});
