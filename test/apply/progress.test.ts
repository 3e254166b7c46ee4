import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProgress } from '../../src/runbook/runtime/progress.js';
import { createMemoryReporter, type Reporter } from '../../src/runbook/runtime/reporter.js';
import { StepLogs } from '../../src/runbook/runtime/step-logs.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('progress lines of a long run', () => {
  it('say every few seconds how many actions each step has recorded, and only when something moved', () => {
    const lines: string[] = [];
    const reporter: Reporter = { ...createMemoryReporter(), progress: (line) => lines.push(line) };
    const logs = new StepLogs(reporter, ['incidents', 'tickets', 'rollouts']);
    const stop = startProgress(reporter, logs, ['incidents', 'tickets', 'rollouts'], 5_000);
    vi.advanceTimersByTime(5_000);
    expect(lines).toEqual([]); // nothing recorded yet
    for (let i = 0; i < 3; i += 1) logs.countAction('incidents');
    logs.countAction('tickets');
    vi.advanceTimersByTime(5_000);
    expect(lines).toEqual(['progress 10 s: incidents 3 actions, tickets 1 action']);
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(1); // nothing moved
    logs.countAction('rollouts');
    vi.advanceTimersByTime(5_000);
    expect(lines.at(-1)).toBe('progress 20 s: incidents 3 actions, tickets 1 action, rollouts 1 action');
    stop();
    logs.countAction('rollouts');
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(2);
  });

  it('writes nothing to a reporter that keeps lines for later', () => {
    const reporter = createMemoryReporter();
    const logs = new StepLogs(reporter, ['incidents']);
    const stop = startProgress(reporter, logs, ['incidents'], 1_000);
    logs.countAction('incidents');
    vi.advanceTimersByTime(5_000);
    expect(reporter.lines).toEqual([]);
    stop();
  });
});
