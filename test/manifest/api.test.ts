import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findManifests,
  loadManifestFile,
  ManifestUnreadableError,
  parseManifest,
} from '../../src/manifest/index.js';
import { BASE, FILE, loadTestConfig, withLines, withoutLines } from './fixtures.js';

const config = loadTestConfig();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'handover-manifest-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(relativePath: string, content: string | Buffer): string {
  const path = join(dir, relativePath);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('parseManifest', () => {
  it('gives the typed handover, with absent lists as empty lists', () => {
    const text = withoutLines(11, 32);
    const { handover, diagnostics } = parseManifest(text, FILE, { config });
    expect(diagnostics).toEqual([]);
    expect(handover).toEqual({
      apiVersion: 'handover/v1',
      kind: 'Handover',
      id: '2026-11-26-alice-to-bob',
      variant: 'planned',
      reason: 'rotation',
      outgoing: 'alice',
      incoming: 'bob',
      window: { start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z' },
      incidents: [],
      tickets: [],
      rollouts: [],
    });
  });

  it('keeps every field of the base manifest and nothing else', () => {
    const { handover } = parseManifest(BASE, FILE, { config });
    expect(handover?.incidents).toEqual([
      {
        id: 'Q1ABCDEF12345',
        title: 'EU API p99 latency above 2s',
        status: {
          hypothesis: 'Connection pool exhaustion on the eu-west read replicas.',
          lastAction: 'Raised pool size from 50 to 80 on replica 2 at 15:40 UTC.',
          nextAction: 'Watch p99 for 30 minutes; if still high, fail over to replica 3.',
        },
      },
    ]);
    expect(handover?.tickets[1]).toEqual({
      id: 'SUP-4420',
      disposition: 'waiting_on_engineering',
      engineeringIssue: 'https://github.com/novavms/platform/issues/812',
    });
    expect(handover?.rollouts[0]).toEqual({
      flag: 'billing-v2-ledger',
      state: 'ramping',
      rampPercent: 25,
      lastErrorRatePercent: 0.42,
      nextStep: 'Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%.',
    });
  });

  it('accepts an emergency that starts now and carries no status paragraphs', () => {
    const text = withLines({ 4: 'variant: emergency\nemergency: { cause: compromised }', 9: '' }).replace(
      / {4}status:\n(.*\n){3}/,
      '',
    );
    const { handover, diagnostics } = parseManifest(text, FILE, { config });
    expect(diagnostics).toEqual([]);
    expect(handover?.window).toEqual({ end: '2026-11-26T18:00:00Z' });
    expect(handover?.emergency).toEqual({ cause: 'compromised' });
    expect(handover?.incidents[0]?.status).toBeUndefined();
  });

  it('keeps the handover when there are only warnings', () => {
    const { handover, diagnostics } = parseManifest(BASE, FILE, {
      config,
      now: new Date('2030-01-01T00:00:00Z'),
    });
    expect(diagnostics.map((d) => [d.severity, d.rule])).toEqual([['warning', 'window.past']]);
    expect(handover).not.toBeNull();
  });

  it('never warns about the clock without one', () => {
    expect(parseManifest(BASE, FILE, { config }).diagnostics).toEqual([]);
  });

  it('checks roster handles only when given the config', () => {
    const text = withLines({ 7: 'incoming: zed' });
    expect(parseManifest(text, FILE).diagnostics).toEqual([]);
    expect(parseManifest(text, FILE, { config }).diagnostics.map((d) => d.rule)).toEqual([
      'roster.unknown-handle',
    ]);
  });

  it('looks up roster handles as own keys only', () => {
    const text = withLines({ 7: 'incoming: constructor' });
    expect(parseManifest(text, FILE, { config }).diagnostics.map((d) => d.rule)).toEqual([
      'roster.unknown-handle',
    ]);
  });

  it('reports in order of position', () => {
    const text = withLines({ 7: 'incoming: alice', 4: 'variant: plannned', 20: '    disposition: TODO' });
    const positions = parseManifest(text, FILE, { config }).diagnostics.map((d) => [d.line, d.column]);
    expect(positions).toEqual(
      [...positions].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0)),
    );
    expect(positions).toHaveLength(3);
  });
});

