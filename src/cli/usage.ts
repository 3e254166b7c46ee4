/**
 * Every command's arguments, flags and exit codes, in one place: `handover --help` prints them
 * (src/cli/main.ts) and docs/reference/commands.md is generated from them (scripts/gen-reference.mjs),
 * so the two cannot disagree. test/docs/commands.test.ts checks each command's parser accepts exactly
 * the flags listed here.
 */

export interface FlagDoc {
  /** Without the dashes: `pull-request`. */
  name: string;
  /** The value's placeholder (`N`, `PATH`, `text|json`); absent for a switch. */
  value?: string;
  /** A one-letter alias: `h` for `-h`. */
  short?: string;
  description: string;
}

export interface ExitDoc {
  code: number;
  meaning: string;
}

export interface CommandDoc {
  name: string;
  /** The positional arguments as the synopsis shows them: `FILE`, `[FILE|DIR...]`. */
  args?: string;
  /** One line: what the command does. */
  summary: string;
  flags: readonly FlagDoc[];
  /** Flags the synopsis shows right after the arguments (the others are listed below it). */
  synopsisFlags: readonly string[];
  exits: readonly ExitDoc[];
  /** The longer explanation, relative to the repository root. */
  doc?: string;
}

const CONFIG: FlagDoc = {
  name: 'config',
  value: 'PATH',
  description: 'the repository config (default: handover.config.yaml in the working directory)',
};

function format(values: string): FlagDoc {
  return {
    name: 'format',
    value: values,
    description: `report format: ${values.split('|').join(', ')} (default text)`,
  };
}

const NOW: FlagDoc = {
  name: 'now',
  value: 'ISO',
  description: 'pin "now" to this ISO 8601 instant (rehearsals, tests, the demo)',
};

const HELP: FlagDoc = { name: 'help', short: 'h', description: 'show the command’s help' };

const USAGE_EXIT: ExitDoc = {
  code: 2,
  meaning:
    'a usage mistake, an unreadable file or config, or a missing token (secrets come from the environment only)',
};

