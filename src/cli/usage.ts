/**
 * Every command described once: its arguments, flags, examples and exit codes. From each description come
 * the command's argument parser (`parseCommandLine`), `handover CMD --help` and `handover help CMD`
 * (`renderCommandHelp`), the command list of `handover --help` (`renderUsage`) and
 * docs/reference/commands.md (scripts/gen-reference.mjs), so none of them can disagree with another.
 *
 * Adding a command is one description here and one handler in src/cli/commands/ (listed in
 * src/cli/main.ts); the dispatcher parses the flags, answers --help and reports usage mistakes.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './io.js';

export interface FlagDoc {
  /** Without the dashes: `pull-request`. */
  readonly name: string;
  /** The value's placeholder (`N`, `PATH`, `text|json`); absent for a switch. */
  readonly value?: string;
  /** A one-letter alias: `h` for `-h`. */
  readonly short?: string;
  /** Shown bare in the synopsis; the handler checks it (and can say which values would do). */
  readonly required?: boolean;
  readonly description: string;
}

export interface ExitDoc {
  readonly code: number;
  readonly meaning: string;
}

export interface CommandDoc {
  readonly name: string;
  /** The positional arguments as the synopsis shows them: `FILE`, `[FILE|DIR...]`. */
  readonly args?: string;
  /** How many positional arguments the parser accepts. */
  readonly arity: { readonly min: number; readonly max: number };
  /** One line: what the command does. */
  readonly summary: string;
  /** Paragraphs the command's help prints below the synopsis. */
  readonly details?: readonly string[];
  /** Command lines the help shows, without the leading `handover `. */
  readonly examples: readonly string[];
  /** Every flag but --help, which every command has. */
  readonly flags: readonly FlagDoc[];
  /** Flags the synopsis shows right after the arguments (the others are listed below it). */
  readonly synopsisFlags: readonly string[];
  readonly exits: readonly ExitDoc[];
  /** The longer explanation, relative to the repository root. */
  readonly doc?: string;
}

/** The exit codes, one meaning each, for every command (docs/reference/commands.md lists them). */
export const EXIT_CODES: readonly ExitDoc[] = [
  { code: 0, meaning: 'success' },
  {
    code: 1,
    meaning:
      'the input is invalid or the work failed: a manifest or a readable config breaks a rule, something would be stranded, the acknowledgement is missing, a service call failed',
  },
  {
    code: 2,
    meaning:
      'a usage mistake, a file or config that cannot be read at all (missing, a folder, not a regular file), a missing token',
  },
  { code: 3, meaning: 'apply only: deferred, a mid-shift outage is still open and nothing was changed' },
  { code: 70, meaning: 'an internal error (a bug in handover): the message says where; please report it' },
];

const CONFIG = {
  name: 'config',
  value: 'PATH',
  description:
    'the repository config (default: handover.config.yaml in the working directory); unreadable → exit 2, invalid → exit 1',
} as const satisfies FlagDoc;

function format(values: string): FlagDoc {
  return {
    name: 'format',
    value: values,
    description: `report format: ${values.split('|').join(', ')} (default text)`,
  };
}

const NOW = {
  name: 'now',
  value: 'ISO',
  description: 'pin "now" to this ISO 8601 instant (rehearsals, tests, the demo); default: the clock',
} as const satisfies FlagDoc;

/** Every command takes it; the dispatcher answers it before the command runs. */
export const HELP_FLAG = {
  name: 'help',
  short: 'h',
  description: 'show this help',
} as const satisfies FlagDoc;

const INVALID_CONFIG = 'the config is readable but invalid (its diagnostics are printed)';
const UNREADABLE =
  'a usage mistake, an unreadable file or config, or a missing token (from the environment only)';

