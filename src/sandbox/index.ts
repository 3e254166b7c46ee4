import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { systemClock } from '../clock.js';
import type { ServiceName } from '../providers/types.js';
import { FaultController, parseFaultSettings } from './faults.js';
import { GitHubEmulator } from './github.js';
import { isTimeZone } from './pagerduty/time.js';
import { PagerDutyEmulator } from './pagerduty.js';
import { PlatformEmulator } from './platform.js';
import { SEED_ADMINS, SEED_IDS } from './roster.js';
import { SandboxServer } from './server.js';
import { SlackEmulator } from './slack.js';
import type { EmulatorContext, FaultSettings, RecordedRequest, SandboxResponse } from './types.js';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** 'default' loads the seed world; 'empty' starts with no data (tests that build their own world). */
  seed?: 'default' | 'empty';
  /** Load state from this file if it exists (written by `save`). */
  stateFile?: string;
  faults?: FaultSettings;
  /** The sandbox clock; tests pin it. */
  now?: () => Date;
  /**
   * The PagerDuty account's time zone (an IANA name) its answers render times in; default
   * America/New_York. Also `PUT /_sandbox/pagerduty/account` `{"timeZone": "…"}` while it runs.
   */
  pagerdutyTimeZone?: string;
}

export interface SandboxTokens {
  pagerduty: string;
  slack: string;
  github: string;
  platform: string;
}

export interface Sandbox {
  readonly url: string;
  readonly urls: Record<ServiceName, string>;
  readonly tokens: SandboxTokens;
  readonly emulators: {
    pagerduty: PagerDutyEmulator;
    slack: SlackEmulator;
    github: GitHubEmulator;
    platform: PlatformEmulator;
  };
  readonly faults: FaultController;
  /** Every request answered, in order, with `authorization` redacted. */
  readonly requests: RecordedRequest[];
  /** The environment variables (docs/design.md#the-environment-and-the-sandbox) that point the product's clients at this sandbox. */
  env(): Record<string, string>;
  /** A `handover.config.yaml` matching the seed world, with `platform.url` pointing here. */
  /** The matching handover.config.yaml; `schemaReference` is its `$schema` path for editors. */
  configYaml(schemaReference?: string): string;
  save(file: string): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? systemClock;
  let counter = 0;
  const ctx: EmulatorContext = {
    now,
    nextId: (prefix) => {
      counter += 1;
      return `${prefix}${counter.toString(36).toUpperCase().padStart(6, '0')}`;
    },
  };
  const tokens: SandboxTokens = {
    pagerduty: `sandbox-pd-${randomBytes(10).toString('hex')}`,
    slack: `sandbox-slack-${randomBytes(10).toString('hex')}`,
    github: `sandbox-gh-${randomBytes(10).toString('hex')}`,
    platform: `sandbox-platform-${randomBytes(10).toString('hex')}`,
  };
  const emulators = {
    pagerduty: new PagerDutyEmulator(ctx, tokens.pagerduty),
    slack: new SlackEmulator(ctx, tokens.slack),
    github: new GitHubEmulator(ctx, tokens.github),
    platform: new PlatformEmulator(ctx, tokens.platform),
  };
  const services = Object.keys(emulators) as ServiceName[];

  if (options.stateFile && existsSync(options.stateFile)) {
    const saved = JSON.parse(readFileSync(options.stateFile, 'utf8')) as Record<string, unknown>;
    counter = typeof saved.counter === 'number' ? saved.counter : 0;
    for (const name of services) emulators[name].restore(saved[name]);
  } else if ((options.seed ?? 'default') === 'default') {
    for (const name of services) emulators[name].seed();
  }
  if (options.pagerdutyTimeZone !== undefined)
    emulators.pagerduty.setAccountTimeZone(options.pagerdutyTimeZone);

