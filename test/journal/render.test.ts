import { describe, expect, it } from 'vitest';
import {
  type Journal,
  type JournalAction,
  JournalRecorder,
  renderJournalJson,
  renderJournalMarkdown,
  renderJournalSummary,
  renderJournalText,
} from '../../src/journal/index.js';

const AT = '2026-11-26T15:00:00.000Z';

function action(overrides: Partial<JournalAction> = {}): JournalAction {
  return {
    step: 'incidents',
    target: 'incident "Q1ABCDEF12345"',
    action: 'reassign',
    outcome: 'done',
    detail: 'reassigned to bob',
    at: AT,
    ...overrides,
  };
}

function journal(actions: JournalAction[], overrides: Partial<Journal> = {}): Journal {
  return {
    id: '2026-11-26-alice-to-bob',
    startedAt: AT,
    finishedAt: '2026-11-26T15:00:03.000Z',
    outcome: 'done',
    actions,
    manifestSha256: 'ab'.repeat(32),
    pullRequest: 12,
    approver: 'bob',
    approvedSha: 'abc1234def5678abc1234def5678abc1234def56',
    acknowledgementVerified: true,
    dryRun: false,
    ...overrides,
  };
}

/** The cells of the table rows (header and separator excluded). */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Step |'))
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe('the journal as a Markdown table', () => {
  it('has one row per action with the five columns', () => {
    const md = renderJournalMarkdown(
      journal([action(), action({ step: 'tickets', target: 'ticket "SUP-4411"', outcome: 'already-done' })]),
    );
    const rows = tableRows(md);
    expect(rows).toHaveLength(2);
    expect(rows.every((cells) => cells.length === 5)).toBe(true);
    expect(md).toContain('acknowledged by bob via approval of PR #12 at commit abc1234');
  });

  it.each([
    ['a channel ping', '<!channel> look here'],
    ['a mention', 'ping @alice-nv and @novavms/platform'],
    ['a table break', 'text | injected | cells |'],
    ['an HTML block', '<details><summary>✅ approved</summary></details>'],
    ['an image', '![x](https://evil.example/x.png)'],
    ['a link', '[click](https://evil.example)'],
    ['a newline', 'first line\n| forged | row | here | x | y |'],
    ['a workflow command', '::error::forged'],
  ])('keeps %s in a detail inert', (_name, detail) => {
    const md = renderJournalMarkdown(journal([action({ detail })]));
    const rows = tableRows(md);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(5);
    expect(md).not.toMatch(/<(details|summary|!channel)/);
    expect(md).not.toMatch(/@(alice|novavms)/);
    expect(md).not.toMatch(/!\[x\]\(|\[click\]\(/);
  });

  it('says plainly when the acknowledgement was not verified', () => {
    const md = renderJournalMarkdown(
      journal([action()], {
        acknowledgementVerified: false,
        pullRequest: null,
        approver: null,
        approvedSha: null,
      }),
    );
    expect(md).toContain('acknowledgement NOT verified');
  });

  it('links the run only when it is an http(s) URL', () => {
    const good = renderJournalMarkdown(journal([action()]), {
      runUrl: 'https://github.com/novavms/oncall/actions/runs/1',
    });
    expect(good).toContain('[Workflow run log](https://github.com/novavms/oncall/actions/runs/1)');
    const bad = renderJournalMarkdown(journal([action()]), { runUrl: 'javascript:alert(1)' });
    expect(bad).not.toContain('Workflow run log');
  });

  it('tells a failure from an error', () => {
    const md = renderJournalMarkdown(
      journal(
        [
          action({ outcome: 'failed', failure: 'failure', detail: 'stranded' }),
          action({ outcome: 'failed', failure: 'error', detail: 'pagerduty 500' }),
        ],
        { outcome: 'failed' },
      ),
    );
    expect(md).toContain('❌ failed \\(failure\\)');
    expect(md).toContain('❌ failed \\(error\\)');
    expect(md).toContain('1 failure (a precondition or input to fix) and 1 error (a service broke');
  });

  it('summarises routine rows when a large handover would exceed a comment', () => {
    const many = Array.from({ length: 2000 }, (_, i) => action({ target: `incident "Q${i}"` }));
    many.push(action({ outcome: 'failed', failure: 'error', target: 'incident "QFAILED"', detail: 'boom' }));
    const md = renderJournalMarkdown(journal(many, { outcome: 'failed' }), { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('QFAILED');
    expect(md).toContain('2000 done, 0 already done');
  });
});

describe('the journal as text and JSON', () => {
  it('groups actions by step in runbook order and ends with the outcome', () => {
    const text = renderJournalText(
      journal([
        action({ step: 'tickets', target: 'ticket "SUP-4411"' }),
        action({ step: 'freeze', target: 'schedule "PSCH001"', action: 'override' }),
      ]),
    );
    expect(text.indexOf('Step 1 · Freeze')).toBeLessThan(text.indexOf('Step 3 · Pinned tickets'));
    expect(text).toContain(
      'handover 2026-11-26-alice-to-bob: done (2 done, 0 already done, 0 skipped, 0 failed)',
    );
  });

  it('explains a deferral', () => {
    const summary = renderJournalSummary(
      journal([action({ step: 'preflight', outcome: 'deferred' })], { outcome: 'deferred' }),
    );
    expect(summary).toContain('deferred: nothing was changed');
  });

  it('round-trips as JSON with the contract fields', () => {
    const parsed = JSON.parse(renderJournalJson(journal([action()]))) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(
      expect.arrayContaining(['id', 'startedAt', 'finishedAt', 'outcome', 'actions', 'manifestSha256']),
    );
    expect(Object.keys((parsed.actions as object[])[0]!)).toEqual([
      'step',
      'target',
      'action',
      'outcome',
      'detail',
      'at',
    ]);
  });
});

describe('the journal recorder', () => {
  const clock = () => new Date(AT);

  it('keeps every field on one line and removes secrets', () => {
    const recorder = new JournalRecorder(
      { id: 'h', manifestSha256: 'x', dryRun: false },
      clock,
      new Date(AT),
      (text) => text.split('sandbox-secret').join('***'),
    );
    const recorded = recorder.record({
      step: 'incidents',
      target: 'incident "Q1"',
      action: 'reassign',
      outcome: 'failed',
      detail: 'server said\n::add-mask::sandbox-secret',
    });
    expect(recorded.detail).toBe('server said ::add-mask::***');
    expect(recorded.failure).toBe('failure');
  });

  it('derives the run outcome: a failure wins over a deferral', () => {
    const recorder = new JournalRecorder(
      { id: 'h', manifestSha256: 'x', dryRun: false },
      clock,
      new Date(AT),
    );
    expect(recorder.outcome()).toBe('done');
    recorder.record({ step: 'preflight', target: 't', action: 'a', outcome: 'deferred', detail: '' });
    expect(recorder.outcome()).toBe('deferred');
    recorder.record({ step: 'verify', target: 't', action: 'a', outcome: 'failed', detail: '' });
    expect(recorder.finish().outcome).toBe('failed');
  });

  it('orders the finished journal by step, keeping order within a step', () => {
    const recorder = new JournalRecorder(
      { id: 'h', manifestSha256: 'x', dryRun: false },
      clock,
      new Date(AT),
    );
    for (const [step, target] of [
      ['tickets', 'T1'],
      ['freeze', 'S'],
      ['tickets', 'T2'],
      ['incidents', 'I1'],
    ] as const)
      recorder.record({ step, target, action: 'a', outcome: 'done', detail: '' });
    expect(recorder.finish().actions.map((a) => a.target)).toEqual(['S', 'I1', 'T1', 'T2']);
  });
});
