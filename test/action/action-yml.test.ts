import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../../src/action/inputs.js';

const action = parse(readFileSync(resolve(import.meta.dirname, '../../action.yml'), 'utf8')) as {
  runs: Record<string, unknown>;
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
};

const ROOT_FOR_WORKFLOWS = resolve(import.meta.dirname, '..', '..');

describe('action.yml', () => {
  it('runs the committed bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares the inputs, with the defaults the workflows rely on', () => {
    expect(Object.keys(action.inputs)).toEqual([
      'command',
      'manifests',
      'config',
      'pagerduty-token',
      'slack-bot-token',
      'platform-token',
      'github-token',
      'dry-run',
      'deadline',
    ]);
    expect(action.inputs.command?.required).toBe(true);
    expect(action.inputs.config?.default).toBe('handover.config.yaml');
    expect(action.inputs['github-token']?.default).toBe(`\${{ github.token }}`);
    expect(action.inputs['dry-run']?.default).toBe('false');
  });

  it("defaults the run's deadline to well under the apply workflow's timeout-minutes", () => {
    const workflow = readFileSync(
      resolve(ROOT_FOR_WORKFLOWS, '.github/workflows/handover-apply.yml'),
      'utf8',
    );
    const minutes = Number(/timeout-minutes:\s*(\d+)/.exec(workflow)?.[1]);
    const deadline = Number(action.inputs.deadline?.default);
    expect(deadline).toBeGreaterThan(0);
    expect(deadline * 2).toBeLessThanOrEqual(minutes * 60);
  });

  it('declares the outputs', () => {
    expect(Object.keys(action.outputs)).toEqual(['result', 'incidents', 'tickets', 'rollouts', 'journal']);
  });

  it('declares every input the action reads (the runner passes only declared ones)', () => {
    const read: string[] = [];
    const inputs = readInputs((name) => {
      if (!(name in action.inputs)) throw new Error(`input ${name} is not declared in action.yml`);
      read.push(name);
      return name === 'command' ? 'validate' : (action.inputs[name]?.default ?? '');
    });
    expect(new Set(read)).toEqual(new Set(Object.keys(action.inputs)));
    expect(inputs).toMatchObject({
      command: 'validate',
      config: 'handover.config.yaml',
      dryRun: false,
      manifests: [],
    });
  });
});
