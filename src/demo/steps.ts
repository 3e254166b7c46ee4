import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { applyCommand } from '../cli/commands/apply.js';
import { initCommand } from '../cli/commands/init.js';
import { planCommand } from '../cli/commands/plan.js';
import { validateCommand } from '../cli/commands/validate.js';
import { shortSha } from '../format.js';
import { findManifests } from '../manifest/index.js';
import { type DemoContext, DemoFailure, required, runStepCommand } from './context.js';
import { fillPlaceholders } from './fill.js';
import { changesNotAlreadyDone, outcomeCounts, readJournal } from './journals.js';
import { mutatingRequestCount, summaryPost } from './world.js';

export const STEP_COUNT = 7;

const FIRST_DIAGNOSTICS = 4;

function posix(path: string): string {
  return path.split(sep).join('/');
}

/** The closing lines of a report (after its last blank line): plan's verdict. */
function lastParagraph(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  const blank = lines.lastIndexOf('');
  return lines.slice(blank + 1);
}

export async function draftManifest(context: DemoContext): Promise<void> {
  const { narrator, outgoing, incoming } = context;
  narrator.step(
    1,
    `${outgoing.handle} drafts the handover from live state`,
    `${outgoing.handle} is going off call. On a branch of the on-call repository she runs init: it reads her open incidents, pinned tickets and rollouts in flight, and leaves TODOs where only she knows the answer.`,
  );
  await runStepCommand(
    context,
    initCommand,
    ['init', '--outgoing', outgoing.handle, '--incoming', incoming.handle],
    { expectExit: 0, expectation: 'init writes the draft manifest' },
  );
  const found = findManifests(context.dir);
  const path = found[0];
  if (found.length !== 1 || path === undefined)
    throw new DemoFailure(`expected init to write one manifest under handovers/, found ${found.length}`);
  context.manifest = {
    path,
    repoPath: posix(relative(context.dir, path)),
    id: basename(path).replace(/\.ya?ml$/, ''),
  };
  narrator.ok(`draft written: ${context.manifest.repoPath}`);
}

export async function fillAndValidate(context: DemoContext): Promise<void> {
  const { narrator } = context;
  const manifest = required(context.manifest, 'the manifest');
  narrator.step(
    2,
    'validate refuses the TODOs; alice fills them in',
    'CI runs validate on every pull request. "A reassignment without a status paragraph is not a handover": the draft fails until every placeholder is real prose.',
  );
  const refused = await runStepCommand(context, validateCommand, ['validate', manifest.repoPath], {
    echo: false,
    expectExit: 1,
    expectation: 'the draft still has TODO placeholders',
  });
  const problems = refused.stdout.split('\n').filter((line) => /\berror\b/.test(line));
  for (const line of problems.slice(0, FIRST_DIAGNOSTICS)) narrator.output(line);
  if (problems.length > FIRST_DIAGNOSTICS)
    narrator.output(`… and ${problems.length - FIRST_DIAGNOSTICS} more`);
  narrator.say(narrator.style.yellow('exit 1, as expected: the draft is not a handover yet'));

  const filled = fillPlaceholders(readFileSync(manifest.path, 'utf8'));
  writeFileSync(manifest.path, filled.text);
  narrator.say(
    `alice replaces the ${filled.filled.length} placeholders: a status paragraph (hypothesis, last action, next action) per incident, the next ramp step per rollout, the engineering issue a ticket waits on.`,
  );
  await runStepCommand(context, validateCommand, ['validate', manifest.repoPath], {
    expectExit: 0,
    expectation: 'every placeholder has been replaced',
  });
  narrator.ok('the manifest is valid');
}

export async function openPullRequest(context: DemoContext): Promise<void> {
  const { narrator, sandbox, outgoing, incoming } = context;
  const manifest = required(context.manifest, 'the manifest');
  narrator.step(
    3,
    'alice opens a pull request; CI posts the plan',
    `The pull request adds only this file. The workflow runs plan against it: what apply will do, what would be stranded, and whether ${incoming.handle} has acknowledged. Until he approves, the check stays red.`,
  );
  const pull = sandbox.emulators.github.createPullRequest({
    author: outgoing.github,
    title: `Handover ${manifest.id}: ${outgoing.handle} → ${incoming.handle}`,
    body: `On-call handover from ${outgoing.handle} to ${incoming.handle}.`,
    headRef: `handover/${manifest.id}`,
    files: [{ filename: manifest.repoPath, status: 'added' }],
  });
  context.pullRequest = pull.number;
  narrator.say(
    `${outgoing.handle} (${outgoing.github}) opened pull request #${pull.number} in the sandbox's GitHub, head commit ${shortSha(pull.headSha)}`,
  );
  await runStepCommand(
    context,
    planCommand,
    ['plan', manifest.repoPath, '--pull-request', String(pull.number)],
    {
      expectExit: 1,
      expectation: `the plan waits for ${incoming.handle}'s approval`,
    },
  );
  narrator.ok(
    `exit 1, as expected: nothing would be stranded, but the plan is waiting for ${incoming.handle}'s approval`,
  );
}

