import { parseConfig } from '../../src/config/index.js';
import type { HandoverConfig } from '../../src/config/types.js';

/** The file name every corpus case is validated under: `id` must match it. */
export const FILE = 'handovers/2026/2026-11-26-alice-to-bob.yaml';

/**
 * A valid planned handover. Corpus cases are edits of it, so that each case differs from a valid
 * manifest in exactly one way. Line numbers are fixed: tests refer to them.
 */
export const BASE_LINES = [
  /*  1 */ 'apiVersion: handover/v1',
  /*  2 */ 'kind: Handover',
  /*  3 */ 'id: 2026-11-26-alice-to-bob',
  /*  4 */ 'variant: planned',
  /*  5 */ 'reason: rotation',
  /*  6 */ 'outgoing: alice',
  /*  7 */ 'incoming: bob',
  /*  8 */ 'window:',
  /*  9 */ '  start: 2026-11-26T16:00:00Z',
  /* 10 */ '  end: 2026-11-26T18:00:00Z',
  /* 11 */ 'incidents:',
  /* 12 */ '  - id: Q1ABCDEF12345',
  /* 13 */ '    title: EU API p99 latency above 2s',
  /* 14 */ '    status:',
  /* 15 */ '      hypothesis: Connection pool exhaustion on the eu-west read replicas.',
  /* 16 */ '      lastAction: Raised pool size from 50 to 80 on replica 2 at 15:40 UTC.',
  /* 17 */ '      nextAction: Watch p99 for 30 minutes; if still high, fail over to replica 3.',
  /* 18 */ 'tickets:',
  /* 19 */ '  - id: SUP-4411',
  /* 20 */ '    disposition: waiting_on_customer',
  /* 21 */ '  - id: SUP-4420',
  /* 22 */ '    disposition: waiting_on_engineering',
  /* 23 */ '    engineeringIssue: https://github.com/novavms/platform/issues/812',
  /* 24 */ '  - id: SUP-4432',
  /* 25 */ '    disposition: active',
  /* 26 */ '    impersonationSession: imp_01HZX3',
  /* 27 */ 'rollouts:',
  /* 28 */ '  - flag: billing-v2-ledger',
  /* 29 */ '    state: ramping',
  /* 30 */ '    rampPercent: 25',
  /* 31 */ '    lastErrorRatePercent: 0.42',
  /* 32 */ '    nextStep: Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%.',
] as const;

export const BASE = `${BASE_LINES.join('\n')}\n`;

/** The base manifest with 1-based line `line` replaced by `text` (which may span several lines). */
export function withLine(line: number, text: string): string {
  const lines: string[] = [...BASE_LINES];
  lines[line - 1] = text;
  return `${lines.join('\n')}\n`;
}

/** The base manifest with several lines replaced at once: `{ 4: 'variant: emergency', … }`. */
export function withLines(replacements: Record<number, string>): string {
  const lines: string[] = [...BASE_LINES];
  for (const [line, text] of Object.entries(replacements)) lines[Number(line) - 1] = text;
  return `${lines.join('\n')}\n`;
}

/** The base manifest with `text` inserted after line `line` (0 inserts at the top). */
export function withInsertedAfter(line: number, text: string): string {
  const lines: string[] = [...BASE_LINES];
  lines.splice(line, 0, text);
  return `${lines.join('\n')}\n`;
}

/** The base manifest without lines `from`..`to` (inclusive). */
export function withoutLines(from: number, to: number = from): string {
  const lines: string[] = [...BASE_LINES];
  lines.splice(from - 1, to - from + 1);
  return `${lines.join('\n')}\n`;
}

/** The config example of docs/design.md#the-config, plus dana from the sandbox's seed world. */
export const CONFIG_TEXT = `pagerduty:
  serviceId: PSVC001
  scheduleId: PSCH001
slack:
  channel: C0PLATOPS
  channelName: novavms-platform-ops
platform:
  url: https://admin.novavms.example/api/v1
roster:
  alice: { github: alice-nv, pagerduty: PUSR001, slack: U0ALICE, email: alice@novavms.example, tracker: alice }
  bob:   { github: bob-nv,   pagerduty: PUSR002, slack: U0BOB,   email: bob@novavms.example,   tracker: bob }
  dana:  { github: dana-nv,  pagerduty: PUSR003, slack: U0DANA,  email: dana@novavms.example,  tracker: dana }
`;

export function loadTestConfig(): HandoverConfig {
  const { config, diagnostics } = parseConfig(CONFIG_TEXT, 'handover.config.yaml');
  if (!config) throw new Error(`test config is invalid: ${JSON.stringify(diagnostics)}`);
  return config;
}
