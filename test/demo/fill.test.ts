import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { fillPlaceholders, isPlaceholder } from '../../src/demo/fill.js';
import { nextStepForRollout, statusForTitle } from '../../src/demo/story.js';
import { parseManifest } from '../../src/manifest/index.js';
import { sandboxConfigYaml } from '../../src/sandbox/index.js';

/** A draft as `handover init` writes it: comments, quoted TODO placeholders, everything else filled in. */
const DRAFT = `# yaml-language-server: $schema=../../schemas/handover.schema.json
# Written by handover init from live state. Replace every TODO.

apiVersion: handover/v1
kind: Handover
id: 2026-11-26-alice-to-bob
variant: planned
reason: rotation
outgoing: alice
incoming: bob
window:
  start: 2026-11-26T16:00:00Z
  end: 2026-11-26T18:00:00Z
incidents:
  # https://novavms.pagerduty.com/incidents/Q1ABCDEF12345 (acknowledged)
  - id: Q1ABCDEF12345
    title: EU API p99 latency above 2s
    status:
      hypothesis: "TODO: what you believe is happening"
      lastAction: "TODO: the last action you took, and when"
      nextAction: "TODO: what the incoming admin should do next"
  - id: Q2GHJKLM67890
    status:
      hypothesis: "TODO: what you believe is happening"
      lastAction: Paused the nightly jobs at 15:10 UTC.
      nextAction: "TODO: what the incoming admin should do next"
tickets:
  # Snapshot export fails (pending)
  - id: SUP-4411
    disposition: "TODO: waiting_on_customer, waiting_on_engineering or active"
  - id: SUP-4420
    disposition: waiting_on_engineering
    engineeringIssue: "TODO: the engineering issue (a URL or owner/repo#N)"
rollouts:
  # annotation owner alice
  - flag: billing-v2-ledger
    state: ramping
    rampPercent: 25
    lastErrorRatePercent: 0.42
    nextStep: "TODO: the next planned ramp step, and its condition"
  - flag: eu-west-read-replica-routing
    state: paused
    rampPercent: 10
    lastErrorRatePercent: 1.8
    nextStep: "TODO: the next planned ramp step, and its condition"
`;

const FILE = 'handovers/2026/2026-11-26-alice-to-bob.yaml';
const CONFIG = parseConfig(
  sandboxConfigYaml('http://127.0.0.1:1/platform/api/v1'),
  'handover.config.yaml',
).config;

describe("filling in init's placeholders as alice would", () => {
  it('replaces every placeholder and nothing else', () => {
    const { text, filled } = fillPlaceholders(DRAFT);
    expect(filled).toEqual([
      'incidents[0].status.hypothesis',
      'incidents[0].status.lastAction',
      'incidents[0].status.nextAction',
      'incidents[1].status.hypothesis',
      'incidents[1].status.nextAction',
      'tickets[0].disposition',
      'tickets[1].engineeringIssue',
      'rollouts[0].nextStep',
      'rollouts[1].nextStep',
    ]);
    expect(text).not.toMatch(/TODO:/);
    expect(text).toContain('lastAction: Paused the nightly jobs at 15:10 UTC.');
    expect(text).toContain('disposition: waiting_on_customer');
    expect(text).toContain('engineeringIssue: https://github.com/novavms/platform/issues/812');
  });

  it("keeps init's comments and writes the answers unquoted", () => {
    const { text } = fillPlaceholders(DRAFT);
    for (const comment of [
      '# yaml-language-server: $schema=../../schemas/handover.schema.json',
      '  # https://novavms.pagerduty.com/incidents/Q1ABCDEF12345 (acknowledged)',
      '  # Snapshot export fails (pending)',
      '  # annotation owner alice',
    ])
      expect(text).toContain(comment);
    expect(text).toContain('      hypothesis: Connection pool exhaustion on the eu-west read replicas.\n');
  });

  it('produces a manifest that validate accepts', () => {
    const result = parseManifest(fillPlaceholders(DRAFT).text, FILE, {
      config: CONFIG ?? undefined,
      now: new Date('2026-11-26T15:00:00Z'),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover?.rollouts[0]?.nextStep).toBe(
      'Ramp to 50% tomorrow at 10:00 UTC if the error rate stays under 0.5%.',
    );
  });

  it('returns a draft without placeholders exactly as it was', () => {
    const once = fillPlaceholders(DRAFT).text;
    expect(fillPlaceholders(once)).toEqual({ text: once, filled: [] });
  });

  it.each([
    ['TODO: what you believe is happening', true],
    ['Still TODO', true],
    ['Watch p99 for 30 minutes.', false],
    ['TODOS are done', false],
    [42, false],
  ])('%j is a placeholder: %s', (value, expected) => {
    expect(isPlaceholder(value)).toBe(expected);
  });
});

describe('what alice writes', () => {
  it.each([
    ['EU API p99 latency above 2s', /pool/],
    ['Disk usage above 90% on build-runner-07', /pruned/],
    ['TLS certificate for admin.novavms.example expires in 6 days', /renewal/],
    ['Elevated 5xx rate on session-service in ap-southeast-2', /deploy/],
    ['Something nobody has seen before', /No confirmed cause/],
    [undefined, /No confirmed cause/],
  ])('the status for %j is about its topic', (title, hypothesis) => {
    const status = statusForTitle(title);
    expect(status.hypothesis).toMatch(hypothesis);
    for (const part of Object.values(status)) expect(part.split(' ').length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [{ state: 'ramping', rampPercent: 25, lastErrorRatePercent: 0.42 }, 'Ramp to 50% tomorrow'],
    [{ state: 'ramping', rampPercent: 5, lastErrorRatePercent: 0.1 }, 'Ramp to 10% tomorrow'],
    [{ state: 'ramping', rampPercent: 80, lastErrorRatePercent: 0.1 }, 'Ramp to 100% tomorrow'],
    [{ state: 'ramping', rampPercent: 100, lastErrorRatePercent: 0.1 }, 'Hold at 100%'],
    [
      { state: 'paused', rampPercent: 10, lastErrorRatePercent: 1.8 },
      'Stay paused at 10% until the error rate (1.8% now)',
    ],
  ])('the next step of %j starts %j', (rollout, start) => {
    expect(nextStepForRollout(rollout)).toMatch(new RegExp(`^${start.replace(/[()%.]/g, '\\$&')}`));
  });
});
