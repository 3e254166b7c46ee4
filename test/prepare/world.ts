/**
 * A sandbox on a clock the test moves, the seed config with a `prepare:` section, and prepare run
 * in-process through the real providers. The seed rotation hands over from alice to bob on Monday
 * 30 November 2026 at 16:00 UTC.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/index.js';
import type { HandoverConfig } from '../../src/config/types.js';
import { type PrepareReport, runPrepare } from '../../src/prepare/run.js';
import { createPrepareServices } from '../../src/prepare/services.js';
import { PREPARE_BRANCH_PREFIX, prepareSettings } from '../../src/prepare/settings.js';
import type { GhStoredPull } from '../../src/sandbox/github.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/roster.js';
import { captureIO } from '../support/cli-io.js';
import { startClockedSandbox } from '../support/sandbox.js';

export const CHANGE = new Date('2026-11-30T16:00:00Z');
export const HOUR = 60 * 60 * 1000;

export function at(offsetFromChangeMs: number): Date {
  return new Date(CHANGE.getTime() + offsetFromChangeMs);
}

export const PREPARE_SECTION = [
  'prepare:',
  '  leadTimeHours: 4',
  '  remindBeforeMinutes: 60',
  '  escalateAfterMinutes: 0',
  `  pageServiceId: ${SEED_IDS.pagerdutyServiceId}`,
  '',
].join('\n');

export interface PrepareWorld {
  sandbox: Sandbox;
  clock: { now: Date };
  config: HandoverConfig;
  root: string;
  /** Runs prepare at `now` (the sandbox's clock moves there first). */
  prepare(now: Date): Promise<PrepareReport>;
  /** `handover prepare --now …` in-process, as the scheduled workflow runs it. */
  cli(now: Date, ...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Prepare's pull requests in the sandbox's GitHub. */
  pulls(): GhStoredPull[];
  /** Someone changes the schedule: an override through PagerDuty's API. */
  addOverride(start: Date, end: Date, userId: string): Promise<void>;
  write(path: string, text: string): void;
  close(): Promise<void>;
}

export async function startPrepareWorld(): Promise<PrepareWorld> {
  const { sandbox, clock } = await startClockedSandbox();
  const yaml = `${sandbox.configYaml()}${PREPARE_SECTION}`;
  const parsed = parseConfig(yaml, 'handover.config.yaml');
  if (!parsed.config) throw new Error(JSON.stringify(parsed.diagnostics));
  const config = parsed.config;
  const settings = prepareSettings(config)!;
  const root = mkdtempSync(join(tmpdir(), 'handover-prepare-'));
  writeFileSync(join(root, 'handover.config.yaml'), yaml);
  const retry = { maxAttempts: 2, baseDelayMs: 1, sleep: async () => {}, random: () => 0 };
  const services = createPrepareServices(sandbox.env(), config, retry);
  return {
    sandbox,
    clock,
    config,
    root,
    prepare: async (now) => {
      clock.now = now;
      return runPrepare(services, config, settings, now);
    },
    cli: async (now, ...extra) => {
      clock.now = now;
      const io = captureIO(root, sandbox.env());
      const code = await main(['prepare', '--now', now.toISOString(), ...extra], io);
      return { code, stdout: io.out, stderr: io.err };
    },
    pulls: () =>
      sandbox.emulators.github.pullRequests().filter((p) => p.headRef.startsWith(PREPARE_BRANCH_PREFIX)),
    addOverride: async (start, end, userId) => {
      await services.providers.pagerduty.createOverride(SEED_IDS.pagerdutyScheduleId, {
        start: start.toISOString(),
        end: end.toISOString(),
        userId,
      });
    },
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    async close() {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Commits `text` over the manifest on the pull request's branch, as the outgoing admin's push would. */
export async function pushManifest(
  world: PrepareWorld,
  branch: string,
  path: string,
  text: string,
): Promise<void> {
  const retry = { maxAttempts: 2, baseDelayMs: 1, sleep: async () => {}, random: () => 0 };
  const services = createPrepareServices(world.sandbox.env(), world.config, retry);
  await services.pulls.commitFiles({
    branch,
    baseBranch: 'main',
    files: { [path]: text },
    message: 'Status paragraphs',
  });
}
