import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../format.js';
import { pagerDutyDirectory, slackDirectory } from '../../onboarding/directory.js';
import { configYaml, discover, plannedFiles, SetupChoiceError, writeFiles } from '../../onboarding/setup.js';
import { ProviderError } from '../../providers/types.js';
import { ownPackageRoot, schemaReference } from '../../schema-reference.js';
import { VERSION } from '../../version.js';
import { stringFlag, switchFlag } from '../common.js';
import { type CliIO, EXIT, UsageError } from '../io.js';
import type { CommandLine } from '../usage.js';

/** The repository root: setup scaffolds the git repository it runs in, never a folder outside one. */
function gitRoot(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    throw new UsageError('run setup inside the git repository of your on-call team (git init first)');
  }
}

/**
 * The released action's commit: --action-sha, else the tag v<VERSION> of the tool's own git checkout
 * when handover runs from one (docs/adoption.md says how to look it up).
 */
function actionCommit(line: CommandLine): string {
  const given = stringFlag(line, 'action-sha');
  if (given !== undefined) {
    if (!/^[0-9a-f]{40}$/.test(given))
      throw new UsageError(`--action-sha must be a full 40-hex commit SHA (got '${given}')`);
    return given;
  }
  const root = ownPackageRoot();
  if (root && existsSync(join(root, '.git'))) {
    try {
      return execFileSync('git', ['rev-parse', `v${VERSION}^{commit}`], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      // no such tag in this checkout: fall through to the message
    }
  }
  throw new UsageError(
    `name the released action's commit with --action-sha: git ls-remote https://github.com/novavms/handover refs/tags/v${VERSION} prints it`,
  );
}

export async function setupCommand(line: CommandLine, io: CliIO): Promise<number> {
  const root = gitRoot(io.cwd);
  const sha = actionCommit(line);
  const missing = ['PAGERDUTY_TOKEN', 'SLACK_BOT_TOKEN'].filter((name) => !io.env[name]);
  if (missing.length > 0)
    throw new UsageError(
      `missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (setup reads PagerDuty and Slack)`,
    );
  let found: Awaited<ReturnType<typeof discover>>;
  try {
    found = await discover(pagerDutyDirectory(io.env), slackDirectory(io.env), {
      service: stringFlag(line, 'service'),
      schedule: stringFlag(line, 'schedule'),
      channel: stringFlag(line, 'channel'),
    });
  } catch (error) {
    if (error instanceof SetupChoiceError) throw new UsageError(error.message);
    if (error instanceof ProviderError || error instanceof Error) {
      io.stderr(`handover setup: ${errorMessage(error)}\n`);
      return EXIT.failed;
    }
    throw error;
  }
  const config = configYaml(
    found,
    io.env.PLATFORM_API_URL,
    schemaReference(root, join(root, 'handover.config.yaml'), 'config.schema.json'),
  );
  const action = `novavms/handover@${sha} # v${VERSION}`;
  const results = writeFiles(root, plannedFiles(root, config, action), switchFlag(line, 'force'));
  for (const { path, outcome } of results) io.stdout(`${outcome.padEnd(10)} ${path}\n`);
  io.stdout(
    'next: replace the TODOs in handover.config.yaml (handover validate lists them), then run handover doctor\n',
  );
  return EXIT.ok;
}
