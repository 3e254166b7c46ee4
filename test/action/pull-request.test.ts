/**
 * The built action on a handover pull request (the checks of handover-pr.yml), run as GitHub runs it: a
 * separate `node dist/index.js` with the runner protocol, against the sandbox over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { secretForms } from '../../src/render/secret-forms.js';
import type { ActionRun } from './harness/runner.js';
import { useBuiltAction } from './harness/suite.js';
import { type ActionWorld, BOB, createActionWorld, manifestPath, manifestYaml } from './harness/world.js';

let world: ActionWorld;
const bundle = useBuiltAction(() => world);

const ID = '2026-11-27-alice-to-bob';
const PATH = manifestPath(ID);
const PLAN_MARKER = '<!-- handover:plan -->';

/** A pull request that adds the manifest; its text is in the checkout (the runner checks out the PR). */
function openHandoverPullRequest(w: ActionWorld, text: string): number {
  w.repo.commit({ [PATH]: text }, 'the pull request as checked out');
  return w.openPullRequest({ files: [{ filename: PATH, status: 'added' }] });
}

function annotations(run: ActionRun, name: string) {
  return run.commands.filter((c) => c.name === name);
}

/** Only the commands we write: masks of our own tokens, groups, annotations; never one from the manifest. */
function expectOnlyOurCommands(run: ActionRun, w: ActionWorld): void {
  const tokens = Object.values(w.sandbox.tokens);
  // Our own pause around command output: `::stop-commands::<token>` … `::<token>::` (render/log-safety.ts).
  const ours = /^handover-[0-9a-f]{32}$/;
  for (const command of run.commands) {
    if (command.name === 'stop-commands' && ours.test(command.data)) continue;
    if (ours.test(command.name) && command.data === '') continue;
    expect(['add-mask', 'group', 'endgroup', 'error', 'warning', 'notice'], command.line).toContain(
      command.name,
    );
    if (command.name === 'add-mask')
      expect([...tokens, ...tokens.flatMap(secretForms)], command.line).toContain(command.data);
    expect(command.line).not.toContain('forged');
  }
}

function planComments(w: ActionWorld, number: number) {
  return w.sandbox.emulators.github.comments(number).filter((c) => c.body.includes(PLAN_MARKER));
}

describe('validate on a pull request', () => {
  it('puts each problem as an annotation on its manifest line, and the rest beyond the cap in the summary', async () => {
    world = await createActionWorld(bundle());
    // Placeholders in every status part of every incident: nine errors, and a few more from the tickets.
    const text = manifestYaml({ id: ID })
      .replace(/(hypothesis|lastAction|nextAction): .*/g, '$1: TODO')
      .replace(
        'disposition: waiting_on_engineering\n    engineeringIssue: novavms/platform#812',
        'disposition: waiting_on_engineering',
      )
      .replace('disposition: waiting_on_customer', 'disposition: waiting_on_customer\n    colour: blue');
    const number = openHandoverPullRequest(world, text);

    const run = await world.run({
      command: 'validate',
      eventName: 'pull_request',
      event: world.pullRequestEvent(number),
    });

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failure');
    const errors = annotations(run, 'error');
    // Ten annotations (GitHub's cap per step) plus the step's failure message.
    expect(errors.length).toBe(11);
    const first = errors[0]!;
    expect(first.properties).toMatch(new RegExp(`file=${PATH.replace(/[./]/g, '\\$&')},line=\\d+,col=\\d+`));
    expect(run.summary).toContain('| Where | Severity | Rule | Message |');
    expect(run.summary).toContain('1 more finding');
    expectOnlyOurCommands(run, world);
  });

  it('passes a valid manifest and counts what it lists', async () => {
    world = await createActionWorld(bundle());
    const number = openHandoverPullRequest(world, manifestYaml({ id: ID }));

    const run = await world.run({
      command: 'validate',
      eventName: 'pull_request',
      event: world.pullRequestEvent(number),
    });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'success', incidents: '3', tickets: '3', rollouts: '2' });
    expect(run.summary).toContain('are valid');
  });

  it('passes at once, without secrets, on any pull request or review that touches no manifest (the checks are required on every pull request)', async () => {
    world = await createActionWorld(bundle());
    const number = world.openPullRequest({ files: [{ filename: 'src/cli/main.ts', status: 'modified' }] });

    for (const [eventName, event] of [
      ['pull_request', world.pullRequestEvent(number)],
      ['pull_request_review', world.reviewEvent(number, BOB.github)],
    ] as const)
      for (const command of ['validate', 'plan']) {
        // As on a fork: no read-only keys either.
        const run = await world.run({
          command,
          eventName,
          event,
          inputs: { 'pagerduty-token': '', 'platform-token': '' },
        });
        expect(run.code, run.stdout).toBe(0);
        expect(run.outputs.result).toBe('success');
        expect(run.stdout).toContain(`Nothing to ${command}`);
      }
  });
});

