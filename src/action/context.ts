import type { Clock } from '../clock.js';
import type { RunDeadline } from '../core/deadline.js';
import type { AnnotationBudget } from './annotations.js';
import type { ActionEvent } from './event.js';
import type { ActionInputs } from './inputs.js';
import type { ActionsToolkit } from './toolkit.js';

/** Everything one command of the action works with, built once by `run`. */
export interface CommandContext {
  core: ActionsToolkit;
  inputs: ActionInputs;
  /** The environment the core runs with (tokens mapped to the variables of docs/design.md#the-environment-and-the-sandbox; see coreEnvironment). */
  env: NodeJS.ProcessEnv;
  /** The runner's own environment (GITHUB_* context, PATH, HOME, RUNNER_TEMP). */
  runner: NodeJS.ProcessEnv;
  /** The repository checkout (GITHUB_WORKSPACE). */
  workspace: string;
  event: ActionEvent;
  annotations: AnnotationBudget;
  /** Markdown sections for the job summary, written once at the end. */
  summary: string[];
  /** The run's clock (src/clock.ts): the machine's in production, pinned in tests. */
  now: Clock;
  /** The whole run's deadline (input `deadline`), shared by every manifest apply executes. */
  deadline: RunDeadline;
}

export type ActionResult = 'success' | 'failure' | 'deferred';

export interface ItemCounts {
  incidents: number;
  tickets: number;
  rollouts: number;
}

/** What a command reports back: the outputs of action.yml, and why it failed (for setFailed). */
export interface CommandOutcome {
  result: ActionResult;
  counts: ItemCounts;
  /** Directory of the journals written by apply, or '' when none. */
  journal: string;
  /** One line each; the first becomes the failure message. */
  failures: string[];
}

export const NO_COUNTS: ItemCounts = { incidents: 0, tickets: 0, rollouts: 0 };

export function addCounts(a: ItemCounts, b: ItemCounts): ItemCounts {
  return {
    incidents: a.incidents + b.incidents,
    tickets: a.tickets + b.tickets,
    rollouts: a.rollouts + b.rollouts,
  };
}

/** A run URL, when the runner says where it is (spec: `$SERVER/$REPO/actions/runs/$RUN_ID`). */
export function runUrl(runner: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = runner;
  return server && repo && id ? `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${id}` : undefined;
}