export async function approveAndMerge(context: DemoContext): Promise<void> {
  const { narrator, sandbox, outgoing, incoming } = context;
  const manifest = required(context.manifest, 'the manifest');
  const number = required(context.pullRequest, 'the pull request');
  narrator.step(
    4,
    `${incoming.handle} approves: the acknowledgement`,
    `${incoming.handle} reads the plan comment and approves the pull request's final commit. That approval, by the named incoming admin on that commit, is his explicit acknowledgement. plan runs again and turns green; alice merges.`,
  );
  const head = sandbox.emulators.github.pullRequest(number).commits.at(-1) ?? '';
  sandbox.emulators.github.addReview(number, {
    user: incoming.github,
    state: 'APPROVED',
    body: 'I have the pager. Thanks for the notes.',
  });
  narrator.say(`${incoming.handle} (${incoming.github}) approved commit ${shortSha(head)}`);
  const acknowledged = await runStepCommand(
    context,
    planCommand,
    ['plan', manifest.repoPath, '--pull-request', String(number)],
    { echo: false, expectExit: 0, expectation: `${incoming.handle} approved the head commit` },
  );
  for (const line of lastParagraph(acknowledged.stdout)) narrator.output(line);
  const markdown = await runStepCommand(
    context,
    planCommand,
    ['plan', manifest.repoPath, '--pull-request', String(number), '--format', 'markdown'],
    { echo: false, expectExit: 0, expectation: 'the same plan, as Markdown' },
  );
  writeFileSync(join(context.dir, 'plan.md'), markdown.stdout);
  const merge = sandbox.emulators.github.merge(number, outgoing.github);
  narrator.ok(`exit 0: acknowledged. ${outgoing.handle} merged #${number} (merge commit ${shortSha(merge)})`);
}

export async function applyHandover(context: DemoContext): Promise<void> {
  const { narrator, sandbox, incoming } = context;
  const manifest = required(context.manifest, 'the manifest');
  const number = required(context.pullRequest, 'the pull request');
  narrator.step(
    5,
    'the merge triggers apply',
    `On the push to main the workflow runs apply. It checks ${incoming.handle}'s approval again, then works through the runbook: the PagerDuty override, incidents, tickets, rollouts, the Slack summary and a final check that nothing is stranded, one log line per action.`,
  );
  await runStepCommand(
    context,
    applyCommand,
    ['apply', manifest.repoPath, '--pull-request', String(number), '--journal', 'journal.json'],
    { expectExit: 0, expectation: 'the handover applies cleanly' },
  );
  const post = summaryPost(sandbox, context.slackChannel);
  if (!post) throw new DemoFailure('apply finished but no handover summary is in the Slack channel');
  sandbox.emulators.slack.addReaction(context.slackChannel, post.ts, '+1', incoming.slack);
  narrator.ok(`handover applied; ${incoming.handle} 👍 the summary in Slack`);
}

export async function applyAgain(context: DemoContext): Promise<void> {
  const { narrator, sandbox } = context;
  const manifest = required(context.manifest, 'the manifest');
  const number = required(context.pullRequest, 'the pull request');
  narrator.step(
    6,
    'apply again: nothing is repeated',
    'A re-run after a crash, or a workflow retried by hand, must converge without a second note, override or Slack post. Every action reads the current state before it writes.',
  );
  const before = mutatingRequestCount(sandbox);
  await runStepCommand(
    context,
    applyCommand,
    ['apply', manifest.repoPath, '--pull-request', String(number), '--journal', 'journal-rerun.json'],
    { expectExit: 0, expectation: 'a re-run converges' },
  );
  const added = mutatingRequestCount(sandbox) - before;
  const rerun = readJournal(join(context.dir, 'journal-rerun.json'));
  if (added !== 0)
    throw new DemoFailure(`the second apply made ${added} changes; a re-run must repeat no side effect`);
  const repeated = changesNotAlreadyDone(rerun);
  if (repeated.length > 0)
    throw new DemoFailure(
      `the second apply did not find ${repeated.length} actions already done, e.g. ${repeated[0]?.target} · ${repeated[0]?.action}`,
    );
  narrator.say(
    `second run: ${outcomeCounts(rerun)}; every change was found already done, only the checks (the approval, nothing stranded) ran again`,
  );
  narrator.ok('0 new side effects');
}
