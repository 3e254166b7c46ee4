import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lexer, parse, stringify } from 'yaml';
import { parseConfig } from '../../src/config/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import {
  MAX_DOCUMENT_BYTES,
  MAX_MAPPING_ENTRIES,
  MAX_SEQUENCE_ENTRIES,
  MAX_YAML_TOKENS,
  SCHEMA_MAX_ITEMS,
} from '../../src/manifest/yaml/limits.js';
import { ruleDoc } from '../../src/rules/registry.js';
import { BASE, FILE, loadTestConfig } from './fixtures.js';
import { largeManifest, STORM } from './large-manifest.js';

const config = loadTestConfig();
/** Before the generated manifests' window (2026-11-26T16:00Z), so that no warning about the past. */
const now = new Date('2026-11-26T12:00:00Z');
const SCHEMA_MAX = { ...SCHEMA_MAX_ITEMS };

function lexemes(text: string): number {
  let count = 0;
  for (const _ of new Lexer().lex(text)) count++;
  return count;
}

function rules(text: string): string[] {
  return parseManifest(text, FILE, { config, now }).diagnostics.map((d) => d.rule);
}

describe('the limits admit the largest handovers the schema allows', () => {
  it('SCHEMA_MAX_ITEMS is what schemas/handover.schema.json says', () => {
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../schemas/handover.schema.json'), 'utf8'),
    ) as { properties: Record<string, { maxItems?: number }> };
    expect({
      incidents: schema.properties.incidents?.maxItems,
      tickets: schema.properties.tickets?.maxItems,
      rollouts: schema.properties.rollouts?.maxItems,
    }).toEqual(SCHEMA_MAX);
    // The sequence limit sits above every list the schema allows, so the schema's finding comes first.
    expect(MAX_SEQUENCE_ENTRIES).toBeGreaterThan(Math.max(...Object.values(SCHEMA_MAX)));
  });

  it('a 2,000-incident, 2,000-ticket, 500-rollout storm with one-line status parts validates with zero diagnostics, well under 1 MiB', () => {
    const text = largeManifest(STORM);
    const { handover, diagnostics } = parseManifest(text, FILE, { config, now });
    expect(diagnostics).toEqual([]);
    expect(handover?.incidents).toHaveLength(2000);
    expect(handover?.tickets).toHaveLength(2000);
    expect(handover?.rollouts).toHaveLength(500);
    // Every incident carries a title and its full status, each part a concise line of 40–70
    // characters; tickets carry what their disposition needs.
    const prose = [
      ...(handover?.incidents ?? []).flatMap((incident) => {
        const status = incident.status;
        return status ? [status.hypothesis, status.lastAction, status.nextAction] : [''];
      }),
      ...(handover?.rollouts ?? []).map((rollout) => rollout.nextStep),
    ];
    expect(prose).toHaveLength(3 * 2000 + 500);
    expect(Math.min(...prose.map((part) => part.length))).toBeGreaterThanOrEqual(40);
    expect(Math.max(...prose.map((part) => part.length))).toBeLessThanOrEqual(70);
    expect(handover?.incidents.every((incident) => (incident.title?.length ?? 0) > 20)).toBe(true);
    expect(handover?.tickets.filter((ticket) => ticket.engineeringIssue).length).toBe(667);
    expect(handover?.tickets.filter((ticket) => ticket.impersonationSession).length).toBe(666);
    // 0.89 MB: at least a tenth of the contract's 1 MiB is left (e.g. for longer notes on some incidents).
    expect(Buffer.byteLength(text)).toBeLessThan(0.9 * MAX_DOCUMENT_BYTES);
    expect(lexemes(text)).toBeLessThan(MAX_YAML_TOKENS);
  });

  it('the schema’s maximum (2,500 / 2,500 / 1,000) with three-word status parts fits the byte and token limits in any form', () => {
    const text = largeManifest(SCHEMA_MAX, 'shortest');
    const { handover: value, diagnostics } = parseManifest(text, FILE, { config, now });
    expect(diagnostics).toEqual([]);
    expect(value?.incidents[0]?.status?.hypothesis).toBe('See the runbook.');
    const forms = {
      block: text,
      'yaml.stringify': stringify(value, { lineWidth: 0 }),
      'indented JSON': JSON.stringify(value, null, 2),
    };
    for (const [form, written] of Object.entries(forms)) {
      expect(Buffer.byteLength(written), form).toBeLessThan(MAX_DOCUMENT_BYTES);
      expect(lexemes(written), form).toBeLessThan(MAX_YAML_TOKENS);
    }
    expect(rules(forms['indented JSON'])).toEqual([]);
  });

  it('at the schema’s maximum counts the 1 MiB file cap binds first: about 260 bytes an incident are left, fewer than the storm’s prose needs', () => {
    const rest = Buffer.byteLength(largeManifest({ ...SCHEMA_MAX, incidents: 0 }));
    const perIncident = (MAX_DOCUMENT_BYTES - rest - 'incidents:\n'.length) / SCHEMA_MAX.incidents;
    expect(Math.floor(perIncident)).toBe(261);
    // The storm's incidents take about 314 bytes each (title, three one-line parts).
    const stormRest = Buffer.byteLength(largeManifest({ ...STORM, incidents: 0 }));
    const stormPerIncident = (Buffer.byteLength(largeManifest(STORM)) - stormRest) / STORM.incidents;
    expect(stormPerIncident).toBeGreaterThan(perIncident);
    const full = largeManifest(SCHEMA_MAX);
    expect(Buffer.byteLength(full)).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    expect(rules(full)).toEqual(['yaml.too-large']);
    // Its token count, which does not depend on how long the texts are, stays under the token limit
    // in block YAML and as indented JSON (the token limit is sized on it).
    // (yaml's own parse, which has no byte cap, gives the JSON form.)
    const value = parse(full) as { incidents: unknown[] };
    expect(value.incidents).toHaveLength(SCHEMA_MAX.incidents);
    expect(lexemes(full)).toBeLessThan(MAX_YAML_TOKENS);
    expect(lexemes(JSON.stringify(value, null, 2))).toBeLessThan(MAX_YAML_TOKENS);
  });

  it('one more incident than the schema allows is a schema finding with the real maximum', () => {
    const { diagnostics } = parseManifest(
      largeManifest({ ...SCHEMA_MAX, incidents: SCHEMA_MAX.incidents + 1 }, 'shortest'),
      FILE,
      { config, now },
    );
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['schema.items', 14, 1]]);
    expect(diagnostics[0]?.message).toContain('at most 2500');
  });
});

