import type { Command } from '../cli/dispatch.js';
import type { Sandbox } from '../sandbox/index.js';
import type { Narrator } from './narrator.js';
import { type CommandResult, runCommand } from './run-command.js';

/** A step did not turn out as the demo expects: reported in one line, exit 1. */
export class DemoFailure extends Error {
  override readonly name = 'DemoFailure';
}

/** The two admins of the demo, with the identities each service knows them by. */
export interface DemoPerson {
  handle: string;
  github: string;
  slack: string;
}

/** Everything the steps share; filled in as the story goes. */
export interface DemoContext {
  narrator: Narrator;
  sandbox: Sandbox;
  /** The demo folder: the "repository" the team works in. */
  dir: string;
  /** The sandbox's environment, handed to every command. */
  env: NodeJS.ProcessEnv;
  outgoing: DemoPerson;
  incoming: DemoPerson;
  slackChannel: string;
  slackChannelName: string;
  /** Set by step 1. */
  manifest?: { path: string; repoPath: string; id: string };
  /** Set by step 3. */
  pullRequest?: number;
}

export interface CommandOptions {
  /** Stream the output under the command as it is printed (default true). */
  echo?: boolean;
  expectExit: number;
  /** Why a different exit code is wrong, for the failure message. */
  expectation: string;
}

/**
 * Runs one handover command the way the CLI would, in the demo folder with the sandbox's environment,
 * shows it being typed, and insists on the exit code the story expects.
 */
export async function runStepCommand(
  context: DemoContext,
  command: Command,
  argv: string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const { narrator } = context;
  narrator.command(argv);
  const result = await runCommand(command, argv, {
    cwd: context.dir,
    env: context.env,
    ...(options.echo === false ? {} : { echo: (line: string) => narrator.output(line) }),
  });
  if (result.exitCode !== options.expectExit)
    throw new DemoFailure(
      `handover ${argv[0]} exited ${result.exitCode}, expected ${options.expectExit} (${options.expectation})`,
    );
  return result;
}

export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new DemoFailure(`${what} is missing: an earlier step did not finish`);
  return value;
}