export const COMMAND_DOCS: readonly CommandDoc[] = [
  {
    name: 'validate',
    args: '[FILE|DIR...]',
    arity: { min: 0, max: Number.POSITIVE_INFINITY },
    summary: 'check manifests (default: every one under handovers/) and the config',
    details: [
      'Checks each manifest against the schema and the rules of the handover format, and the config against its own. A file is checked as what it is: the config named by --config (or named as a FILE) as a config, everything else as a manifest. Without FILE, every *.yaml / *.yml under handovers/ is checked.',
      'Time rules (window.past) apply only to files named on the command line: a folder is history, where a window that ended long ago is normal.',
    ],
    examples: [
      'validate',
      'validate handovers/2026/2026-12-03-alice-to-bob.yaml',
      'validate --format json handovers/2026',
    ],
    synopsisFlags: [],
    flags: [CONFIG, format('text|json|markdown'), NOW],
    exits: [
      { code: 0, meaning: 'everything is valid (warnings allowed)' },
      { code: 1, meaning: 'a manifest or the config is invalid' },
      {
        code: 2,
        meaning: 'a file or the config cannot be read (or is not a regular file), or a usage mistake',
      },
    ],
    doc: 'docs/reference/rules.md',
  },
  {
    name: 'init',
    arity: { min: 0, max: 0 },
    summary: 'write a pre-filled manifest from live state',
    details: [
      "Reads the outgoing admin's open incidents, pinned tickets and in-flight rollouts and writes a manifest that lists them, with TODO placeholders where only a human knows the answer.",
    ],
    examples: [
      'init --outgoing alice --incoming bob',
      'init --outgoing alice --incoming bob --variant emergency --cause incapacitated',
      'init --outgoing alice --incoming bob --out - > draft.yaml',
    ],
    synopsisFlags: ['outgoing', 'incoming', 'variant', 'reason'],
    flags: [
      {
        name: 'outgoing',
        value: 'A',
        required: true,
        description: 'roster handle of the admin going off call (required)',
      },
      {
        name: 'incoming',
        value: 'B',
        required: true,
        description: 'roster handle of the admin taking over (required)',
      },
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
          'where to write (default handovers/<YYYY>/<date>-<A>-to-<B>.yaml); its base name is the id; `-` writes to standard output',
      },
      { name: 'force', description: 'overwrite an existing file' },
      CONFIG,
      format('text|json'),
      NOW,
    ],
    exits: [
      { code: 0, meaning: 'the manifest was written' },
      { code: 1, meaning: `${INVALID_CONFIG}, or a service call failed` },
      { code: 2, meaning: `${UNREADABLE}, or the file already exists (no --force)` },
    ],
    doc: 'docs/plan.md',
  },
  {
    name: 'plan',
    args: 'FILE',
    arity: { min: 1, max: 1 },
    summary: 'compare a manifest with live state: what apply will do, and what would be stranded',
    details: [
      'Reads PagerDuty and the platform API (read-only tokens suffice) and shows each action apply would take. With --pull-request it also checks the incoming admin’s approval and keeps one plan comment on the pull request up to date.',
    ],
    examples: [
      'plan handovers/2026/2026-12-03-alice-to-bob.yaml',
      'plan handovers/2026/2026-12-03-alice-to-bob.yaml --pull-request 42 --format markdown',
    ],
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
        meaning: `something would be stranded, the acknowledgement is missing, the manifest is invalid, ${INVALID_CONFIG}, or a service call failed`,
      },
      { code: 2, meaning: UNREADABLE },
    ],
    doc: 'docs/plan.md',
  },
  {
    name: 'apply',
    args: 'FILE',
    arity: { min: 1, max: 1 },
    summary: 'execute the handover, step by step, and journal every action',
    details: [
      'Before its first write, apply reads once from every service it will write to; a service that does not answer means no write anywhere. The journal (--journal) is written as the run goes, so a run that is killed leaves a valid journal of what it did.',
    ],
    examples: [
      'apply handovers/2026/2026-12-03-alice-to-bob.yaml --pull-request 42 --journal journal.json',
      'apply handovers/2026/2026-12-03-alice-to-bob.yaml --dry-run --skip-approval-check',
    ],
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
      {
        name: 'journal',
        value: 'OUT',
        description: 'also write the journal as JSON to OUT, rewritten after every action',
      },
      {
        name: 'deadline',
        value: 'SECONDS',
        description:
          'give up after this many seconds in all: what is under way is recorded as failed (default 600)',
      },
      CONFIG,
      format('text|json|markdown'),
      NOW,
    ],
    exits: [
      { code: 0, meaning: 'done: every action done, already done or skipped' },
      {
        code: 1,
        meaning: `failed: an action failed, a service did not answer, the deadline passed, the acknowledgement was refused, or ${INVALID_CONFIG}`,
      },
      { code: 2, meaning: `${UNREADABLE}, or no pull request to check the acknowledgement against` },
      { code: 3, meaning: 'deferred: a mid-shift outage is still open; nothing was changed' },
    ],
    doc: 'docs/apply.md',
  },
  {
    name: 'prepare',
    arity: { min: 0, max: 0 },
    summary:
      'scheduled: open the next shift change’s handover pull request ahead of time, chase its acknowledgement',
    details: [
      "Reads the PagerDuty schedule's final layer. When a shift change is due within the lead time (prepare.leadTimeHours, default 4), opens one pull request that adds the manifest init would draft for the outgoing and incoming admins, through GitHub's git data API (no checkout), with the outgoing admin as assignee and the incoming admin as requested reviewer, and tells the outgoing admin in the channel. Run again, it finds its pull request and changes nothing; when the schedule changed, it updates or closes the pull request with a comment that says why.",
      'Holds the acknowledgement to its deadline: without the incoming admin’s approval, one reminder in the channel thread before the change (prepare.remindBeforeMinutes), then at the change (prepare.escalateAfterMinutes) one escalation: the outgoing admin is kept on call over the window, the channel is told, and the incoming admin is paged when prepare.pageServiceId is set. Meant for a scheduled workflow (docs/prepare.md).',
    ],
    examples: ['prepare', 'prepare --now 2026-11-30T13:00:00Z --format json'],
    synopsisFlags: ['now'],
    flags: [CONFIG, format('text|json'), NOW],
    exits: [
      {
        code: 0,
        meaning: 'done: the pull request is open (or nothing is due), reminders and escalations as due',
      },
      { code: 1, meaning: `a service call failed (each failed action is named), or ${INVALID_CONFIG}` },
      { code: 2, meaning: `${UNREADABLE}, or the config has no prepare: section` },
    ],
    doc: 'docs/prepare.md',
  },
  {
    name: 'setup',
    arity: { min: 0, max: 0 },
    summary:
      "scaffold a team's on-call repository: config from live state, workflows, CODEOWNERS, editor settings",
    details: [
      "Run in the on-call team's git repository with PAGERDUTY_TOKEN and SLACK_BOT_TOKEN set. Writes handover.config.yaml from PagerDuty and Slack (the service, the schedule, the channel, and the roster from the schedule's users with their Slack ids by email), the two workflows pinned to the released action's commit, .github/CODEOWNERS and .vscode/settings.json. What no API can tell (GitHub logins, platform handles) is a TODO that validate rejects. Where the tokens see one service, schedule and channel (the app is a member of), no flag is needed; otherwise the message names the flag and the candidates.",
      'Re-running it rewrites only files still as setup wrote them: a file a person edited is kept unless --force.',
    ],
    examples: [
      'setup --action-sha 0123456789abcdef0123456789abcdef01234567',
      "setup --service platform-ops --schedule 'Platform primary' --channel novavms-platform-ops --action-sha SHA",
    ],
    synopsisFlags: ['service', 'schedule', 'channel'],
    flags: [
      {
        name: 'service',
        value: 'NAME',
        description: 'the PagerDuty service (name or id) when the token sees more than one',
      },
      {
        name: 'schedule',
        value: 'NAME',
        description: 'the on-call schedule (name or id) when the token sees more than one',
      },
      {
        name: 'channel',
        value: 'NAME',
        description: 'the Slack channel (name or id) when the app is in more than one',
      },
      {
        name: 'action-sha',
        value: 'SHA',
        description:
          "the released action's full commit SHA (git ls-remote https://github.com/novavms/handover refs/tags/vVERSION); default: the tag of the tool's own checkout",
      },
      { name: 'force', description: 'overwrite files a person edited' },
    ],
    exits: [
      { code: 0, meaning: 'the files were written (or kept, as listed)' },
      { code: 1, meaning: 'a service call failed' },
      {
        code: 2,
        meaning: `${UNREADABLE}, not in a git repository, or a choice to make (the flag and the candidates are named)`,
      },
    ],
    doc: 'docs/adoption.md',
  },
  {
    name: 'doctor',
    arity: { min: 0, max: 0 },
    summary: 'check the wiring read-only: tokens, permissions, service, schedule, channel, roster',
    details: [
      "Checks with the tokens at hand that each is valid and may do what plan and apply need (Slack scopes and the bot's membership of the channel, the PagerDuty key's kind and every roster email as a PagerDuty user, GitHub access to the repository and its pull requests, the platform API's read endpoints), that the service, schedule and channel exist, and that every roster entry is the same person in PagerDuty and Slack. Prints a table of ✓/✗ with the fix for each ✗. Changes nothing.",
    ],
    examples: ['doctor', 'doctor --format json'],
    synopsisFlags: [],
    flags: [
      {
        name: 'read-only',
        description:
          "the tokens are plan's read-only ones: skip the checks of apply's writes (apply repeats them)",
      },
      CONFIG,
      format('text|json'),
    ],
    exits: [
      { code: 0, meaning: 'every check passed' },
      { code: 1, meaning: `a check failed (its fix is printed), or ${INVALID_CONFIG}` },
      { code: 2, meaning: 'a usage mistake or an unreadable config' },
    ],
    doc: 'docs/adoption.md',
  },
  {
    name: 'sandbox',
    arity: { min: 0, max: 0 },
    summary: 'serve local emulators of PagerDuty, Slack, GitHub and the platform API',
    details: [
      'Serves, on 127.0.0.1, emulators of the PagerDuty REST API, the Slack Web API, the GitHub REST API and the platform admin API with a seed world, and prints the environment that points handover at them: one `export NAME=VALUE` line per variable, then `# ready`. Serves until interrupted (Ctrl-C, SIGTERM or SIGHUP), until its stdin is a pipe that closes, or until the process that started it exits. Control endpoints, described in docs/sandbox.md: /_sandbox/faults (latency, rate limits, errors), /_sandbox/state (save or load the world), /_sandbox/requests (what the clients sent).',
    ],
    examples: ['sandbox > env.sh &', 'sandbox --state world.json --config-out handover.config.yaml'],
    synopsisFlags: ['port', 'state', 'config-out'],
    flags: [
      { name: 'port', value: 'N', description: 'port on 127.0.0.1 (default 0: any free port)' },
      {
        name: 'state',
        value: 'FILE',
        description: 'load the world from FILE if it exists; save it back (mode 0600) on exit',
      },
      { name: 'config-out', value: 'PATH', description: 'write the matching handover.config.yaml' },
      { name: 'latency', value: 'MS', description: 'add MS milliseconds before every answer' },
      {
        name: 'faults',
        value: 'JSON',
        description:
          'initial fault settings: rate limits, errors, failMutation and holdMutation (see docs/sandbox.md)',
      },
    ],
    exits: [
      { code: 0, meaning: 'stopped by SIGINT or SIGTERM (the state saved, with --state)' },
      { code: 2, meaning: 'a usage mistake, a port in use, or a state file that is not a saved state' },
    ],
    doc: 'docs/sandbox.md',
  },
  {
    name: 'demo',
    arity: { min: 0, max: 0 },
    summary: 'the whole flow against a fresh sandbox, in a few seconds',
    details: [
      "Runs a whole on-call handover, alice → bob, against a sandbox started in this process (nothing leaves 127.0.0.1): init, validate, a pull request in the sandbox's GitHub, plan, bob's approval, merge, apply, and a second apply that repeats nothing.",
    ],
    examples: ['demo', 'demo --dir ./demo-run'],
    synopsisFlags: [],
    flags: [
      {
        name: 'dir',
        value: 'PATH',
        description: 'work in PATH (created if missing; must be empty) instead of a fresh temporary folder',
      },
      { name: 'keep', description: 'keep the folder afterwards (the default)' },
    ],
    exits: [
      { code: 0, meaning: 'every step turned out as expected' },
      { code: 1, meaning: 'a step did not (the message names it)' },
      { code: 2, meaning: 'a usage mistake, or --dir is not an empty folder' },
    ],
  },
];

