import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { CORPUS } from './corpus.js';
import { BASE, FILE, loadTestConfig } from './fixtures.js';

const config = loadTestConfig();

describe('the base manifest of the corpus', () => {
  it('is valid, so each case differs from a valid manifest in one way', () => {
    const result = parseManifest(BASE, FILE, { config });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover?.id).toBe('2026-11-26-alice-to-bob');
  });
});

describe('bad manifests are reported with a rule id at the offending line', () => {
  it('has at least 60 cases', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CORPUS)('$name → $rule at line $line', (c) => {
    const started = performance.now();
    const result = parseManifest(c.text, c.file ?? FILE, { config, now: c.now });
    const elapsed = performance.now() - started;

    const found = result.diagnostics.filter((d) => d.rule === c.rule && d.line === c.line);
    const where = result.diagnostics.map(
      (d) => `${d.line}:${d.column} ${d.severity} ${d.rule}: ${d.message}`,
    );
    expect(found, `diagnostics were:\n${where.join('\n')}`).not.toHaveLength(0);
    const match = c.column === undefined ? found[0] : found.find((d) => d.column === c.column);
    expect(
      match,
      `no ${c.rule} at ${c.line}:${c.column}; diagnostics were:\n${where.join('\n')}`,
    ).toBeDefined();
    expect(match?.severity).toBe(c.severity ?? 'error');
    expect(match?.file).toBe(c.file ?? FILE);
    if (c.says) expect(match?.message).toContain(c.says);

    // A warning alone keeps the handover; any error withholds it.
    if ((c.severity ?? 'error') === 'error') expect(result.handover).toBeNull();
    else expect(result.handover).not.toBeNull();
    // A hang detector, not a speed target (that lives in bench/validate.mjs): generous for a loaded machine.
    expect(elapsed).toBeLessThan(10_000);
  });
});
