import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/io.js';
import { parseConfig } from '../config/index.js';
import { errorMessage } from '../format.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../sandbox/index.js';
import { type DemoContext, DemoFailure, type DemoPerson } from './context.js';
import { type Clock, Narrator } from './narrator.js';
import { showResults } from './results.js';
import {
  applyAgain,
  applyHandover,
  approveAndMerge,
  draftManifest,
  fillAndValidate,
  openPullRequest,
  STEP_COUNT,
} from './steps.js';
import { createStyle, wantsColour } from './style.js';
import { prepareWorkspace } from './workspace.js';

export interface DemoOptions {
  /** Where to work; a fresh temporary folder when absent. */
  dir?: string;
  /** Elapsed-time source for the per-step timings. */
  clock?: Clock;
  /** How the sandbox starts (tests start it empty or with faults to see a step fail); the seed world by default. */
  sandbox?: Pick<SandboxOptions, 'seed' | 'faults'>;
}

const OUTGOING = 'alice';
const INCOMING = 'bob';

const STEPS = [
  draftManifest,
  fillAndValidate,
  openPullRequest,
  approveAndMerge,
  applyHandover,
  applyAgain,
  showResults,
];

function person(config: ReturnType<typeof parseConfig>['config'], handle: string): DemoPerson {
  const entry = config?.roster[handle];
  if (!entry) throw new DemoFailure(`the sandbox's config has no roster entry for ${handle}`);
  return { handle, github: entry.github, slack: entry.slack };
}

/**
 * `handover demo`: the whole handover flow against a sandbox started in this process. Each step calls
 * the same command functions the CLI uses, with the sandbox's environment, so what the user sees is
 * exactly what those commands do; the humans (opening the pull request, approving, merging, the 👍)
 * are played through the sandbox's in-process controls. Leaves its folder behind for inspection.
 */
export async function runDemo(options: DemoOptions, io: CliIO): Promise<number> {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const style = createStyle(wantsColour(io.isTTY, io.env));
  const narrator = new Narrator(io.stdout, style, clock, STEP_COUNT);
  const dir = prepareWorkspace(options.dir, io.cwd);

  narrator.title('handover demo: an on-call handover from alice to bob, end to end');
  narrator.say(`working folder: ${dir} (kept afterwards, so you can look at every file)`);

  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox(options.sandbox ?? {});
    const configYaml = sandbox.configYaml();
    writeFileSync(join(dir, 'handover.config.yaml'), configYaml);
    const { config } = parseConfig(configYaml, 'handover.config.yaml');
    if (!config) throw new DemoFailure("the sandbox's handover.config.yaml does not validate");
    narrator.say(
      `sandbox: ${sandbox.url}, emulating PagerDuty, Slack, GitHub and the platform admin API in this process; nothing leaves 127.0.0.1`,
    );
    narrator.say(
      "wrote handover.config.yaml: the sandbox's service, schedule, channel and roster (alice, bob, dana)",
    );

    const context: DemoContext = {
      narrator,
      sandbox,
      dir,
      // Only the sandbox's variables: nothing from the user's shell (real tokens, GITHUB_ACTIONS) leaks in.
      // GITHUB_WORKSPACE makes the demo folder the repository root, wherever it is.
      env: { ...sandbox.env(), GITHUB_WORKSPACE: dir },
      outgoing: person(config, OUTGOING),
      incoming: person(config, INCOMING),
      slackChannel: config.slack.channel,
      slackChannelName: config.slack.channelName,
    };
    for (const step of STEPS) await step(context);
  } catch (error) {
    const message = errorMessage(error);
    narrator.fail(`${narrator.current} failed: ${message}`);
    io.stderr(`handover demo: ${narrator.current} failed: ${message}\nthe files so far are in ${dir}\n`);
    return EXIT.failed;
  } finally {
    await sandbox?.close();
  }
  narrator.line();
  narrator.title(`Done in ${((clock() - startedAt) / 1000).toFixed(1)} s. Everything is in ${dir}`);
  return EXIT.ok;
}
