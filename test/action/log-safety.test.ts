/**
 * Text the action did not write — manifest values, service errors, command output — must never become a
 * workflow command in the log (docs/design.md#logs), and annotations over GitHub's cap must not be lost.
 */
import type { AnnotationProperties } from '@actions/core';
import { describe, expect, it } from 'vitest';
import { AnnotationBudget } from '../../src/action/annotations.js';
import { createActionsReporter } from '../../src/action/reporter.js';
import { overflowSection } from '../../src/action/summary.js';

/** A recording stand-in for the part of @actions/core these modules use. */
function recordingCore() {
  const calls: Array<[string, string, AnnotationProperties?]> = [];
  return {
    calls,
    info: (line: string) => calls.push(['info', line]),
    startGroup: (name: string) => calls.push(['group', name]),
    endGroup: () => calls.push(['endgroup', '']),
    error: (message: string | Error, properties?: AnnotationProperties) =>
      calls.push(['error', String(message), properties]),
    warning: (message: string | Error, properties?: AnnotationProperties) =>
      calls.push(['warning', String(message), properties]),
    notice: (message: string | Error, properties?: AnnotationProperties) =>
      calls.push(['notice', String(message), properties]),
  };
}

describe("apply's log on @actions/core", () => {
  it('groups each step (named after the handover) and keeps every line on one line', () => {
    const core = recordingCore();
    const reporter = createActionsReporter(core, new AnnotationBudget(core), 'handovers/a.yaml');
    reporter.startGroup('Step 2 · Incidents');
    reporter.info('[done] incident "Q1" · reassign\n::add-mask::bob');
    reporter.warning('::error::forged');
    reporter.endGroup();
    expect(core.calls).toEqual([
      ['group', 'handovers/a.yaml · Step 2 · Incidents'],
      ['info', '  [done] incident "Q1" · reassign ::add-mask::bob'],
      ['warning', '"::error::forged"', {}],
      ['endgroup', ''],
    ]);
  });
});

describe('annotations over the cap', () => {
  it('raises 10 of each level, then logs the rest and keeps them for the summary', () => {
    const core = recordingCore();
    const budget = new AnnotationBudget(core);
    for (let i = 1; i <= 12; i += 1)
      budget.annotate('error', `problem ${i}`, { file: 'handovers/a.yaml', startLine: i });
    budget.annotate('warning', 'a warning');
    expect(core.calls.filter(([kind]) => kind === 'error')).toHaveLength(10);
    expect(core.calls.filter(([kind]) => kind === 'warning')).toHaveLength(1);
    expect(core.calls.filter(([kind]) => kind === 'info').map(([, line]) => line)).toEqual([
      'error: handovers/a.yaml:11 problem 11',
      'error: handovers/a.yaml:12 problem 12',
    ]);
    const section = overflowSection(budget.overflow) ?? '';
    expect(section).toContain('2 more findings');
    expect(section).toContain('handovers/a.yaml:12 problem 12');
  });

  it('escapes what it lists in the summary', () => {
    const section =
      overflowSection([{ level: 'error', message: '<img src=x> @org/team | x', properties: {} }]) ?? '';
    expect(section).not.toContain('<img');
    expect(section).toContain('&lt;img');
    expect(section).toContain('@\u200borg');
  });

  it('writes nothing when nothing overflowed', () => {
    expect(overflowSection([])).toBeNull();
  });
});
