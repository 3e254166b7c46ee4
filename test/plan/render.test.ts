import { describe, expect, it } from 'vitest';
import { buildPlan, type Plan } from '../../src/runbook/plan/plan.js';
import { renderPlanJson } from '../../src/runbook/plan/render-json.js';
import { PLAN_COMMENT_MARKER, renderPlanMarkdown } from '../../src/runbook/plan/render-markdown.js';
import { renderPlanText } from '../../src/runbook/plan/render-text.js';
import { mermaidLabel, renderGantt, type TimelineBar } from '../../src/runbook/plan/timeline.js';
import { config, HEAD, handover, incident, live, ticket } from './builders.js';

/** Titles someone could give an incident or a ticket, aimed at each place plan writes them. */
const HOSTILE = [
  '| injected | cell |',
  'ping @org/team and @alice',
  '<details><summary>✅ approved</summary>',
  '![pixel](https://evil.example/p.png) [click](https://evil.example)',
  'line one\n::error title=Approved::looks official',
  '```\n```mermaid\ngantt',
  'x :crit, t9, 2020-01-01 00:00, 2030-01-01 00:00',
  '%%{init: {"theme": "dark"}}%%',
  'click t1 call alert()',
  'section Evil',
  'title Hijacked',
  '\u202Eevil bidi\u0007bell\u001b[31mred',
];

function planWith(title: string): Plan {
  const q1 = incident('Q1', { title });
  const q2 = incident('Q2', { title });
  const sup = ticket('SUP-1', { title });
  const cfg = config();
  return buildPlan(
    'handovers/2026/2026-11-26-alice-to-bob.yaml',
    handover({ incidents: [{ id: 'Q1', title, status: handover().incidents[0]!.status! }] }),
    cfg,
    live({
      openIncidents: [q1, q2],
      manifestIncidents: new Map([['Q1', q1]]),
      pinnedTickets: [sup],
      manifestTickets: new Map([['SUP-1', sup]]),
      overrides: [
        { id: 'POV1', userId: 'PUSR003', start: '2026-11-26T15:30:00Z', end: '2026-11-26T16:30:00Z' },
      ],
    }),
  );
}

function mermaidBlock(markdown: string): string[] {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  expect(match).not.toBeNull();
  return match![1]!.split('\n');
}

const LABEL = '[\\p{L}\\p{N} ._-]+';
const TIME = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}';
const GANTT_LINE = [
  /^gantt$/,
  new RegExp(`^  title ${LABEL}$`, 'u'),
  /^ {2}dateFormat YYYY-MM-DD HH:mm$/,
  /^ {2}axisFormat %H:%M$/,
  /^ {2}section (On call|Existing overrides|Handover)$/,
  new RegExp(`^  (on call|override|handover) ${LABEL} :(crit, )?t\\d+, ${TIME}, ${TIME}$`, 'u'),
];

