import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import { MAX_DOCUMENT_BYTES, MAX_YAML_TOKENS } from '../../src/manifest/yaml/limits.js';
import { findExcessiveNesting } from '../../src/manifest/yaml/prescan.js';
import { BASE, FILE, loadTestConfig, withLine, withLines } from './fixtures.js';

const config = loadTestConfig();
/** Just under the byte limit (1 MiB), the size the worst hostile input can have. */
const NEAR_THE_CAP = MAX_DOCUMENT_BYTES - 4096;

/** A seeded generator, so the "random" inputs are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state;
  };
}

function almostTheCap(unit: string, prefix = ''): string {
  return prefix + unit.repeat(Math.floor((NEAR_THE_CAP - prefix.length) / unit.length));
}

describe('deep nesting never reaches the parser', () => {
  // yaml 2.9.1 on Node 20 aborts the process (uncatchable) on the second deeply nested document it
  // composes; these run one after another in this one process and must all come back as findings.
  const deepInputs: [string, string][] = [
    ['2 000 flow brackets', `a: ${'['.repeat(2000)}${']'.repeat(2000)}`],
    ['the same again', `a: ${'['.repeat(2000)}${']'.repeat(2000)}`],
    ['100 000 flow brackets', `a: ${'['.repeat(100_000)}`],
    ['flow mappings', `a: ${'{b: '.repeat(5000)}1${'}'.repeat(5000)}`],
    ['mixed flow', `a: ${'[{c: '.repeat(3000)}`],
    ['1 000 indented mappings', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
    ['1 000 dashes on one line', `${'- '.repeat(1000)}x`],
    [
      '1 000 sequences at their parent’s indentation',
      Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i * 2)}- k:`).join('\n'),
    ],
    ['1 000 explicit keys', `${'? '.repeat(1000)}x`],
  ];

  it.each(deepInputs)('%s → yaml.too-deep', (_name, text) => {
    const result = parseManifest(text, FILE, { config });
    expect(result.handover).toBeNull();
    expect(result.diagnostics.map((d) => d.rule)).toContain('yaml.too-deep');
  });

  it('the config reader refuses deep documents the same way', () => {
    const { config: parsed, diagnostics } = parseConfig(
      `roster: ${'['.repeat(5000)}`,
      'handover.config.yaml',
    );
    expect(parsed).toBeNull();
    expect(diagnostics.map((d) => d.rule)).toEqual(['yaml.too-deep']);
  });

  it('33 levels of real structure are refused, 32 are parsed', () => {
    const nest = (levels: number) => `a: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;
    expect(parseManifest(nest(32), FILE).diagnostics.map((d) => d.rule)).not.toContain('yaml.too-deep');
    expect(parseManifest(nest(33), FILE).diagnostics.map((d) => d.rule)).toContain('yaml.too-deep');
  });
});

describe('the nesting pre-scan', () => {
  // The estimate may count fewer levels than there are (the parse tree is checked exactly after it)
  // but never more, or a valid manifest would be refused.
  const cases: [string, string, number | null][] = [
    ['the base manifest', BASE, null],
    ['brackets inside quotes', `title: "${'['.repeat(100)}"\n`, null],
    ['brackets inside single quotes', `title: '${'{'.repeat(100)}'\n`, null],
    ['brackets inside a plain scalar', `title: a${'['.repeat(100)}\n`, null],
    ['brackets inside a comment', `# ${'['.repeat(100)}\ntitle: x\n`, null],
    ['brackets inside a block scalar', `title: |\n  ${'['.repeat(100)}\n  ${'{'.repeat(100)}\nb: 1\n`, null],
    [
      'a multi-line plain scalar indented like a staircase',
      `a: x\n${Array.from({ length: 60 }, (_, i) => `${' '.repeat(i + 1)}y`).join('\n')}\n`,
      null,
    ],
    ['a multi-line quoted scalar with brackets', `a: "x\n  ${'['.repeat(50)}\n  y"\n`, null],
    // The root mapping is level 1, so the 32nd bracket (offset 3 + 31) is level 33.
    ['33 flow levels', `a: ${'['.repeat(32)}`, 34],
    // Line i (from 0) is `' '.repeat(i) + 'k:'`, i + 3 characters with its newline; level 33 is line 32.
    ['33 block levels', Array.from({ length: 33 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'), 592 + 32],
  ];
  it.each(cases)('%s', (_name, text, offset) => {
    expect(findExcessiveNesting(text, 32)).toBe(offset);
  });
});

describe('YAML 1.2 core values stay what they look like', () => {
  // YAML 1.1 (and a document's own %YAML 1.1 directive) would read these as booleans, octal or
  // sexagesimal numbers; the manifest reader never does.
  const titles: [string, string][] = [
    ['on', 'on'],
    ['off', 'off'],
    ['NO', 'NO'],
    ['yes', 'yes'],
    ['y', 'y'],
    ['1:30', '1:30'],
    ['2026-11-26', '2026-11-26'],
    ["'0777'", '0777'],
  ];
  it.each(titles)('title: %s is the text %j', (written, expected) => {
    const result = parseManifest(withLine(13, `    title: ${written}`), FILE, { config });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover?.incidents[0]?.title).toBe(expected);
  });

  it('010 is ten, not eight', () => {
    const result = parseManifest(withLine(30, '    rampPercent: 010'), FILE, { config });
    expect(result.handover?.rollouts[0]?.rampPercent).toBe(10);
  });

  it('0x1F is thirty-one (YAML 1.2 hexadecimal)', () => {
    const result = parseManifest(withLine(30, '    rampPercent: 0x1F'), FILE, { config });
    expect(result.handover?.rollouts[0]?.rampPercent).toBe(31);
  });

  it('a %YAML 1.1 directive cannot turn `on` into true', () => {
    const result = parseManifest(`%YAML 1.1\n---\n${withLine(13, '    title: on')}`, FILE, { config });
    expect(result.handover).toBeNull();
    expect(result.diagnostics.map((d) => d.rule)).toEqual(['yaml.directive']);
  });
});

describe('unusual but valid text is read correctly', () => {
  it('CRLF line endings', () => {
    const result = parseManifest(BASE.replace(/\n/g, '\r\n'), FILE, { config });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover?.incidents[0]?.status?.nextAction).toBe(
      'Watch p99 for 30 minutes; if still high, fail over to replica 3.',
    );
  });

  it('a byte-order mark', () => {
    const result = parseManifest(`\ufeff${BASE}`, FILE, { config });
    expect(result.diagnostics).toEqual([]);
  });

  it('non-ASCII prose and emoji in status text', () => {
    const text = withLine(
      15,
      '      hypothesis: Zürich replicas lag — Postgres vacuum 🐘 stuck since 14:00.',
    );
    const result = parseManifest(text, FILE, { config });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover?.incidents[0]?.status?.hypothesis).toContain('🐘');
  });

  it('tabs inside a value', () => {
    const result = parseManifest(withLine(13, '    title: EU API\tp99'), FILE, { config });
    expect(result.diagnostics).toEqual([]);
  });

  it('a multi-line block scalar', () => {
    const text = withLine(
      15,
      '      hypothesis: |\n        Connection pool exhaustion\n        on the eu-west read replicas.',
    );
    const result = parseManifest(text, FILE, { config });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover?.incidents[0]?.status?.hypothesis).toBe(
      'Connection pool exhaustion\non the eu-west read replicas.\n',
    );
  });

  it('a JSON-form manifest', () => {
    const json = JSON.stringify({
      apiVersion: 'handover/v1',
      kind: 'Handover',
      id: '2026-11-26-alice-to-bob',
      variant: 'emergency',
      reason: 'rotation',
      outgoing: 'alice',
      incoming: 'bob',
      emergency: { cause: 'incapacitated' },
      window: { end: '2026-11-26T18:00:00Z' },
      incidents: [{ id: 'Q1ABCDEF12345' }],
    });
    const result = parseManifest(json, FILE, { config });
    expect(result.diagnostics).toEqual([]);
    expect(result.handover).toMatchObject({ variant: 'emergency', tickets: [], rollouts: [] });
  });

  it('__proto__ never reaches an object prototype', () => {
    const result = parseManifest(withLines({ 8: '__proto__: { isAdmin: true }\nwindow:' }), FILE, { config });
    expect(result.handover).toBeNull();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });
});

describe('no input takes more than a second', () => {
  const random = seeded(7);
  const hostile: [string, string][] = [
    ['a megabyte of [', almostTheCap('[')],
    ['a megabyte of "', almostTheCap('"')],
    // N quotes are N / 2 + 1 lexemes: just under the token limit, so all of it is parsed.
    ['498 000 quotes (just under the token limit)', '"'.repeat(2 * MAX_YAML_TOKENS - 2000)],
    ['a megabyte of keys', almostTheCap('k: v\n')],
    ['a megabyte of list items', almostTheCap('- x\n')],
    ['a megabyte of anchors', almostTheCap('- &a x\n')],
    ['a megabyte of comments', almostTheCap('# comment\n')],
    ['a megabyte on one line', almostTheCap('word ', 'title: ')],
    ['a megabyte of hex digits', almostTheCap('a', 'title: ')],
    ['a megabyte of -eyJ (credential scan)', almostTheCap('-eyJ', 'title: ')],
    ['a megabyte of control characters', almostTheCap('\u202e\u0000\u001b')],
    [
      'a megabyte of random ASCII',
      Array.from({ length: NEAR_THE_CAP }, () => String.fromCharCode(random() % 128)).join(''),
    ],
    [
      'a megabyte of YAML punctuation',
      Array.from({ length: NEAR_THE_CAP }, () => ' :-[]{}"\'#&*!|>\n\tab,?%@`'[random() % 24]).join(''),
    ],
    [
      '250 incidents full of errors',
      `incidents:\n${'  - { id: x, title: 1, status: { hypothesis: 1, extra: 4 }, zz: 1 }\n'.repeat(250)}`,
    ],
    [
      'maps of 250 duplicate keys',
      Array.from({ length: 20 }, (_, j) => `k${j}:\n${'  a: 1\n'.repeat(250)}`).join(''),
    ],
  ];
  it.each(hostile)('%s', (_name, text) => {
    const started = performance.now();
    const result = parseManifest(text, FILE, { config });
    const configResult = parseConfig(text, 'handover.config.yaml');
    // A hang detector (each reader alone stays well under a second; the speed target is in
    // bench/validate.mjs): catastrophic backtracking or an unbounded expansion would take minutes.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.handover).toBeNull();
    expect(configResult.config).toBeNull();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics.length).toBeLessThanOrEqual(200);
  });
});

describe('parsed data is never merged into other objects', () => {
  it('no Object.assign in the manifest and config readers (a parsed __proto__ key would replace a prototype)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '../../src');
    const files = ['manifest', 'manifest/yaml', 'manifest/rules', 'manifest/schema', 'config'].flatMap(
      (dir) =>
        readdirSync(join(root, dir))
          .filter((name) => name.endsWith('.ts'))
          .map((name) => join(root, dir, name)),
    );
    expect(files.length).toBeGreaterThan(20);
    for (const file of files)
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/Object\.assign|deepmerge|lodash/);
  });
});
