/**
 * A realistic large handover, generated: the storm of issue 16 (2,000 incidents, 2,000 pinned tickets,
 * 500 rollouts) or, with the schema's maxima, the most a manifest may list. With `concise` prose (the
 * default) every incident has a title and a full status whose three parts are one short line each
 * (40–70 characters, varied), as an admin writes them in a storm, so that the storm fits the
 * contract's 1 MiB file cap with room to spare; with `shortest` prose every incident has no title and
 * three-word status parts, the fewest words the rules accept. Every third ticket waits on engineering
 * (an issue URL) and every third has an open impersonation session; every rollout has all its fields.
 * Deterministic: the same counts give the same text. Used by the limit tests in this folder and,
 * bundled, to measure `handover validate` on such a file (docs/design.md#input-limits).
 */

export interface LargeManifestSize {
  incidents: number;
  tickets: number;
  rollouts: number;
}

/** Issue 16's alert storm. */
export const STORM: LargeManifestSize = { incidents: 2000, tickets: 2000, rollouts: 500 };

/** `concise`: a title and one short line per status part; `shortest`: no title, three words a part. */
export type LargeManifestProse = 'concise' | 'shortest';

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-2', 'sa-east-1'];
const SYSTEMS = [
  'read replicas',
  'ingest workers',
  'edge cache',
  'billing ledger',
  'recording uploader',
  'camera gateway',
  'search indexer',
  'auth service',
];
/**
 * Concise status parts, 40–70 characters once filled in (a test measures them): what an admin writes in
 * a storm, where one line per part is all there is time for.
 */
const HYPOTHESES = [
  'Pool exhaustion on the {system} since the {hour}:10 deploy.',
  'Report job holds locks on the {system}; writes queue behind it.',
  'Disk pressure on two {system} nodes; compaction is behind.',
  'The {system} retries its upstream without backoff.',
];
const LAST_ACTIONS = [
  'Raised the {system} pool from 50 to 80 at {hour}:40 UTC.',
  'Drained node {n} of the {system} at {hour}:25 UTC.',
  'Paused the report job at {hour}:05 UTC; data team told.',
  'Rolled the {system} back at {hour}:50 UTC; errors 4% to 1.2%.',
];
const NEXT_ACTIONS = [
  'If p99 stays above 2 s past {hour}:30, fail over to the standby.',
  'Put node {n} back in rotation, one zone at a time.',
  'Resume the report job once it runs off the primary.',
  'Keep the rollback until the fix is verified in staging.',
];
const NEXT_STEPS = [
  'Ramp to {next}% tomorrow if errors stay under 0.5% for 4 h.',
  'Hold at {ramp}% until the {region} ledger report is clean.',
  'Resume to {next}% once the {system} incident is resolved.',
];
/** Prose of the fewest words the rules accept (three), as short as such a sentence gets. */
const SHORTEST_PROSE = 'See the runbook.';

function fill(template: string, i: number): string {
  return template
    .replaceAll('{system}', SYSTEMS[i % SYSTEMS.length] as string)
    .replaceAll('{region}', REGIONS[(i >> 3) % REGIONS.length] as string)
    .replaceAll('{hour}', String(10 + (i % 12)))
    .replaceAll('{n}', String(1 + (i % 9)))
    .replaceAll('{ramp}', String(5 + (i % 19) * 5))
    .replaceAll('{next}', String(Math.min(100, 10 + (i % 19) * 5)));
}

function pick(list: readonly string[], i: number): string {
  return list[i % list.length] as string;
}

/** A PagerDuty-like incident id: `Q`, then 13 upper-case letters and digits, unique per index. */
function incidentId(i: number): string {
  return `Q${i.toString(36).toUpperCase().padStart(6, '0')}PDSTORM`;
}

/** The manifest's YAML text, in block style as a person (or `yaml.stringify`) writes it. */
export function largeManifest(
  size: LargeManifestSize,
  prose: LargeManifestProse = 'concise',
  id = '2026-11-26-alice-to-bob',
  start = new Date('2026-11-26T16:00:00Z'),
): string {
  const concise = prose === 'concise';
  const text = (templates: readonly string[], at: number, i: number) =>
    concise ? fill(pick(templates, at), i) : SHORTEST_PROSE;
  const instant = (date: Date) => date.toISOString().replace('.000Z', 'Z');
  const lines = [
    'apiVersion: handover/v1',
    'kind: Handover',
    `id: ${id}`,
    'variant: mid-shift-outage',
    'reason: rotation',
    'outgoing: alice',
    'incoming: bob',
    'window:',
    `  start: ${instant(start)}`,
    `  end: ${instant(new Date(start.getTime() + 4 * 3_600_000))}`,
    'outage:',
    `  incident: ${incidentId(0)}`,
    '  lead: alice',
  ];
  if (size.incidents > 0) lines.push('incidents:');
  for (let i = 0; i < size.incidents; i++) {
    lines.push(`  - id: ${incidentId(i)}`);
    if (concise) lines.push(`    title: 5xx on the ${pick(SYSTEMS, i)} in ${pick(REGIONS, i >> 3)}`);
    lines.push(
      '    status:',
      `      hypothesis: ${text(HYPOTHESES, i >> 1, i)}`,
      `      lastAction: ${text(LAST_ACTIONS, i >> 2, i)}`,
      `      nextAction: ${text(NEXT_ACTIONS, i, i)}`,
    );
  }
  if (size.tickets > 0) lines.push('tickets:');
  for (let i = 0; i < size.tickets; i++) {
    lines.push(`  - id: SUP-${40000 + i}`);
    if (i % 3 === 0) lines.push('    disposition: waiting_on_customer');
    else if (i % 3 === 1)
      lines.push(
        '    disposition: waiting_on_engineering',
        `    engineeringIssue: https://github.com/novavms/platform/issues/${8000 + i}`,
      );
    else
      lines.push(
        '    disposition: active',
        `    impersonationSession: imp_01HZX${(i * 7919).toString(36).toUpperCase()}`,
      );
  }
  if (size.rollouts > 0) lines.push('rollouts:');
  for (let i = 0; i < size.rollouts; i++) {
    lines.push(
      `  - flag: ${pick(['billing', 'search', 'recording', 'auth', 'edge'], i)}-storm-flag-${i}`,
      `    state: ${i % 4 === 3 ? 'paused' : 'ramping'}`,
      `    rampPercent: ${5 + (i % 19) * 5}`,
      `    lastErrorRatePercent: ${((i % 50) / 100).toFixed(2)}`,
      `    nextStep: ${text(NEXT_STEPS, i, i)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
