import { describe, expect, it } from 'vitest';
import { InputError, readInputs } from '../../src/action/inputs.js';

function inputs(values: Record<string, string>) {
  return readInputs((name) => values[name] ?? '');
}

describe('reading the inputs', () => {
  it('splits manifests on newlines and commas and trims them', () => {
    expect(
      inputs({ command: 'plan', manifests: ' handovers/a.yaml,\nhandovers/2026/*.yaml \n\n' }).manifests,
    ).toEqual(['handovers/a.yaml', 'handovers/2026/*.yaml']);
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['', false],
  ])('reads dry-run %j as %s', (value, expected) => {
    expect(inputs({ command: 'apply', 'dry-run': value }).dryRun).toBe(expected);
  });

  it.each([
    [{ command: 'deploy' }, "input 'command' must be one of validate, plan, apply"],
    [{ command: '' }, "input 'command' must be one of"],
    [{ command: 'apply', 'dry-run': 'yes' }, "input 'dry-run' must be true or false"],
    [
      { command: 'validate', manifests: '../secrets.yaml' },
      "input 'manifests' must be a path inside the repository",
    ],
    [
      { command: 'validate', manifests: '/etc/passwd' },
      "input 'manifests' must be a path inside the repository",
    ],
    [
      { command: 'validate', config: 'C:\\config.yaml' },
      "input 'config' must be a path inside the repository",
    ],
  ])('refuses %j with a message saying what to write', (values, message) => {
    expect(() => inputs(values)).toThrow(InputError);
    expect(() => inputs(values)).toThrow(message);
  });

  it('defaults the config and keeps tokens apart from everything else', () => {
    const read = inputs({ command: 'apply', 'pagerduty-token': ' pd \n', 'github-token': 'gh' });
    expect(read.config).toBe('handover.config.yaml');
    expect(read.tokens).toEqual({ pagerduty: 'pd', slack: '', platform: '', github: 'gh' });
  });
});