describe('loadManifestFile', () => {
  it('names the file as told, and hashes its exact bytes', () => {
    const path = write('handovers/2026/2026-11-26-alice-to-bob.yaml', BASE.replace(/\n/g, '\r\n'));
    const loaded = loadManifestFile(path, {
      config,
      displayPath: 'handovers/2026/2026-11-26-alice-to-bob.yaml',
    });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.text).toBe(BASE.replace(/\n/g, '\r\n'));
    expect(loaded.sha256).toBe(createHash('sha256').update(BASE.replace(/\n/g, '\r\n')).digest('hex'));
    const bad = write('handovers/2026/other.yaml', BASE);
    expect(loadManifestFile(bad, { displayPath: 'shown/as.yaml' }).diagnostics[0]?.file).toBe(
      'shown/as.yaml',
    );
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.yaml'), 'no such file'],
    ['a directory', () => dir, 'is a directory'],
  ])('throws ManifestUnreadableError for %s', (_name, path, reason) => {
    expect(() => loadManifestFile(path(), { displayPath: 'handovers/x.yaml' })).toThrow(
      ManifestUnreadableError,
    );
    expect(() => loadManifestFile(path(), { displayPath: 'handovers/x.yaml' })).toThrow(
      `cannot read handovers/x.yaml: ${reason}`,
    );
  });

  it('refuses a 5 MB file without reading it into memory', () => {
    const path = write('big.yaml', Buffer.alloc(5 * 1024 * 1024, 0x61));
    const started = performance.now();
    const loaded = loadManifestFile(path);
    // Reading 5 MB into the parser would take far longer than this hang bound on any machine.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(loaded.handover).toBeNull();
    expect(loaded.text).toBe('');
    expect(loaded.diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['yaml.too-large', 1, 1]]);
  });

  it('refuses a file that is not UTF-8, at the first bad byte', () => {
    const latin1 = Buffer.concat([
      Buffer.from('apiVersion: handover/v1\nkind: Handover\ntitle: Z'),
      Buffer.from([0xfc]),
      Buffer.from('rich\n'),
    ]);
    const loaded = loadManifestFile(write('latin1.yaml', latin1));
    expect(loaded.handover).toBeNull();
    expect(loaded.diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['text.encoding', 3, 9]]);
  });
});

describe('findManifests', () => {
  let repo: string;
  beforeAll(() => {
    repo = join(dir, 'repo');
    for (const file of [
      'handovers/2026/b.yaml',
      'handovers/2026/a.yml',
      'handovers/2025/z.yaml',
      'handovers/c.yaml',
    ]) {
      mkdirSync(join(repo, file, '..'), { recursive: true });
      writeFileSync(join(repo, file), BASE);
    }
    writeFileSync(join(repo, 'handovers/README.md'), '# handovers');
    writeFileSync(join(repo, 'handover.config.yaml'), '');
    mkdirSync(join(repo, 'elsewhere'));
    writeFileSync(join(repo, 'elsewhere/outside.yaml'), BASE);
    symlinkSync(join(repo, 'elsewhere'), join(repo, 'handovers/linked'));
  });

  // The symbolic link is listed, not followed (outside.yaml is never read) and not skipped: reading it is
  // refused, so validate, plan and apply all fail on it instead of passing it over in silence.
  const expected = () =>
    [
      'handovers/2025/z.yaml',
      'handovers/2026/a.yml',
      'handovers/2026/b.yaml',
      'handovers/c.yaml',
      'handovers/linked',
    ].map((f) => join(repo, f));

  it('lists every manifest under handovers/ of a repository, sorted, sub-folders included, links not followed', () => {
    expect(findManifests(repo)).toEqual(expected());
  });

  it('accepts the handovers folder itself', () => {
    expect(findManifests(join(repo, 'handovers'))).toEqual(expected());
  });

  it('finds nothing where there is no handovers folder, never the other YAML files', () => {
    expect(findManifests(join(repo, 'elsewhere'))).toEqual([]);
  });
});
