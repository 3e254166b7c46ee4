import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeStop, untilStopped } from '../../lifetime.js';
import { parseFaultSettings } from '../../sandbox/faults.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/index.js';
import type { FaultSettings } from '../../sandbox/types.js';
import { schemaReference } from '../../schema-reference.js';
import { stringFlag } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import type { CommandLine } from '../usage.js';

/** Waits for the signal that ends the sandbox; replaced by tests that run the command in-process. */
export type WaitForStop = () => Promise<unknown>;

export async function sandboxCommand(
  line: CommandLine,
  io: CliIO,
  waitForStop: WaitForStop = untilInterrupted,
): Promise<number> {
  const values = {
    port: stringFlag(line, 'port'),
    state: stringFlag(line, 'state'),
    'config-out': stringFlag(line, 'config-out'),
    latency: stringFlag(line, 'latency'),
    faults: stringFlag(line, 'faults'),
  };
  const port = values.port === undefined ? 0 : wholeNumber('--port', values.port, 65_535);
  const stateFile = values.state === undefined ? undefined : writablePath('--state', values.state, io.cwd);
  const configOut =
    values['config-out'] === undefined
      ? undefined
      : writablePath('--config-out', values['config-out'], io.cwd);
  const faults = withLatency(
    values.faults === undefined ? {} : faultsFlag(values.faults),
    values.latency === undefined ? undefined : wholeNumber('--latency', values.latency, 60_000),
  );

  const sandbox = await start({ port, faults, ...(stateFile ? { stateFile } : {}) });
  try {
    if (configOut) {
      writeConfig(configOut, sandbox.configYaml(schemaReference(io.cwd, configOut, 'config.schema.json')));
    }
    // Watch for the end before saying `# ready`: a script may signal the sandbox as soon as it reads it.
    const stopped = waitForStop();
    io.stdout(`${exportLines(sandbox.env())}# ready\n`);
    await stopped;
  } finally {
    try {
      if (stateFile) sandbox.save(stateFile);
    } finally {
      await sandbox.close();
    }
  }
  return EXIT.ok;
}

/** `export NAME='value'` per variable, quoted for any POSIX shell. */
export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}='${value.replaceAll("'", `'\\''`)}'\n`)
    .join('');
}

/**
 * Until a signal (Ctrl-C, SIGTERM, SIGHUP), the end of a piped stdin, or the exit of the process tree that
 * started it: a sandbox started as `handover sandbox > env.sh &` must not outlive the script.
 */
async function untilInterrupted(): Promise<unknown> {
  const reason = await untilStopped({ stdin: process.stdin });
  // A signal is the ordinary way to stop; the others are said, so that a vanished sandbox is explained.
  if (reason.kind !== 'signal') process.stderr.write(`handover sandbox: ${describeStop(reason)}\n`);
  return reason;
}

async function start(options: SandboxOptions): Promise<Sandbox> {
  try {
    return await startSandbox(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port} is already in use (--port 0 picks a free one)`);
    }
    if (code === 'EACCES' && (error as NodeJS.ErrnoException).syscall === 'listen') {
      throw new UsageError(`not allowed to listen on port ${options.port}`);
    }
    if (options.stateFile) {
      throw new UsageError(
        `cannot load the sandbox state from ${options.stateFile}: ${(error as Error).message}` +
          ' (delete the file to start from the seed world)',
      );
    }
    throw error;
  }
}

function wholeNumber(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(`${flag} must be a whole number from 0 to ${max} (got '${text}')`);
  }
  return Number(text);
}

/** An absolute path whose folder exists, so that a typo fails now rather than when the sandbox stops. */
function writablePath(flag: string, value: string, cwd: string): string {
  const path = resolve(cwd, value);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag} ${value} is a folder`);
  if (!existsSync(dirname(path)))
    throw new UsageError(`${flag} ${value}: the folder ${dirname(path)} does not exist`);
  return path;
}

function faultsFlag(text: string): FaultSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--faults must be JSON, e.g. '{"platform": {"rateLimitNext": 2}}' (got '${text}')`);
  }
  const settings = parseFaultSettings(json);
  if (!settings.ok) throw new UsageError(`--faults: ${settings.message}`);
  return settings.value;
}

/** `--latency` applies to every service whose `--faults` does not set its own. */
function withLatency(faults: FaultSettings, latencyMs: number | undefined): FaultSettings {
  if (latencyMs === undefined) return faults;
  const services = ['pagerduty', 'slack', 'github', 'platform'] as const;
  const result: FaultSettings = { ...faults };
  for (const service of services) result[service] = { latencyMs, ...faults[service] };
  return result;
}

function writeConfig(path: string, yaml: string): void {
  try {
    writeFileSync(path, yaml);
  } catch (error) {
    throw new UsageError(`cannot write --config-out ${path}: ${(error as Error).message}`);
  }
}
