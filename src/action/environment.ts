import { secretsInEnvironment } from '../providers/index.js';
import type { ActionTokens } from './inputs.js';
import type { ActionsToolkit } from './toolkit.js';

/** docs/design.md#the-environment-and-the-sandbox: the variables the core reads its tokens from, one per action input. */
const TOKEN_VARIABLES: Record<keyof ActionTokens, string> = {
  pagerduty: 'PAGERDUTY_TOKEN',
  slack: 'SLACK_BOT_TOKEN',
  platform: 'PLATFORM_TOKEN',
  github: 'GITHUB_TOKEN',
};

/**
 * The environment the core runs with: the runner's, with each token input mapped to its variable (docs/design.md#the-environment-and-the-sandbox)
 * (an input wins over a variable of the same name set by the workflow). The raw `INPUT_*` variables are
 * left out — they hold the same tokens and nothing in the core reads them — and so is GITHUB_ACTIONS:
 * the action itself renders annotations, groups and the summary, so the commands it calls print plain
 * text that the action then writes out safely.
 */
export function coreEnvironment(runner: NodeJS.ProcessEnv, tokens: ActionTokens): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(runner)) {
    if (name.startsWith('INPUT_') || name === 'GITHUB_ACTIONS') continue;
    env[name] = value;
  }
  for (const [key, variable] of Object.entries(TOKEN_VARIABLES) as Array<[keyof ActionTokens, string]>) {
    if (tokens[key]) env[variable] = tokens[key];
  }
  return env;
}

/**
 * Registers every token with the runner's log masking. Called before anything else is logged. Each line
 * of a value is masked on its own (a multi-line value is registered as one escaped line otherwise), and so
 * is its URL-encoded form, the shape a token takes when an HTTP library quotes a request URL.
 */
export function maskSecrets(
  core: Pick<ActionsToolkit, 'setSecret'>,
  env: NodeJS.ProcessEnv,
  tokens: ActionTokens,
): void {
  const values = new Set<string>([...Object.values(tokens), ...secretsInEnvironment(env)]);
  for (const value of values) {
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length === 0) continue;
      core.setSecret(trimmed);
      const encoded = encodeURIComponent(trimmed);
      if (encoded !== trimmed) core.setSecret(encoded);
    }
  }
}