describe('hostile input is still refused, located, before the costly steps', () => {
  const list = (entries: number) => `incidents:\n${'  - x\n'.repeat(entries)}`;

  it(`a list of ${MAX_SEQUENCE_ENTRIES + 1} entries is refused at the list, with what to do`, () => {
    const { handover, diagnostics } = parseManifest(
      `${BASE}${list(MAX_SEQUENCE_ENTRIES + 1).replace('incidents', 'extra')}`,
      FILE,
      {
        config,
      },
    );
    expect(handover).toBeNull();
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['yaml.too-large', 34, 3]]);
    expect(diagnostics[0]?.message).toBe(
      'this list has 5001 entries; at most 5000 are allowed (a manifest lists at most 2500 incidents, ' +
        '2500 tickets and 1000 rollouts): split the handover into two manifests',
    );
  });

  it(`a list of ${MAX_SEQUENCE_ENTRIES} entries passes the YAML limits (the schema then refuses it)`, () => {
    expect(rules(list(MAX_SEQUENCE_ENTRIES))).not.toContain('yaml.too-large');
    expect(rules(list(MAX_SEQUENCE_ENTRIES))).toContain('schema.items');
  });

  it(`a flow list of ${MAX_SEQUENCE_ENTRIES + 1} entries is refused the same way`, () => {
    const text = `incidents: [${Array.from({ length: MAX_SEQUENCE_ENTRIES + 1 }, () => 'x').join(', ')}]\n`;
    const { diagnostics } = parseManifest(text, FILE, { config });
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['yaml.too-large', 1, 12]]);
    expect(diagnostics[0]?.message).toContain('this list has 5001 entries');
  });

  const mapping = (keys: number) =>
    `window:\n${Array.from({ length: keys }, (_, i) => `  k${i}: v\n`).join('')}`;

  it('a mapping of 300 keys is refused at the mapping, with what to do', () => {
    const { handover, diagnostics } = parseManifest(mapping(300), FILE, { config });
    expect(handover).toBeNull();
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['yaml.too-large', 2, 3]]);
    expect(diagnostics[0]?.message).toBe(
      'this mapping has 300 keys; at most 256 are allowed (the largest in a manifest or config is the ' +
        'roster, at most 200 admins): a list of many entries is written as a list, one `- ` per entry',
    );
  });

  it(`a mapping of ${MAX_MAPPING_ENTRIES} keys passes the YAML limits`, () => {
    expect(rules(mapping(MAX_MAPPING_ENTRIES))).not.toContain('yaml.too-large');
  });

  it('a flow mapping of 300 keys is refused too', () => {
    const text = `window: {${Array.from({ length: 300 }, (_, i) => `k${i}: 1`).join(', ')}}\n`;
    expect(parseManifest(text, FILE, { config }).diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([
      ['yaml.too-large', 1, 9],
    ]);
  });

  it('the config reader applies the mapping limit to the roster', () => {
    const roster = Array.from(
      { length: 300 },
      (_, i) =>
        `  a${i}: { github: a${i}, pagerduty: PUSR${String(i).padStart(3, '0')}, slack: U0A${i}, email: a${i}@x.example, tracker: a${i} }`,
    ).join('\n');
    const { config: parsed, diagnostics } = parseConfig(`roster:\n${roster}\n`, 'handover.config.yaml');
    expect(parsed).toBeNull();
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['yaml.too-large', 2, 3]]);
  });

  it('a token bomb is refused where it passes the token limit, before it is parsed', () => {
    // Short flow lists in lists under a few keys: many tokens per byte, yet every mapping and list
    // within its own limit and the file under the byte limit.
    const text = Array.from({ length: 15 }, (_, j) => `s${j}:\n${'  - [b, c, d, e]\n'.repeat(4000)}`).join(
      '',
    );
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_DOCUMENT_BYTES);
    expect(lexemes(text)).toBeGreaterThan(2 * MAX_YAML_TOKENS);
    const started = performance.now();
    const { handover, diagnostics } = parseManifest(text, FILE, { config });
    // A hang detector only (the figures are in docs/design.md#input-limits): lexing alone.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(handover).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.rule).toBe('yaml.too-large');
    expect(diagnostics[0]?.line).toBeGreaterThan(10_000);
    expect(diagnostics[0]?.message).toBe(
      'the document has more than 250000 YAML tokens by here, more than the largest manifest the schema ' +
        'allows needs (2500 incidents, 2500 tickets and 1000 rollouts with every field): remove what is ' +
        'not part of the handover, or split it into two manifests',
    );
  });

  it('the token limit is located exactly: at the first token past it', () => {
    // `- x\n` is 5 lexemes (`-`, space, a scalar marker, `x`, line break) after the document's one:
    // lexeme 250 001 is the line break of line 50 000.
    const { diagnostics } = parseManifest('- x\n'.repeat(70_000), FILE, { config });
    expect(diagnostics.map((d) => [d.rule, d.line, d.column])).toEqual([['yaml.too-large', 50_000, 4]]);
  });
});

describe('the rule reference states the limits the code applies', () => {
  it('yaml.too-large and schema.items name the current numbers', () => {
    const summary = (id: string) => ruleDoc(id)?.summary ?? '';
    const thousands = (n: number) => n.toLocaleString('en-US');
    expect(summary('yaml.too-large')).toContain(`${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`);
    expect(summary('yaml.too-large')).toContain(`${thousands(MAX_YAML_TOKENS)} YAML tokens`);
    expect(summary('yaml.too-large')).toContain(`${MAX_MAPPING_ENTRIES} keys`);
    expect(summary('yaml.too-large')).toContain(`${thousands(MAX_SEQUENCE_ENTRIES)} entries`);
    expect(summary('schema.items')).toContain(
      `${thousands(SCHEMA_MAX.incidents)} incidents, ${thousands(SCHEMA_MAX.tickets)} tickets, ${thousands(SCHEMA_MAX.rollouts)} rollouts`,
    );
  });
});
