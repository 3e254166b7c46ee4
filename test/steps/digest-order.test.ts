import { describe, expect, it } from 'vitest';
import type { HandoverConfig } from '../../src/config/types.js';
import type { Handover } from '../../src/manifest/types.js';
import type { PdLogEntry, SlackMessage, TicketComment } from '../../src/providers/types.js';
import type { ApplyContext } from '../../src/runbook/runtime/context.js';
import { digestLines } from '../../src/runbook/steps/digest.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';

/**
 * The emergency digest orders what it reposts by instant. PagerDuty writes log entries in the account's
 * time zone, so around a daylight-saving change their strings (and those of entries another reader wrote
 * in UTC) sort in another order than the instants they name.
 */
const FALL_BACK = 'QFALLBACK0001';
const SPRING_FORWARD = 'QSPRINGFWD001';

const handover = {
  apiVersion: 'handover/v1',
  kind: 'Handover',
  id: '2026-11-01-alice-to-bob',
  variant: 'emergency',
  reason: 'rotation',
  outgoing: 'alice',
  incoming: 'bob',
  emergency: { cause: 'incapacitated' },
  window: { end: '2026-11-01T12:00:00Z' },
  incidents: [{ id: FALL_BACK }, { id: SPRING_FORWARD }],
  tickets: [{ id: 'SUP-1', disposition: 'active' }],
  rollouts: [],
} as unknown as Handover;

// Only what digestLines reads: the people, the manifest and the channel's name.
const ctx = {
  incoming: { ...SEED_ADMINS.bob },
  handover,
  config: {
    roster: { alice: { slack: SEED_ADMINS.alice.slack }, bob: { slack: SEED_ADMINS.bob.slack } },
    slack: { channelName: 'platform-oncall' },
  } as unknown as HandoverConfig,
} as unknown as ApplyContext;

const entry = (summary: string, createdAt: string): PdLogEntry => ({
  id: summary,
  type: 'annotate_log_entry',
  summary,
  createdAt,
  agentId: null,
});

/** Written newest first, as PagerDuty lists them, and with the offsets its answers carry. */
const logs = new Map<string, PdLogEntry[]>([
  [
    FALL_BACK,
    [
      // 2026-11-01: at 06:00Z New York goes from 02:00 EDT back to 01:00 EST.
      entry('fourth', '2026-11-01T01:40:00-05:00'), // 06:40Z
      entry('third', '2026-11-01T01:10:00-05:00'), // 06:10Z
      entry('second', '2026-11-01T06:05:00Z'), // 06:05Z, rendered in UTC
      entry('first', '2026-11-01T01:50:00-04:00'), // 05:50Z
    ],
  ],
  [
    SPRING_FORWARD,
    [
      // 2026-03-08: at 07:00Z New York goes from 02:00 EST to 03:00 EDT.
      entry('after the change', '2026-03-08T03:05:00-04:00'), // 07:05Z
      entry('in UTC', '2026-03-08T06:58:00Z'), // 06:58Z
      entry('before the change', '2026-03-08T01:55:00-05:00'), // 06:55Z
    ],
  ],
]);

const comments = new Map<string, TicketComment[]>([
  [
    'SUP-1',
    [
      // Same second, finer precision: `.500Z` sorts before `Z` as text although it is later.
      { id: 'c2', author: 'dana', body: 'later', createdAt: '2026-11-01T06:00:00.500Z' },
      { id: 'c1', author: 'dana', body: 'earlier', createdAt: '2026-11-01T06:00:00Z' },
    ],
  ],
]);

const message = (text: string, ts: string): SlackMessage => ({
  ts,
  text,
  user: SEED_ADMINS.alice.slack,
  threadTs: null,
  metadata: null,
  reactions: [],
});
// Slack timestamps are seconds as text: '999999999.…' sorts after '1000000000.…' as a string.
const channel = [message('newer', '1000000000.000200'), message('older', '999999999.000100')];

function order(lines: string[], words: string[]): string[] {
  return lines.flatMap((line) =>
    words.filter((word) => line.endsWith(`· ${word}`) || line.endsWith(`: ${word}`)),
  );
}

describe('the emergency digest orders by instant, not by text', () => {
  const lines = digestLines(ctx, { logs, comments, channel });

  it('orders log entries across the US fall-back change, mixed with UTC times', () => {
    expect(order(lines, ['first', 'second', 'third', 'fourth'])).toEqual([
      'first',
      'second',
      'third',
      'fourth',
    ]);
    // Each shown in UTC, so the repost reads in one zone.
    expect(lines).toContain('• 2026-11-01 05:50 UTC · annotate_log_entry · first');
    expect(lines).toContain('• 2026-11-01 06:10 UTC · annotate_log_entry · third');
  });

  it('orders log entries across the US spring-forward change', () => {
    expect(order(lines, ['before the change', 'in UTC', 'after the change'])).toEqual([
      'before the change',
      'in UTC',
      'after the change',
    ]);
  });

  it('orders ticket comments and channel messages as instants', () => {
    expect(order(lines, ['earlier', 'later'])).toEqual(['earlier', 'later']);
    expect(order(lines, ['older', 'newer'])).toEqual(['older', 'newer']);
  });
});
