import { secretsInEnvironment } from '../providers/index.js';
import { secretForms } from '../render/secret-forms.js';
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
 * is each encoding it can leak in: URL-encoded, base64, base64url.
 */
export function maskSecrets(
  core: Pick<ActionsToolkit, 'setSecret'>,
  env: NodeJS.ProcessEnv,
  tokens: ActionTokens,
): void {
  const values = new Set<string>([...Object.values(tokens), ...secretsInEnvironment(env)]);
  const registered = new Set<string>();
  for (const value of values) {
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length === 0) continue;
      // Plain, URL-encoded, base64 and base64url (render/secret-forms.ts); short values as they are.
      for (const form of [trimmed, ...secretForms(trimmed)]) {
        if (registered.has(form)) continue;
        registered.add(form);
        core.setSecret(form);
      }
    }
  }
}
