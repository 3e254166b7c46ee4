import type { HandoverConfig } from '../../config/types.js';
import type { Handover } from '../../manifest/types.js';
import type { LiveState } from '../live-state.js';
import { nameForPagerDutyUser } from '../people.js';
import { resolveWindow } from '../window.js';

/** One bar of the timeline: who is primary when. */
export interface TimelineBar {
  lane: 'On call' | 'Existing overrides' | 'Handover';
  label: string;
  start: Date;
  end: Date;
  highlight: boolean;
}

/** How much schedule to show around the window, so a reviewer sees who hands over to whom. */
const CONTEXT_MS = 2 * 60 * 60 * 1000;

function clip(start: number, end: number, from: number, to: number): { start: Date; end: Date } | null {
  const s = Math.max(start, from);
  const e = Math.min(end, to);
  return e > s ? { start: new Date(s), end: new Date(e) } : null;
}

/** The override window against the schedule's current on-call entries and overrides. Pure. */
export function timelineBars(handover: Handover, config: HandoverConfig, live: LiveState): TimelineBar[] {
  const window = resolveWindow(handover, new Date(live.readAt));
  const from = window.start.getTime() - CONTEXT_MS;
  const to = window.end.getTime() + CONTEXT_MS;
  const bars: TimelineBar[] = [];
  for (const entry of live.onCalls) {
    const start = entry.start === null ? from : Date.parse(entry.start);
    const end = entry.end === null ? to : Date.parse(entry.end);
    const span = clip(start, end, from, to);
    if (span)
      bars.push({
        lane: 'On call',
        label: nameForPagerDutyUser(config, entry.userId),
        ...span,
        highlight: false,
      });
  }
  for (const override of live.overrides) {
    const span = clip(Date.parse(override.start), Date.parse(override.end), from, to);
    if (span)
      bars.push({
        lane: 'Existing overrides',
        label: nameForPagerDutyUser(config, override.userId),
        ...span,
        highlight: false,
      });
  }
  bars.push({
    lane: 'Handover',
    label: `${handover.incoming} primary`,
    start: window.start,
    end: window.end,
    highlight: true,
  });
  return bars;
}

/**
 * Mermaid has no escaping inside a gantt task line: `:` ends the name, `#`/`;` and keywords at the start
 * of a line change its meaning, and a backtick run or newline could end the Markdown fence. So labels
 * keep only letters, digits, spaces and `._-`, and every label starts with a fixed word.
 */
export function mermaidLabel(text: string): string {
  const safe = text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N} ._-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 60)
    .trim();
  return safe.length > 0 ? safe : 'unknown';
}

/** `YYYY-MM-DD HH:mm` in UTC, matching the diagram's dateFormat. */
function mermaidTime(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

const LANE_PREFIX: Record<TimelineBar['lane'], string> = {
  'On call': 'on call',
  'Existing overrides': 'override',
  Handover: 'handover',
};

/** A Mermaid `gantt` block (without the Markdown fence). Every line is one of a few fixed shapes. */
export function renderGantt(bars: TimelineBar[], title: string): string {
  const lines = [
    'gantt',
    `  title ${mermaidLabel(title)}`,
    '  dateFormat YYYY-MM-DD HH:mm',
    '  axisFormat %H:%M',
  ];
  const lanes: TimelineBar['lane'][] = ['On call', 'Existing overrides', 'Handover'];
  let id = 0;
  for (const lane of lanes) {
    const laneBars = bars.filter((bar) => bar.lane === lane);
    if (laneBars.length === 0) continue;
    lines.push(`  section ${lane}`);
    for (const bar of laneBars) {
      id += 1;
      const tags = bar.highlight ? 'crit, ' : '';
      lines.push(
        `  ${LANE_PREFIX[lane]} ${mermaidLabel(bar.label)} :${tags}t${id}, ${mermaidTime(bar.start)}, ${mermaidTime(bar.end)}`,
      );
    }
  }
  return lines.join('\n');
}