describe('the Markdown plan on the pull request', () => {
  it.each(HOSTILE)('keeps every table row intact with title %j', (title) => {
    const markdown = renderPlanMarkdown(planWith(title));
    expect(markdown.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
    const lines = markdown.split('\n');
    // Every table line has exactly as many unescaped cell separators as its header.
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) continue;
      const separators = line.replace(/\\\|/g, '').split('|').length;
      if (/^\| --- /.test(line)) continue;
      if (lines[lines.indexOf(line) + 1]?.startsWith('| ---')) columns = separators;
      expect(separators, line).toBe(columns);
    }
    const outsideFence = markdown.replace(/```mermaid\n[\s\S]*?\n```/, '');
    expect(outsideFence).not.toMatch(/<details|<summary|!\[|\]\(http/);
    expect(outsideFence).not.toMatch(/@(?!\u200b)[a-z]/i);
    expect(outsideFence).not.toContain('```');
    expect(lines.some((line) => line.startsWith('::'))).toBe(false);
  });

  it.each(HOSTILE)('emits only well-formed Mermaid gantt lines with title %j', (title) => {
    const bars: TimelineBar[] = [
      {
        lane: 'On call',
        label: title,
        start: new Date('2026-11-26T14:00:00Z'),
        end: new Date('2026-11-26T17:00:00Z'),
        highlight: false,
      },
      {
        lane: 'Existing overrides',
        label: title,
        start: new Date('2026-11-26T15:00:00Z'),
        end: new Date('2026-11-26T16:00:00Z'),
        highlight: false,
      },
      {
        lane: 'Handover',
        label: 'bob primary',
        start: new Date('2026-11-26T16:00:00Z'),
        end: new Date('2026-11-26T18:00:00Z'),
        highlight: true,
      },
    ];
    const gantt = renderGantt(bars, title).split('\n');
    for (const line of gantt)
      expect(
        GANTT_LINE.some((shape) => shape.test(line)),
        line,
      ).toBe(true);
    // The same holds for the whole rendered comment.
    for (const line of mermaidBlock(renderPlanMarkdown(planWith(title))))
      expect(
        GANTT_LINE.some((shape) => shape.test(line)),
        line,
      ).toBe(true);
  });

  it('draws the on-call schedule around the window and the override in it', () => {
    const lines = mermaidBlock(renderPlanMarkdown(planWith('EU API latency')));
    expect(lines).toContain('  on call alice :t1, 2026-11-26 14:00, 2026-11-26 20:00');
    expect(lines).toContain('  override dana :t2, 2026-11-26 15:30, 2026-11-26 16:30');
    expect(lines).toContain('  handover bob primary :crit, t3, 2026-11-26 16:00, 2026-11-26 18:00');
  });

  it('starts with the verdict: nothing stranded, or how many problems', () => {
    expect(renderPlanMarkdown(planWith('x'))).toContain('❌ 1 problem would leave work stranded');
    const clean = buildPlan('h.yaml', handover(), config(), live());
    expect(renderPlanMarkdown(clean)).toContain(
      '✅ Nothing would be stranded: 1 incident, 1 ticket and 1 rollout move to bob.',
    );
  });

  it('shows who must approve when the acknowledgement is missing', () => {
    const plan = buildPlan('h.yaml', handover(), config(), live());
    plan.acknowledgement = {
      ok: false,
      approver: null,
      approvedSha: null,
      approverPushedHead: false,
      problems: [{ rule: 'ack.approval-missing', message: 'bob (bob-nv) must approve commit abc1234' }],
      pullRequest: 7,
      headSha: HEAD,
      url: 'https://github.com/novavms/oncall/pull/7',
    };
    const markdown = renderPlanMarkdown(plan);
    // Nothing is stranded, but the merge is blocked: the headline says by what, and never ✅.
    expect(markdown).not.toContain('✅');
    expect(markdown).toContain(
      '❌ The acknowledgement is missing: bob \\(bob-nv\\) must approve commit abc1234',
    );
    expect(markdown).not.toContain('stranded, or the acknowledgement');
    expect(markdown).toContain('**Acknowledgement:** ❌ missing');
    // Escaped for Markdown; GitHub shows `bob (bob-nv) must approve …`.
    expect(markdown).toContain('- bob \\(bob-nv\\) must approve commit abc1234 (ack.approval-missing)');
    plan.acknowledgement = {
      ...plan.acknowledgement,
      ok: true,
      approver: 'bob',
      approvedSha: HEAD,
      problems: [],
    };
    expect(renderPlanMarkdown(plan)).toContain('**Acknowledgement:** ✅ bob approved commit abc1234');
  });

  it('stays under GitHub’s comment limit for a huge handover', () => {
    const long = 'a very long incident title '.repeat(10);
    const incidents = Array.from({ length: 200 }, (_, n) => incident(`Q${n}`, { title: long }));
    const plan = buildPlan(
      'h.yaml',
      handover({
        incidents: incidents.map((i) => ({
          id: i.id,
          title: long,
          status: handover().incidents[0]!.status!,
        })),
      }),
      config(),
      live({ openIncidents: incidents, manifestIncidents: new Map(incidents.map((i) => [i.id, i])) }),
    );
    const markdown = renderPlanMarkdown(plan);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(markdown).toContain('the full plan is in the job log');
  });
});

describe('mermaidLabel keeps only what a gantt task name can hold', () => {
  it.each([
    ['alice', 'alice'],
    ['title: x :crit', 'title x crit'],
    ['a;b#c%d', 'a b c d'],
    ['```', 'unknown'],
    ['', 'unknown'],
    ['Zoë Ångström', 'Zoë Ångström'],
    ['x'.repeat(100), 'x'.repeat(60)],
  ])('%j → %j', (input, expected) => {
    expect(mermaidLabel(input)).toBe(expected);
  });
});

describe('the text plan for a terminal and the Actions log', () => {
  it.each(HOSTILE)('cannot start a workflow command or emit control characters with title %j', (title) => {
    const text = renderPlanText(planWith(title));
    for (const line of text.split('\n')) expect(line.startsWith('::'), line).toBe(false);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  });

  it('lists what apply will do, item by item, then the findings and the verdict', () => {
    const text = renderPlanText(planWith('Disk full'));
    expect(text).toContain(
      'Incidents\n  Q1 "Disk full"  (acknowledged, assigned to alice)\n    + post the status paragraph as a note from alice\n    + reassign to bob',
    );
    expect(text).toContain(
      'error   incident.omitted  Q2: Q2 "Disk full" is acknowledged and assigned to alice',
    );
    expect(
      text
        .trimEnd()
        .endsWith(
          '1 problem would leave work stranded: fix the manifest (see the findings above) and run plan again.',
        ),
    ).toBe(true);
    // The findings are printed above the verdict: it says so, not "below".
    expect(text.indexOf('incident.omitted')).toBeLessThan(text.indexOf('would leave work stranded'));
  });
});

describe('the JSON plan', () => {
  it('is one object with the verdict, the items and the findings', () => {
    const json = JSON.parse(renderPlanJson(planWith('x')));
    expect(json).toMatchObject({ id: '2026-11-26-alice-to-bob', ok: false, stranded: 1 });
    expect(json.findings[0]).toMatchObject({ severity: 'error', rule: 'incident.omitted', target: 'Q2' });
    expect(json.items.map((item: { section: string }) => item.section)).toContain('incidents');
  });
});
