import { describe, expect, it } from 'vitest';
import { coreEnvironment, maskSecrets } from '../../src/action/environment.js';

const TOKENS = { pagerduty: 'pd-token', slack: '', platform: 'pl/token+1', github: 'gh-token' };

describe('the environment the core runs with', () => {
  it('maps each token input to its variable (docs/design.md#the-environment-and-the-sandbox), inputs winning over the workflow env', () => {
    const env = coreEnvironment(
      { SLACK_BOT_TOKEN: 'from-env', PAGERDUTY_TOKEN: 'old', PATH: '/bin' },
      TOKENS,
    );
    expect(env).toMatchObject({
      PAGERDUTY_TOKEN: 'pd-token',
      SLACK_BOT_TOKEN: 'from-env',
      PLATFORM_TOKEN: 'pl/token+1',
      GITHUB_TOKEN: 'gh-token',
      PATH: '/bin',
    });
  });

  it('leaves out the raw INPUT_ variables and GITHUB_ACTIONS (the action renders for Actions itself)', () => {
    const env = coreEnvironment(
      { 'INPUT_PAGERDUTY-TOKEN': 'pd-token', GITHUB_ACTIONS: 'true', GITHUB_SHA: 'abc' },
      TOKENS,
    );
    expect(Object.keys(env).filter((k) => k.startsWith('INPUT_'))).toEqual([]);
    expect(env.GITHUB_ACTIONS).toBeUndefined();
    expect(env.GITHUB_SHA).toBe('abc');
  });
});

describe('masking', () => {
  it('registers every token, from inputs and from the environment, in every encoding it can leak in', () => {
    const masked: string[] = [];
    maskSecrets({ setSecret: (s) => masked.push(s) }, { SLACK_BOT_TOKEN: 'xoxb-env\nsecond-line' }, TOKENS);
    for (const value of ['gh-token', 'pd-token', 'pl/token+1', 'second-line', 'xoxb-env']) {
      expect(masked).toContain(value);
      expect(masked).toContain(Buffer.from(value).toString('base64'));
      expect(masked).toContain(Buffer.from(value).toString('base64url'));
    }
    expect(masked).toContain('pl%2Ftoken%2B1');
    expect(masked).not.toContain('xoxb-env\nsecond-line');
    expect(new Set(masked).size).toBe(masked.length);
  });
});
