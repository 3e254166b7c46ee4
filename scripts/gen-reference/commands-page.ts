import { allFlags, type CommandDoc, EXIT_CODES, flagText, synopsis } from '../../src/cli/usage.js';
import { cell, code, generatedNotice, table } from './markdown.js';

function section(command: CommandDoc): string[] {
  const flags = allFlags(command).map((flag) => [
    cell(code(`${flag.short ? `-${flag.short}, ` : ''}${flagText(flag)}`)),
    cell(flag.description),
  ]);
  const exits = command.exits.map((exit) => [String(exit.code), cell(exit.meaning)]);
  return [
    `## ${code(`handover ${command.name}`)}`,
    '',
    '```',
    `handover ${synopsis(command)}`,
    '```',
    '',
    `${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.${command.doc ? ` More in [${command.doc}](../../${command.doc}).` : ''}`,
    '',
    ...(command.details ?? []).flatMap((paragraph) => [paragraph, '']),
    table(['Flag', 'Meaning'], flags),
    '',
    'Examples:',
    '',
    '```',
    ...command.examples.map((example) => `handover ${example}`),
    '```',
    '',
    table(['Exit', 'Meaning'], exits),
    '',
  ];
}

export function renderCommandsPage(commands: readonly CommandDoc[]): string {
  const overview = table(
    ['Command', 'Does'],
    commands.map((command) => [
      `[${code(`handover ${command.name}`)}](#handover-${command.name})`,
      cell(command.summary),
    ]),
  );
  return [
    '# Command reference',
    '',
    generatedNotice('src/cli/usage.ts (also what `handover --help` and `handover help CMD` print)'),
    '',
    'The config is `handover.config.yaml` in the working directory unless `--config PATH` says otherwise.',
    'Secrets come from the environment only (`PAGERDUTY_TOKEN`, `SLACK_BOT_TOKEN`, `PLATFORM_TOKEN`,',
    '`GITHUB_TOKEN`); endpoints from `PAGERDUTY_API_URL`, `SLACK_API_URL`, `PLATFORM_API_URL`,',
    '`GITHUB_API_URL`. No command prints a stack trace for bad input. `handover CMD --help` (or',
    '`handover help CMD`) prints a command’s section below; `handover --version` prints the version.',
    '',
    overview,
    '',
    '## Exit codes',
    '',
    'One rule for every command. In particular, a config that cannot be read (missing, a folder, not a',
    'regular file) exits 2, and a config that is readable but invalid exits 1, with its diagnostics, in',
    'every command. A command’s section lists what each code means for it.',
    '',
    table(
      ['Exit', 'Meaning'],
      EXIT_CODES.map((exit) => [String(exit.code), cell(exit.meaning)]),
    ),
    '',
    ...commands.flatMap(section),
  ].join('\n');
}