export function findCommandDoc(name: string): CommandDoc | undefined {
  return COMMAND_DOCS.find((command) => command.name === name);
}

/** The command's flags as its help and the reference list them: its own, then --help. */
export function allFlags(command: CommandDoc): readonly FlagDoc[] {
  return [...command.flags, HELP_FLAG];
}

export function flagText(flag: FlagDoc): string {
  return `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
}

/** `plan FILE [--pull-request N]`: the command as the usage lines show it. */
export function synopsis(command: CommandDoc): string {
  const flags = command.synopsisFlags.map((name) => {
    const flag = command.flags.find((candidate) => candidate.name === name);
    if (!flag) throw new Error(`usage.ts: ${command.name} shows --${name} but does not list it`);
    return flag.required ? flagText(flag) : `[${flagText(flag)}]`;
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
    'options of handover itself:',
    '  -h, --help                    show this list',
    '  --version                     print the version',
    '',
    'handover help CMD, or handover CMD --help: the flags, examples and exit codes of CMD',
    `exit codes: ${EXIT_CODES.map((exit) => `${exit.code} ${shortMeaning(exit.code)}`).join(', ')}`,
    'every flag and exit code: docs/reference/commands.md',
    '',
  );
  return lines.join('\n');
}

function shortMeaning(code: number): string {
  return (
    {
      0: 'ok',
      1: 'invalid or failed',
      2: 'usage or unreadable',
      3: 'deferred (apply)',
      70: 'internal error',
    }[code] ?? ''
  );
}

/** Wraps prose to `width` columns after `indent` spaces. */
function wrap(text: string, indent: number, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent + line.length + 1 + word.length > width) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(' '.repeat(indent) + line);
  return lines;
}

/** What `handover CMD --help` and `handover help CMD` print. */
export function renderCommandHelp(command: CommandDoc): string {
  const flags = allFlags(command).map((flag) => ({
    head: `${flag.short ? `-${flag.short}, ` : ''}${flagText(flag)}`,
    text: flag.description,
  }));
  const column = Math.max(...flags.map((flag) => flag.head.length)) + 4;
  const exitColumn = 6;
  const lines = [
    `usage: handover ${synopsis(command)}`,
    '',
    ...wrap(`${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.`, 0),
  ];
  for (const paragraph of command.details ?? []) lines.push('', ...wrap(paragraph, 0));
  lines.push('', 'options:');
  for (const flag of flags) {
    const [first = '', ...rest] = wrap(flag.text, column + 2);
    lines.push(`  ${flag.head.padEnd(column)}${first.trimStart()}`, ...rest);
  }
  if (command.examples.length > 0) {
    lines.push('', 'examples:', ...command.examples.map((example) => `  handover ${example}`));
  }
  lines.push('', 'exit codes:');
  for (const exit of [...command.exits, EXIT_CODES[EXIT_CODES.length - 1] as ExitDoc]) {
    const [first = '', ...rest] = wrap(exit.meaning, exitColumn + 2);
    lines.push(`  ${String(exit.code).padEnd(exitColumn)}${first.trimStart()}`, ...rest);
  }
  if (command.doc) lines.push('', `more: ${command.doc}`);
  lines.push('');
  return lines.join('\n');
}

/** What a command's handler receives: its flags by name, and its positional arguments. */
export interface CommandLine {
  values: Readonly<Record<string, string | boolean | undefined>>;
  positionals: readonly string[];
}

/** The node:util parseArgs options of a command, from its description. */
export function parserOptions(
  command: CommandDoc,
): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const flag of allFlags(command)) {
    options[flag.name] = {
      type: flag.value ? 'string' : 'boolean',
      ...(flag.short ? { short: flag.short } : {}),
    };
  }
  return options;
}

/**
 * Parses a command's arguments by its description. `help: true` in the result means --help was asked
 * for: the dispatcher prints the help whatever else is on the line. A parser's complaint, a wrong number
 * of arguments or a missing required flag is a UsageError that names the command's help.
 */
export function parseCommandLine(
  command: CommandDoc,
  argv: readonly string[],
): CommandLine & { help: boolean } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parserOptions(command),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // `handover init --bogus --help` still gets the help it asked for.
    if (argv.includes('--help') || argv.includes('-h')) return { values: {}, positionals: [], help: true };
    throw new UsageError(`${(error as Error).message.split('\n')[0]} ${seeHelp(command)}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  const count = parsed.positionals.length;
  if (count < command.arity.min || count > command.arity.max) {
    const expected =
      command.arity.max === 0
        ? 'takes no arguments'
        : command.arity.min === command.arity.max
          ? `takes exactly ${command.arity.min === 1 ? 'one' : command.arity.min} ${command.args}`
          : `takes ${command.args}`;
    const got = count === 0 ? 'none' : `'${parsed.positionals.join(' ')}'`;
    throw new UsageError(`${command.name} ${expected} (got ${got}) ${seeHelp(command)}`);
  }
  return { values, positionals: parsed.positionals, help: false };
}

/** Usage mistakes are one line: what is wrong, and where the help is. */
function seeHelp(command: CommandDoc): string {
  return `(see handover ${command.name} --help)`;
}
