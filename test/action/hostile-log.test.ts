/**
 * Workflow-command injection through manifest text, end to end: validate, plan and apply of the built
 * action, run as the runner runs it (GITHUB_ACTIONS=true), on a manifest whose text carries commands in
 * both of the runner's grammars. The whole stdout of each run is read with the runner's own parsing
 * (test/support/runner-commands.ts, ported from actions/runner): no command appears that the tool did not
 * emit, and nothing the manifest wrote is ever processed.
 */
import { describe, expect, it } from 'vitest';
import { secretForms } from '../../src/render/secret-forms.js';
import { type RunnerCommand, runnerCommands } from '../support/runner-commands.js';
import type { ActionRun } from './harness/runner.js';
import { applyOnPush } from './harness/scenario.js';
import { useBuiltAction } from './harness/suite.js';
import {
  type ActionWorld,
  BOB,
  createActionWorld,
  LEDGER_KEY,
  manifestPath,
  manifestYaml,
} from './harness/world.js';

let world: ActionWorld;
const bundle = useBuiltAction(() => world);

const ID = '2026-11-27-alice-to-bob';
const PATH = manifestPath(ID);

/** Every legacy command the runner knows, and the V2 forms, in one line of "prose". */
const HOSTILE =
  'forged ##[error title=Approved]forged ##[add-mask]alice ##[stop-commands]forged ::error title=Approved::forged ##[warning]forged';

/** The commands of a run: only ours — masks of our secrets, groups, annotations, and our stop/resume pairs. */
function expectOnlyOurCommands(run: ActionRun, w: ActionWorld): RunnerCommand[] {
  const commands = runnerCommands(run.stdout);
  const secrets = [...Object.values(w.sandbox.tokens), LEDGER_KEY];
  let token: string | null = null;
  for (const command of commands) {
    expect(command.grammar, command.line).toBe('v2');
    expect(command.line).not.toContain('forged');
    if (command.name === 'stop-commands') {
      expect(command.data, command.line).toMatch(/^handover-[0-9a-f]{32}$/);
      token = command.data;
      continue;
    }
    if (command.name === 'resume') {
      expect(command.line).toBe(`::${token}::`);
      continue;
    }
    expect(['add-mask', 'group', 'endgroup', 'error', 'warning', 'notice'], command.line).toContain(
      command.name,
    );
    if (command.name === 'add-mask')
      expect([...secrets, ...secrets.flatMap(secretForms)], command.line).toContain(command.data);
  }
  return commands;
}

function hostileManifest(): string {
  return manifestYaml({ id: ID, hypothesis: HOSTILE });
}

describe('manifest text that carries workflow commands', () => {
  it('is inert in validate and plan on the pull request, valid or not', async () => {
    world = await createActionWorld(bundle());
    world.repo.commit({ [PATH]: hostileManifest() }, 'the pull request as checked out');
    const number = world.openPullRequest({ files: [{ filename: PATH, status: 'added' }] });
    world.approve(number, BOB.github);

    for (const command of ['validate', 'plan']) {
      const run = await world.run({
        command,
        eventName: 'pull_request',
        event: world.pullRequestEvent(number),
      });
      expect(run.code, `${command}: ${run.stdout}${run.stderr}`).toBe(0);
      expectOnlyOurCommands(run, world);
    }

    // Invalid: the hostile text is echoed back in source lines under each finding.
    world.repo.commit(
      {
        [PATH]: hostileManifest().replace(
          'reason: rotation',
          `reason: rotation\nbogus: "${HOSTILE}"\n::error title=Approved::forged`,
        ),
      },
      'an invalid manifest',
    );
    for (const command of ['validate', 'plan']) {
      const run = await world.run({
        command,
        eventName: 'pull_request',
        event: world.pullRequestEvent(number),
      });
      expect(run.code, `${command}: ${run.stdout}`).toBe(1);
      expectOnlyOurCommands(run, world);
    }
  });

  it('is inert in apply on the merge, in the log, and nothing it says is processed', async () => {
    world = await createActionWorld(bundle());
    const before = world.repo.head();
    const number = world.openPullRequest({ files: [{ filename: PATH, status: 'added' }] });
    world.approve(number, BOB.github);
    const sha = world.merge(number, { [PATH]: hostileManifest() });

    const run = await applyOnPush(world, sha, before);

    expect(run.outputs.result, run.stdout + run.stderr).toBe('success');
    expectOnlyOurCommands(run, world);
  });
});
