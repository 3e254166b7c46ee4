import { readFileSync } from 'node:fs';
import * as actionsCore from '@actions/core';
import { type Clock, systemClock } from '../clock.js';
import { RunDeadline } from '../core/deadline.js';
import { errorMessage } from '../format.js';
import { AnnotationBudget } from './annotations.js';
import { runApply } from './apply/index.js';
import type { CommandContext, CommandOutcome } from './context.js';
import { coreEnvironment, maskSecrets } from './environment.js';
import { readEvent } from './event.js';
import { type ActionCommand, type ActionInputs, InputError, readInputs, readTokens } from './inputs.js';
import { runPlan } from './plan.js';
import { runPrepareCommand } from './prepare.js';
import { overflowSection, writeSummary } from './summary.js';
import type { ActionsToolkit } from './toolkit.js';
import { runValidate } from './validate.js';

const COMMANDS: Record<ActionCommand, (ctx: CommandContext) => Promise<CommandOutcome>> = {
  validate: runValidate,
  plan: runPlan,
  apply: runApply,
  prepare: runPrepareCommand,
};

function writeOutputs(core: Pick<ActionsToolkit, 'setOutput'>, outcome: CommandOutcome): void {
  core.setOutput('result', outcome.result);
  core.setOutput('incidents', String(outcome.counts.incidents));
  core.setOutput('tickets', String(outcome.counts.tickets));
  core.setOutput('rollouts', String(outcome.counts.rollouts));
  core.setOutput('journal', outcome.journal);
}

/**
 * The action: inputs → the same core the CLI runs → outputs, annotations, log groups and the job summary.
 * Nothing happens at import time; src/action/index.ts calls this once.
 */
export async function run(
  core: ActionsToolkit = actionsCore,
  runner: NodeJS.ProcessEnv = process.env,
  now: Clock = systemClock,
): Promise<void> {
  // Tokens are registered for masking before anything at all is logged.
  const tokens = readTokens(core.getInput);
  maskSecrets(core, runner, tokens);

  let inputs: ActionInputs;
  try {
    inputs = readInputs(core.getInput);
  } catch (error) {
    if (error instanceof InputError) {
      core.setOutput('result', 'failure');
      core.setFailed(error.message);
      return;
    }
    throw error;
  }

  const ctx: CommandContext = {
    core,
    inputs,
    env: coreEnvironment(runner, inputs.tokens),
    runner,
    workspace: runner.GITHUB_WORKSPACE || process.cwd(),
    event: readEvent(runner, (path) => readFileSync(path, 'utf8')),
    annotations: new AnnotationBudget(core),
    summary: [],
    now,
    deadline: new RunDeadline(inputs.deadlineSeconds),
  };

  let outcome: CommandOutcome;
  try {
    outcome = await COMMANDS[inputs.command](ctx);
  } catch (error) {
    // Only a bug gets here: every user mistake is a reported failure. One line, no stack trace.
    const message = `internal error in handover ${inputs.command}: ${errorMessage(error)}`;
    outcome = {
      result: 'failure',
      counts: { incidents: 0, tickets: 0, rollouts: 0 },
      journal: '',
      failures: [message],
    };
  }

  writeOutputs(core, outcome);
  const overflow = overflowSection(ctx.annotations.overflow);
  await writeSummary(core, overflow ? [...ctx.summary, overflow] : ctx.summary);
  if (outcome.result === 'failure') {
    const [first = 'failed', ...rest] = outcome.failures;
    core.setFailed(rest.length > 0 ? `${first} (and ${rest.length} more: see the job summary)` : first);
  } else if (outcome.result === 'deferred') {
    core.notice(
      'deferred: a mid-shift-outage handover waits for its outage incident to be resolved; nothing of it was changed. Re-run this workflow once the outage is resolved.',
    );
  }
}
