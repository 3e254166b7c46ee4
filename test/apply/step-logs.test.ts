import { describe, expect, it } from 'vitest';
import { createConsoleReporter, createMemoryReporter } from '../../src/runbook/runtime/reporter.js';
import { StepLogs } from '../../src/runbook/runtime/step-logs.js';

describe('one log group per step, even when steps run side by side', () => {
  it('streams the head step and holds a later step until its predecessors finish', () => {
    const reporter = createMemoryReporter();
    const logs = new StepLogs(reporter, ['freeze', 'incidents', 'tickets', 'rollouts']);
    logs.info('freeze', 'override done');
    logs.info('tickets', 'ticket 1 reassigned'); // the platform lane is ahead of PagerDuty
    expect(reporter.lines.map((l) => l.text)).toEqual([
      'Step 1 · Freeze PagerDuty assignments',
      'override done',
    ]);
    logs.finish('freeze');
    logs.info('incidents', 'incident 1 reassigned');
    logs.info('tickets', 'ticket 2 reassigned');
    logs.finish('tickets');
    logs.info('rollouts', 'rollout annotated');
    logs.finish('incidents');
    logs.finish('rollouts');
    expect(reporter.lines.map((l) => `${l.kind}:${l.text}`)).toEqual([
      'group:Step 1 · Freeze PagerDuty assignments',
      'info:override done',
      'endgroup:',
      'group:Step 2 · Incidents',
      'info:incident 1 reassigned',
      'endgroup:',
      'group:Step 3 · Pinned tickets',
      'info:ticket 1 reassigned',
      'info:ticket 2 reassigned',
      'endgroup:',
      'group:Step 4 · Rollouts in flight',
      'info:rollout annotated',
      'endgroup:',
    ]);
  });

  it('writes out what is left when the run stops early', () => {
    const reporter = createMemoryReporter();
    const logs = new StepLogs(reporter, ['preflight', 'freeze', 'verify']);
    logs.error('preflight', 'no approval');
    logs.close();
    expect(reporter.lines.map((l) => l.kind)).toEqual(['group', 'error', 'endgroup']);
  });
});

describe('the console reporter', () => {
  it('folds groups and raises annotations inside GitHub Actions', () => {
    let out = '';
    const reporter = createConsoleReporter((text) => (out += text), { githubActions: true });
    reporter.startGroup('Step 2 · Incidents');
    reporter.info('[done] incident "Q1" · reassign: reassigned to bob');
    reporter.warning('50% done\nsecond line');
    reporter.endGroup();
    expect(out).toBe(
      '::group::Step 2 · Incidents\n  [done] incident "Q1" · reassign: reassigned to bob\n::warning::50%25 done%0Asecond line\n::endgroup::\n',
    );
  });

  it('never lets a line break start a workflow command', () => {
    let out = '';
    const reporter = createConsoleReporter((text) => (out += text), { githubActions: true });
    reporter.info('innocent\n::add-mask::everything');
    reporter.error('bad\r\n::error::forged');
    const ours = /^(::group::|::endgroup::|::warning::|::error::)/;
    for (const line of out.split('\n').filter(Boolean)) {
      if (line.startsWith('::')) expect(line).toMatch(ours);
    }
    expect(out).not.toMatch(/^::add-mask::/m);
    expect(out.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      '::error::bad%0D%0A::error::forged',
    ]);
  });

  it('prints plain headings outside Actions', () => {
    let out = '';
    const reporter = createConsoleReporter((text) => (out += text), { githubActions: false });
    reporter.startGroup('Step 0 · Preflight');
    reporter.warning('careful');
    reporter.endGroup();
    expect(out).toBe('Step 0 · Preflight\n  warning: careful\n');
  });
});