export const COMMAND_DOCS: readonly CommandDoc[] = [
  {
    name: 'validate',
    args: '[FILE|DIR...]',
    summary: 'check manifests (default: every one under handovers/) and the config',
    synopsisFlags: [],
    flags: [CONFIG, format('text|json|markdown'), HELP],
    exits: [
      { code: 0, meaning: 'everything is valid (warnings allowed)' },
      { code: 1, meaning: 'a manifest or the config is invalid' },
      { code: 2, meaning: 'a file or the config cannot be read, or a usage mistake' },
    ],
    doc: 'docs/reference/rules.md',
  },
  {
    name: 'init',
    summary: 'write a pre-filled manifest from live state',
    synopsisFlags: ['outgoing', 'incoming', 'variant', 'reason'],
    flags: [
      { name: 'outgoing', value: 'A', description: 'roster handle of the admin going off call (required)' },
      { name: 'incoming', value: 'B', description: 'roster handle of the admin taking over (required)' },
      {
        name: 'variant',
        value: 'V',
        description: 'planned (default), weekly-rotation, emergency or mid-shift-outage',
      },
      { name: 'reason', value: 'R', description: 'rotation (default) or departure' },
      { name: 'cause', value: 'C', description: 'emergency only: incapacitated or compromised' },
      { name: 'outage-incident', value: 'ID', description: 'mid-shift-outage only: the outage incident' },
      { name: 'lead', value: 'H', description: 'mid-shift-outage only: who led during the outage' },
      {
        name: 'window-start',
        value: 'ISO',
        description: 'start of the window (default: the next quarter hour; none in an emergency)',
      },
      { name: 'window-end', value: 'ISO', description: 'end of the window (default: start + --hours)' },
      { name: 'hours', value: 'N', description: 'length of the window in hours (default 2)' },
      {
        name: 'out',
        value: 'PATH',
        description:
          'where to write (default handovers/<YYYY>/<date>-<A>-to-<B>.yaml); its base name is the id',
      },
      { name: 'force', description: 'overwrite an existing file' },
      CONFIG,
      format('text|json'),
      NOW,
    ],
    exits: [
      { code: 0, meaning: 'the manifest was written' },
      { code: 1, meaning: 'the config is invalid, or a service call failed' },
      { ...USAGE_EXIT, meaning: `${USAGE_EXIT.meaning}, or the file already exists (no --force)` },
    ],
    doc: 'docs/plan.md',
  },
  {
    name: 'plan',
    args: 'FILE',
    summary: 'compare a manifest with live state: what apply will do, and what would be stranded',
    synopsisFlags: ['pull-request'],
    flags: [
      {
        name: 'pull-request',
        value: 'N',
        description:
          'also check the acknowledgement on pull request N and keep the plan comment on it up to date',
      },
      CONFIG,
      format('text|json|markdown'),
      NOW,
    ],
    exits: [
      { code: 0, meaning: 'nothing would be stranded (and, on a pull request, the incoming admin approved)' },
      {
        code: 1,
        meaning:
          'something would be stranded, the acknowledgement is missing, the manifest is invalid, or a service call failed',
      },
      USAGE_EXIT,
    ],
    doc: 'docs/plan.md',
  },
  {
    name: 'apply',
    args: 'FILE',
    summary: 'execute the handover, step by step, and journal every action',
    synopsisFlags: ['dry-run', 'pull-request', 'skip-approval-check', 'journal'],
    flags: [
      { name: 'dry-run', description: 'read everything and record what would be done; change nothing' },
      {
        name: 'pull-request',
        value: 'N',
        description: 'the pull request that carried the manifest: its approval is re-verified now',
      },
      {
        name: 'skip-approval-check',
        description:
          'rehearsal or break-glass: proceed unverified, and say so in the journal, summary and notes',
      },
      { name: 'journal', value: 'OUT', description: 'also write the journal as JSON to OUT' },
      CONFIG,
      format('text|json|markdown'),
      NOW,
      HELP,
    ],
    exits: [
      { code: 0, meaning: 'done: every action done, already done or skipped' },
      { code: 1, meaning: 'failed: an action failed, or the acknowledgement was refused' },
      {
        code: 2,
        meaning: `${USAGE_EXIT.meaning}, or no pull request to check the acknowledgement against`,
      },
      { code: 3, meaning: 'deferred: a mid-shift outage is still open; nothing was changed' },
    ],
    doc: 'docs/apply.md',
  },
  {
    name: 'prepare',
    summary:
      'scheduled: open the next shift change’s handover pull request ahead of time, chase its acknowledgement',
    synopsisFlags: ['now'],
    flags: [CONFIG, format('text|json'), NOW, HELP],
    exits: [
      {
        code: 0,
        meaning: 'done: the pull request is open (or nothing is due), reminders and escalations as due',
      },
      { code: 1, meaning: 'the config is invalid, or a service call failed (each failed action is named)' },
      { ...USAGE_EXIT, meaning: `${USAGE_EXIT.meaning}, or the config has no prepare: section` },
    ],
    doc: 'docs/prepare.md',
  },
  {
    name: 'sandbox',
    summary: 'serve local emulators of PagerDuty, Slack, GitHub and the platform API',
    synopsisFlags: ['port', 'state', 'config-out'],
    flags: [
      { name: 'port', value: 'N', description: 'port on 127.0.0.1 (default 0: any free port)' },
      {
        name: 'state',
        value: 'FILE',
        description: 'load the world from FILE if it exists; save it back on exit',
      },
      { name: 'config-out', value: 'PATH', description: 'write the matching handover.config.yaml' },
      { name: 'latency', value: 'MS', description: 'add MS milliseconds before every answer' },
      {
        name: 'faults',
        value: 'JSON',
        description:
          'initial fault settings: rate limits, errors, failMutation and holdMutation (see docs/sandbox.md)',
      },
      HELP,
    ],
    exits: [
      { code: 0, meaning: 'stopped by SIGINT or SIGTERM (the state saved, with --state)' },
      { code: 2, meaning: 'a usage mistake, a port in use, or a state file that is not a saved state' },
    ],
    doc: 'docs/sandbox.md',
  },
  {
    name: 'demo',
    summary: 'the whole flow against a fresh sandbox, in a few seconds',
    synopsisFlags: [],
    flags: [
      {
        name: 'dir',
        value: 'PATH',
        description: 'work in PATH (created if missing; must be empty) instead of a fresh temporary folder',
      },
      { name: 'keep', description: 'keep the folder afterwards (the default)' },
      HELP,
    ],
    exits: [
      { code: 0, meaning: 'every step turned out as expected' },
      { code: 1, meaning: 'a step did not (the message names it)' },
      { code: 2, meaning: 'a usage mistake, or --dir is not an empty folder' },
    ],
  },
];

export function flagText(flag: FlagDoc): string {
  return `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
}

/** `plan FILE [--pull-request N]`: the command as the usage lines show it. */
export function synopsis(command: CommandDoc): string {
  const flags = command.synopsisFlags.map((name) => {
    const flag = command.flags.find((candidate) => candidate.name === name);
    if (!flag) throw new Error(`usage.ts: ${command.name} shows --${name} but does not list it`);
    const text = flagText(flag);
    // The two required flags of init are shown bare; everything else is optional.
    return flag.description.includes('(required)') ? text : `[${text}]`;
  });
  return [command.name, command.args, ...flags].filter(Boolean).join(' ');
}

/** What `handover --help` prints. */
export function renderUsage(): string {
  const lines = ['usage: handover <command> [options]', '', 'commands:'];
  for (const command of COMMAND_DOCS) {
    const head = synopsis(command);
    if (head.length <= 28) lines.push(`  ${head.padEnd(30)}${command.summary}`);
    else lines.push(`  ${head}`, `${' '.repeat(32)}${command.summary}`);
  }
  lines.push(
    '',
    'common options: --config PATH (default handover.config.yaml), --format text|json|markdown',
    'exit codes: 0 ok, 1 failed (invalid, stranded, not acknowledged), 2 usage, 3 deferred (apply)',
    'every flag and exit code: docs/reference/commands.md',
    '',
  );
  return lines.join('\n');
}