describe('plan on a pull request', () => {
  it('writes one sticky comment, fails until the incoming admin approves the final commit, then passes', async () => {
    world = await createActionWorld(bundle());
    const number = openHandoverPullRequest(world, manifestYaml({ id: ID }));

    const unapproved = await world.run({
      command: 'plan',
      eventName: 'pull_request',
      event: world.pullRequestEvent(number),
    });

    expect(unapproved.code).toBe(1);
    expect(unapproved.outputs).toMatchObject({
      result: 'failure',
      incidents: '3',
      tickets: '3',
      rollouts: '2',
    });
    expect(planComments(world, number)).toHaveLength(1);
    expect(planComments(world, number)[0]?.body).toContain('bob');
    expect(unapproved.summary).toContain('## Handover plan');
    expect(annotations(unapproved, 'error').some((c) => c.properties.includes(`file=${PATH}`))).toBe(true);
    expect(world.sideEffects()).toBe(0);

    world.approve(number, BOB.github);
    const approved = await world.run({
      command: 'plan',
      eventName: 'pull_request_review',
      event: world.reviewEvent(number, BOB.github),
    });

    expect(approved.code, approved.stdout + approved.stderr).toBe(0);
    expect(approved.outputs.result).toBe('success');
    expect(planComments(world, number)).toHaveLength(1);
    expect(world.sideEffects()).toBe(0);
    expectOnlyOurCommands(approved, world);
  });

  it('explains, instead of planning half-blind, when a fork pull request runs without the read-only keys', async () => {
    world = await createActionWorld(bundle());
    const number = openHandoverPullRequest(world, manifestYaml({ id: ID }));
    const event = world.pullRequestEvent(number) as {
      pull_request: { head: { repo: { full_name: string } } };
    };
    event.pull_request.head.repo.full_name = 'mallory/oncall';

    const run = await world.run({
      command: 'plan',
      eventName: 'pull_request',
      event,
      inputs: { 'pagerduty-token': '', 'platform-token': '' },
    });

    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failure');
    expect(run.summary).toContain('comes from a fork');
    expect(planComments(world, number)).toHaveLength(0);
  });
});

describe('manifest text in the log', () => {
  it('cannot become a workflow command, whatever the manifest says', async () => {
    world = await createActionWorld(bundle());
    const hostile = manifestYaml({
      id: ID,
      hypothesis:
        '::add-mask::alice pool exhaustion on the replicas\n::error title=Approved::forged approval',
    }).replace('title: EU API p99 latency above 2s', 'title: "::warning::forged title"');
    const number = openHandoverPullRequest(world, hostile);
    world.approve(number, BOB.github);

    const validate = await world.run({
      command: 'validate',
      eventName: 'pull_request',
      event: world.pullRequestEvent(number),
    });
    expectOnlyOurCommands(validate, world);
    const plan = await world.run({
      command: 'plan',
      eventName: 'pull_request',
      event: world.pullRequestEvent(number),
    });
    expect(plan.stdout).toContain('::warning::forged title'); // it is in the log, as text
    expectOnlyOurCommands(plan, world);
    expect(plan.summary).not.toMatch(/^::/m);
  });
});
