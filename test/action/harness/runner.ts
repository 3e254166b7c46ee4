import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A workflow command as the runner would parse it from a stdout line. */
export interface WorkflowCommand {
  name: string;
  properties: string;
  data: string;
  line: string;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
}

export interface RunActionOptions {
  /** Inputs as in the workflow's `with:` (names as in action.yml). */
  inputs: Record<string, string>;
  eventName: string;
  event: unknown;
  workspace: string;
  /** Anything else of the runner's environment (GITHUB_API_URL, service URLs, …). */
  env: Record<string, string>;
  /** Where the runner's files (event, outputs, summary, RUNNER_TEMP) go; the test removes it. */
  scratch: string;
}

/** The runner's parsing: after leading whitespace, `::name props::data`. */
export function workflowCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^\s*::([A-Za-z0-9-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (match) commands.push({ name: match[1]!, properties: match[2] ?? '', data: match[3] ?? '', line });
  }
  return commands;
}

/** `name<<delimiter\nvalue\ndelimiter` entries of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== match[2]; i += 1) value.push(lines[i]!);
    outputs[match[1]!] = value.join('\n');
  }
  return outputs;
}

/**
 * Runs the built action the way the GitHub runner does: `node dist/index.js` in the workspace, inputs as
 * INPUT_* variables, the event payload in a file, outputs and the step summary in files. Asynchronous, so
 * the sandbox in this process keeps answering while the action runs.
 */
export async function runAction(bundle: string, options: RunActionOptions): Promise<ActionRun> {
  const files = mkdtempSync(join(options.scratch, 'runner-'));
  const eventPath = join(files, 'event.json');
  const outputPath = join(files, 'output');
  const summaryPath = join(files, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(options.event, null, 2));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      value,
    ]),
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: files,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: files,
    // The runner shares the machine's clock with the test: under libfaketime (the suite must pass at any
    // date) the action must see the same faked time as the test that dates its commits.
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          /^(LD_PRELOAD|FAKETIME.*)$/.test(entry[0]) && entry[1] !== undefined,
      ),
    ),
    ...options.env,
    ...inputs,
  };
  // GitHub runs the action on Node 24 (action.yml: node24); HANDOVER_ACTION_NODE points the tests at such a
  // binary (e.g. the npm package node@24) while the suite itself runs on the machine's Node.
  const node = process.env.HANDOVER_ACTION_NODE || process.execPath;
  const child = spawn(node, [bundle], { cwd: options.workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit ?? -1));
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    commands: workflowCommands(stdout),
  };
}
