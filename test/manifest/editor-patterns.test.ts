/**
 * The schema states some checks of the CLI's own rules as patterns too (`x-reportedBy`), so that an editor
 * flags a TODO left in a status paragraph. The CLI must still report them through its rule, once, with
 * its own message: never as a second, schema-worded error, and never by skipping its rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import { ruleDoc } from '../../src/rules/registry.js';

const root = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/handover.schema.json'), 'utf8'));
const example = 'handovers/2026/2026-12-03-alice-to-bob.yaml';
const text = readFileSync(join(root, example), 'utf8');
const { config } = loadConfig(join(root, 'handover.config.yaml'));
const NOW = new Date('2026-12-01T00:00:00Z');

describe('patterns the CLI reports through its own rules', () => {
  const prose = schema.$defs.prose;

  it('name rules that exist', () => {
    expect(prose['x-reportedBy'].filter((id: string) => ruleDoc(id) === undefined)).toEqual([]);
  });

  it.each([
    ['TODO: what you believe is happening', false],
    ['We are waiting for the tbd vendor answer.', false],
    ['FIXME before handing over', false],
    ['Connection pool exhaustion on the read replicas.', true],
    ['Mastodon outage in the photo pipeline.', true],
  ])('the editor pattern on %j passes: %s', (value, passes) => {
    expect(new RegExp(prose.pattern, 'u').test(value)).toBe(passes);
  });

  it.each([
    ['hypothesis: Connection pool exhaustion on the eu-west read replicas.', 'status.placeholder'],
    ['nextStep: Ramp to 50% on 2026-12-04 if the error rate stays under 0.5%.', 'rollout.prose'],
  ])('a TODO in `%s` is reported as %s alone', (line, rule) => {
    const [key] = line.split(':');
    expect(text).toContain(line);
    const broken = text.replace(line, `${key}: "TODO: fill this in later today"`);
    const { diagnostics } = parseManifest(broken, example, { config: config ?? undefined, now: NOW });
    expect(diagnostics.map((d) => d.rule)).toEqual([rule]);
  });
});
