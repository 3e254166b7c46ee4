/**
 * The action's inputs (action.yml), read once and turned into a typed settings object. Pure apart from the
 * `getInput` it is given.
 */
import { DEFAULT_DEADLINE_SECONDS, parseDeadlineSeconds } from '../core/deadline.js';

export const COMMANDS = ['validate', 'plan', 'apply', 'prepare'] as const;
export type ActionCommand = (typeof COMMANDS)[number];

export interface ActionTokens {
  pagerduty: string;
  slack: string;
  platform: string;
  github: string;
}

export interface ActionInputs {
  command: ActionCommand;
  /** Repo-relative paths or globs; empty means "the ones the event concerns". */
  manifests: string[];
  /** Repo-relative path of handover.config.yaml. */
  config: string;
  tokens: ActionTokens;
  dryRun: boolean;
  /** apply only: the run's overall deadline in seconds (src/core/deadline.ts). */
  deadlineSeconds: number;
}

/** An input the workflow author got wrong: reported in one line with what to write instead. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

// The YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE', '']);

/** A path the action may read: relative, inside the workspace. */
function checkRelative(input: string, value: string): string {
  const path = value.replace(/\\/g, '/').replace(/^\.\//, '');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..'))
    throw new InputError(
      `input '${input}' must be a path inside the repository, relative to its root (got ${JSON.stringify(value)})`,
    );
  return path;
}

/** The token inputs alone: read first, so that they are masked before anything can be logged. */
export function readTokens(getInput: (name: string) => string): ActionTokens {
  return {
    pagerduty: getInput('pagerduty-token').trim(),
    slack: getInput('slack-bot-token').trim(),
    platform: getInput('platform-token').trim(),
    github: getInput('github-token').trim(),
  };
}

export function readInputs(getInput: (name: string) => string): ActionInputs {
  const command = getInput('command').trim();
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new InputError(
      `input 'command' must be one of ${COMMANDS.join(', ')} (got ${JSON.stringify(command)})`,
    );

  const dryRunText = getInput('dry-run').trim();
  if (!TRUE.has(dryRunText) && !FALSE.has(dryRunText))
    throw new InputError(`input 'dry-run' must be true or false (got ${JSON.stringify(dryRunText)})`);

  const manifests = getInput('manifests')
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => checkRelative('manifests', entry));

  const config = checkRelative('config', getInput('config').trim() || 'handover.config.yaml');

  const deadlineText = getInput('deadline').trim();
  const deadlineSeconds = deadlineText === '' ? DEFAULT_DEADLINE_SECONDS : parseDeadlineSeconds(deadlineText);
  if (deadlineSeconds === null)
    throw new InputError(
      `input 'deadline' must be a whole number of seconds (got ${JSON.stringify(deadlineText)})`,
    );

  return {
    command: command as ActionCommand,
    manifests,
    config,
    tokens: readTokens(getInput),
    dryRun: TRUE.has(dryRunText),
    deadlineSeconds,
  };
}