  const faults = new FaultController(options.faults ?? {}, () => now().getTime());
  const snapshot = () => ({
    counter,
    ...Object.fromEntries(services.map((name) => [name, emulators[name].snapshot()])),
  });
  const admin = (method: string, path: string, body: unknown): SandboxResponse => {
    if (path === '/faults' && method === 'GET') return { status: 200, body: faults.current };
    if (path === '/faults' && (method === 'PUT' || method === 'POST')) {
      // An empty body clears every fault; anything else must be valid settings, never silently ignored.
      const settings = parseFaultSettings(body ?? {});
      if (!settings.ok) return { status: 400, body: { error: { message: settings.message } } };
      faults.set(settings.value);
      return { status: 200, body: faults.current };
    }
    if (path === '/pagerduty/account' && method === 'GET')
      return { status: 200, body: { timeZone: emulators.pagerduty.timeZone() } };
    if (path === '/pagerduty/account' && (method === 'PUT' || method === 'PATCH')) {
      const zone = (body as { timeZone?: unknown } | null | undefined)?.timeZone;
      if (!isTimeZone(zone))
        return { status: 400, body: { error: { message: 'timeZone must be an IANA time zone name' } } };
      emulators.pagerduty.setAccountTimeZone(zone);
      return { status: 200, body: { timeZone: zone } };
    }
    if (path === '/state' && method === 'GET') return { status: 200, body: snapshot() };
    if (path === '/requests' && method === 'GET') return { status: 200, body: server.requests };
    return { status: 404, body: { error: { message: `no sandbox control ${method} ${path}` } } };
  };

  const server = new SandboxServer({ host: '127.0.0.1', port: options.port ?? 0, emulators, faults, admin });
  const url = await server.listen();
  const urls = Object.fromEntries(services.map((name) => [name, server.serviceUrl(name)])) as Record<
    ServiceName,
    string
  >;

  return {
    url,
    urls,
    tokens,
    emulators,
    faults,
    requests: server.requests,
    env: () => ({
      PAGERDUTY_API_URL: urls.pagerduty,
      PAGERDUTY_TOKEN: tokens.pagerduty,
      SLACK_API_URL: `${urls.slack}/`,
      SLACK_BOT_TOKEN: tokens.slack,
      GITHUB_API_URL: urls.github,
      GITHUB_TOKEN: tokens.github,
      GITHUB_REPOSITORY: `${SEED_IDS.githubOwner}/${SEED_IDS.githubRepo}`,
      PLATFORM_API_URL: urls.platform,
      PLATFORM_TOKEN: tokens.platform,
    }),
    configYaml: (schemaReference) => sandboxConfigYaml(urls.platform, schemaReference),
    save: (file) => writePrivateFile(file, `${JSON.stringify(snapshot(), null, 2)}\n`),
    close: () => server.close(),
  };
}

/**
 * Writes through a temporary file created 0600 and renamed over the target: an existing file with looser
 * permissions is replaced rather than reused (`mode` only applies when a file is created), and a crash
 * mid-write never leaves half a state file behind.
 */
function writePrivateFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function sandboxConfigYaml(
  platformUrl: string,
  schemaReference = './schemas/config.schema.json',
): string {
  const roster = Object.values(SEED_ADMINS)
    .map(
      (a) =>
        `  ${a.handle}: { github: ${a.github}, pagerduty: ${a.pagerduty}, slack: ${a.slack}, email: ${a.email}, tracker: ${a.tracker} }`,
    )
    .join('\n');
  return `# yaml-language-server: $schema=${schemaReference}
# Written by \`handover sandbox\`: the sandbox's seed world.
pagerduty:
  serviceId: ${SEED_IDS.pagerdutyServiceId}
  scheduleId: ${SEED_IDS.pagerdutyScheduleId}
slack:
  channel: ${SEED_IDS.slackChannel}
  channelName: ${SEED_IDS.slackChannelName}
platform:
  url: ${platformUrl}
roster:
${roster}
`;
}
