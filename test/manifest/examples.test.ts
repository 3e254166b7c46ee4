import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/index.js';
import { findManifests, loadManifestFile, parseManifest } from '../../src/manifest/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';

const root = join(import.meta.dirname, '../..');
/** Before every example's window: no "window already over" warning. */
const NOW = new Date('2026-11-27T00:00:00Z');

describe('the repository config, handover.config.yaml', () => {
  const { config, diagnostics } = loadConfig(join(root, 'handover.config.yaml'));

  it('is valid', () => {
    expect(diagnostics).toEqual([]);
  });

  it('matches the sandbox seed world', () => {
    expect(config?.pagerduty).toEqual({
      serviceId: SEED_IDS.pagerdutyServiceId,
      scheduleId: SEED_IDS.pagerdutyScheduleId,
    });
    expect(config?.slack).toEqual({ channel: SEED_IDS.slackChannel, channelName: SEED_IDS.slackChannelName });
    expect(config?.platform.url).toBe('https://admin.novavms.example/api/v1');
    for (const admin of Object.values(SEED_ADMINS)) {
      const { handle, name: _name, ...identities } = admin;
      expect(config?.roster[handle]).toEqual(identities);
    }
  });
});

describe('the example manifests in handovers/', () => {
  const { config } = loadConfig(join(root, 'handover.config.yaml'));
  const files = findManifests(root);
  const loaded = files.map((file) => ({
    file: relative(root, file),
    ...loadManifestFile(file, { config: config ?? undefined, displayPath: relative(root, file), now: NOW }),
  }));

  it.each(loaded)('$file is valid', ({ diagnostics, handover }) => {
    expect(diagnostics).toEqual([]);
    expect(handover).not.toBeNull();
  });

  it.each(loaded)('$file points editors at the schema', ({ file, text }) => {
    const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    expect(match).not.toBeNull();
    expect(resolve(dirname(join(root, file)), match?.[1] ?? '')).toBe(
      join(root, 'schemas/handover.schema.json'),
    );
  });

  it('show every variant and a departure', () => {
    const handovers = loaded.map((l) => l.handover);
    expect(new Set(handovers.map((h) => h?.variant))).toEqual(
      new Set(['planned', 'weekly-rotation', 'emergency', 'mid-shift-outage']),
    );
    expect(handovers.some((h) => h?.reason === 'departure')).toBe(true);
  });

  it('use the sandbox’s admins, service, schedule and channel through the config', () => {
    for (const { handover } of loaded) {
      expect(Object.keys(SEED_ADMINS)).toContain(handover?.outgoing);
      expect(Object.keys(SEED_ADMINS)).toContain(handover?.incoming);
    }
  });
});

// The contract's own example manifest against its own example config, read from docs/design.md so that
// the test follows the contract as written there.
describe('the examples of docs/design.md', () => {
  const spec = readFileSync(join(root, 'docs', 'design.md'), 'utf8');
  const blocks = Array.from(spec.matchAll(/```yaml\n([\s\S]*?)```/g), (m) => m[1] ?? '');
  const manifest = blocks.find((b) => b.includes('kind: Handover')) ?? '';
  const configText = blocks.find((b) => b.includes('roster:')) ?? '';

  it('the example manifest, with its yaml-language-server line, is valid against the example config', () => {
    const { config, diagnostics: configDiagnostics } = parseConfig(configText, 'handover.config.yaml');
    expect(configDiagnostics).toEqual([]);
    expect(manifest).toContain('# yaml-language-server: $schema=../schemas/handover.schema.json');
    const result = parseManifest(manifest, 'handovers/2026-11-26-alice-to-bob.yaml', {
      config: config ?? undefined,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover).toMatchObject({
      id: '2026-11-26-alice-to-bob',
      variant: 'planned',
      outgoing: 'alice',
      incoming: 'bob',
      window: { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z' },
    });
    expect(result.handover?.tickets.map((t) => t.disposition)).toEqual([
      'waiting_on_customer',
      'waiting_on_engineering',
      'active',
    ]);
  });
});
