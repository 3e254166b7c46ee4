import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { schemaReference } from '../schema-reference.js';
import type { Named, PagerDutyDirectory, PdUserInfo, SlackDirectory } from './directory.js';
import { applyWorkflow, pullRequestWorkflow } from './workflows.js';

/**
 * `handover setup`: scaffolds a team's on-call repository. What the APIs can tell comes from them; what
 * none can (GitHub logins, platform handles) is a `TODO:` placeholder that `handover validate` rejects
 * at its line. Every written file ends with a hash of what setup wrote: a re-run leaves alone any file a
 * person changed (the hash no longer matches) unless --force.
 */
export class SetupChoiceError extends Error {}

/** Picks the one candidate the flag names (by name or id), or the only one; else says which flag. */
export function choose<T extends Named>(
  what: string,
  flag: string,
  candidates: readonly T[],
  wanted?: string,
): T {
  if (wanted !== undefined) {
    const found = candidates.filter((c) => c.id === wanted || c.name === wanted);
    if (found.length === 1) return found[0] as T;
    throw new SetupChoiceError(
      `no ${what} named '${wanted}' is visible to the token; --${flag} takes one of: ${list(candidates)}`,
    );
  }
  if (candidates.length === 1) return candidates[0] as T;
  if (candidates.length === 0) throw new SetupChoiceError(`the token can see no ${what}: check its access`);
  throw new SetupChoiceError(
    `the token can see ${candidates.length} ${what}s: name one with --${flag}: ${list(candidates)}`,
  );
}

function list(candidates: readonly Named[]): string {
  return candidates.map((c) => `'${c.name}' (${c.id})`).join(', ');
}

export interface SetupChoices {
  service?: string;
  schedule?: string;
  channel?: string;
}

export interface DiscoveredConfig {
  service: Named;
  schedule: Named;
  channel: Named;
  roster: Array<{ handle: string; user: PdUserInfo; slack: string | null }>;
}

export async function discover(
  pd: PagerDutyDirectory,
  slack: SlackDirectory,
  choices: SetupChoices,
): Promise<DiscoveredConfig> {
  const service = choose('service', 'service', await pd.services(), choices.service);
  const schedule = choose('schedule', 'schedule', await pd.schedules(), choices.schedule);
  // Only channels the app was invited to: it must be a member to post there.
  const channels = (await slack.channels()).filter(
    (c) => c.isMember || c.name === choices.channel || c.id === choices.channel,
  );
  const channel = choose('channel', 'channel', channels, choices.channel?.replace(/^#/, ''));
  const full = await pd.schedule(schedule.id);
  const roster: DiscoveredConfig['roster'] = [];
  const taken = new Set<string>();
  for (const id of full.userIds) {
    const user = await pd.user(id);
    let handle =
      (user.email.split('@')[0] ?? id)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '-')
        .replace(/^[^a-z]+/, '') || id.toLowerCase();
    while (taken.has(handle)) handle = `${handle}-2`;
    taken.add(handle);
    roster.push({ handle, user, slack: await slack.userByEmail(user.email) });
  }
  return { service, schedule, channel, roster };
}

export function configYaml(
  found: DiscoveredConfig,
  platformUrl: string | undefined,
  schemaRef: string,
): string {
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    '# Written by `handover setup` from PagerDuty and Slack. Replace every TODO (handover validate lists them),',
    '# then run handover doctor.',
    'pagerduty:',
    `  serviceId: ${found.service.id} # ${found.service.name}`,
    `  scheduleId: ${found.schedule.id} # ${found.schedule.name}`,
    'slack:',
    `  channel: ${found.channel.id}`,
    `  channelName: ${found.channel.name}`,
    'platform:',
    `  url: ${platformUrl ? platformUrl : '"TODO: the platform admin API URL"'}`,
    'roster:',
  ];
  for (const entry of found.roster) {
    lines.push(
      `  ${entry.handle}: # ${entry.user.name}`,
      '    github: "TODO: GitHub login"',
      `    pagerduty: ${entry.user.id}`,
      `    slack: ${entry.slack ?? '"TODO: Slack user id (no Slack user has this email)"'}`,
      `    email: ${entry.user.email}`,
      `    tracker: "TODO: platform admin handle"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function codeowners(): string {
  return [
    '# Written by `handover setup`. The incoming admin approves a handover; these owners guard the wiring.',
    '# Replace the team with yours (GitHub: org/team or @login).',
    '/handover.config.yaml @TODO-org/platform-oncall',
    '/.github/ @TODO-org/platform-oncall',
    '',
  ].join('\n');
}

export function vscodeSettings(root: string): string {
  const ref = (schema: 'handover.schema.json' | 'config.schema.json') =>
    schemaReference(root, join(root, 'x'), schema);
  return `${JSON.stringify(
    {
      'yaml.schemas': {
        [ref('handover.schema.json')]: ['handovers/**/*.yaml', 'handovers/**/*.yml'],
        [ref('config.schema.json')]: ['handover.config.yaml'],
      },
    },
    null,
    2,
  )}\n`;
}

export interface PlannedFile {
  path: string;
  content: string;
}

/** The hash line that marks a file as setup wrote it (in the file's own comment syntax; JSON has none). */
function stamp(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

function withStamp(path: string, content: string): string {
  if (path.endsWith('.json')) return content;
  return `${content}# handover-setup: ${stamp(content)}\n`;
}

export type WriteOutcome = 'written' | 'unchanged' | 'kept (edited; --force overwrites)' | 'overwritten';

/**
 * Writes each file unless a person changed it since setup wrote it: a file whose body no longer matches
 * its stamp (or, for JSON, differs from what setup would write now) is kept, unless `force`.
 */
export function writeFiles(
  root: string,
  files: readonly PlannedFile[],
  force: boolean,
): Array<{ path: string; outcome: WriteOutcome }> {
  return files.map(({ path, content }) => {
    const full = join(root, path);
    const wanted = withStamp(path, content);
    if (existsSync(full)) {
      const current = readFileSync(full, 'utf8');
      if (current === wanted) return { path, outcome: 'unchanged' as const };
      if (!force && (path.endsWith('.json') || !isPristine(current)))
        return { path, outcome: 'kept (edited; --force overwrites)' as const };
      writeFileSync(full, wanted);
      return { path, outcome: force ? ('overwritten' as const) : ('written' as const) };
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, wanted);
    return { path, outcome: 'written' as const };
  });
}

/** Whether a file still holds exactly what setup wrote (its body matches its stamp). */
function isPristine(text: string): boolean {
  const match = /# handover-setup: ([0-9a-f]{16})\n$/.exec(text);
  return match !== null && stamp(text.slice(0, match.index)) === match[1];
}

export function plannedFiles(root: string, config: string, action: string): PlannedFile[] {
  return [
    { path: 'handover.config.yaml', content: config },
    { path: '.github/workflows/handover-pr.yml', content: pullRequestWorkflow(action) },
    { path: '.github/workflows/handover-apply.yml', content: applyWorkflow(action) },
    { path: '.github/CODEOWNERS', content: codeowners() },
    { path: '.vscode/settings.json', content: vscodeSettings(root) },
  ];
}
