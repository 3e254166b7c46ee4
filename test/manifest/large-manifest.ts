/**
 * A realistic large handover, generated: the storm of issue 16 (2,000 incidents, 2,000 pinned tickets,
 * 500 rollouts) or, with the schema's maxima, the largest a manifest may list. Every incident has a
 * title and a full status whose three parts read like what an admin writes during an outage (about
 * 100–160 characters each, varied, none repeated verbatim); every third ticket waits on engineering
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
const HYPOTHESES = [
  'Connection pool exhaustion on the {system} in {region} since the {hour}:10 deploy; p99 tracks the pool wait time closely.',
  'A slow query from the nightly report job holds locks on the {system} in {region}, so writes queue behind it.',
  'Disk pressure on two nodes of the {system} in {region}; compaction fell behind after the {hour}:00 traffic spike.',
  'The {system} in {region} retries a failing upstream without backoff, which amplifies the error rate about fourfold.',
];
const LAST_ACTIONS = [
  'Raised the pool size from 50 to 80 on the {system} in {region} at {hour}:40 UTC and restarted one instance to pick it up.',
  'Drained node {n} of the {system} in {region} at {hour}:25 UTC; traffic moved to the remaining nodes without errors.',
  'Paused the report job at {hour}:05 UTC and opened a ticket with the data team to move it off the primary.',
  'Rolled the {system} in {region} back to the previous release at {hour}:50 UTC; error rate fell from 4% to 1.2%.',
];
const NEXT_ACTIONS = [
  'Watch p99 for 30 minutes; if it stays above 2 s, fail over the {system} in {region} to the standby and page the database owner.',
  'Check the error budget at the top of the hour; if node {n} is healthy, put it back in rotation one zone at a time.',
  'Confirm with the data team that the report job moved, then resume it and watch lock waits on the {system} for one run.',
  'Keep the rollback in place until the fix in the next release is verified in staging, then roll forward in {region} first.',
];
const NEXT_STEPS = [
  'Ramp to {next}% on the next business day if the error rate stays under 0.5% for four hours.',
  'Hold at {ramp}% until the ledger reconciliation report for {region} comes back clean, then ramp to {next}%.',
  'Resume the ramp to {next}% after the incident on the {system} is resolved and the error rate is back to baseline.',
];

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
  id = '2026-11-26-alice-to-bob',
  start = new Date('2026-11-26T16:00:00Z'),
): string {
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
    lines.push(
      `  - id: ${incidentId(i)}`,
      `    title: Elevated 5xx on the ${pick(SYSTEMS, i)} in ${pick(REGIONS, i >> 3)} (storm ${i + 1})`,
      '    status:',
      `      hypothesis: ${fill(pick(HYPOTHESES, i >> 1), i)}`,
      `      lastAction: ${fill(pick(LAST_ACTIONS, i >> 2), i)}`,
      `      nextAction: ${fill(pick(NEXT_ACTIONS, i), i)}`,
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
      `    nextStep: ${fill(pick(NEXT_STEPS, i), i)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
