import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DISPOSITIONS, REASONS, ROLLOUT_STATES, VARIANTS } from '../../src/manifest/types.js';

const root = join(import.meta.dirname, '../..');

type Node = Record<string, unknown>;
const SCHEMAS = ['schemas/handover.schema.json', 'schemas/config.schema.json'].map((file) => ({
  file,
  schema: JSON.parse(readFileSync(join(root, file), 'utf8')) as Node,
}));

/** Every subschema with its JSON pointer. */
function subschemas(node: unknown, pointer = ''): { pointer: string; node: Node }[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  const found = [{ pointer, node: node as Node }];
  for (const keyword of ['properties', 'patternProperties', '$defs']) {
    const children = (node as Node)[keyword] as Record<string, unknown> | undefined;
    for (const [name, child] of Object.entries(children ?? {})) {
      found.push(
        ...subschemas(child, `${pointer}/${keyword}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`),
      );
    }
  }
  for (const keyword of ['items', 'propertyNames', 'additionalProperties']) {
    const child = (node as Node)[keyword];
    if (typeof child === 'object' && child !== null)
      found.push(...subschemas(child, `${pointer}/${keyword}`));
  }
  return found;
}

describe.each(SCHEMAS)('$file', ({ schema }) => {
  const nodes = subschemas(schema);

  it('is JSON Schema 2020-12 with an $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\//);
  });

  it('closes every object: unknown keys are errors', () => {
    const open = nodes.filter(({ node }) => node.type === 'object' && node.additionalProperties !== false);
    expect(open.map((n) => n.pointer)).toEqual([]);
  });

  it('describes every property and gives an example', () => {
    const properties = nodes.filter(({ pointer }) => /\/(properties|\$defs)\/[^/]+$/.test(pointer));
    expect(properties.length).toBeGreaterThan(5);
    const undocumented = properties.filter(
      ({ node }) =>
        typeof node.description !== 'string' || !Array.isArray(node.examples) || node.examples.length === 0,
    );
    expect(undocumented.map((n) => n.pointer)).toEqual([]);
  });

  it('bounds every string and every list', () => {
    const unbounded = nodes.filter(
      ({ node }) =>
        (node.type === 'string' && typeof node.maxLength !== 'number') ||
        (node.type === 'array' && typeof node.maxItems !== 'number'),
    );
    expect(unbounded.map((n) => n.pointer)).toEqual([]);
  });

  it('uses anchored ASCII patterns that stay fast on long hostile strings', () => {
    const patterns = nodes.flatMap(({ node }) => (typeof node.pattern === 'string' ? [node.pattern] : []));
    expect(patterns.length).toBeGreaterThan(3);
    for (const pattern of patterns) {
      expect(pattern).toMatch(/^\^.*\$$/);
      expect(pattern).toMatch(/^[\x20-\x7e]+$/);
      const regex = new RegExp(pattern, 'u');
      for (const hostile of ['a', '0', 'A', '-', '.', 'a-', 'A0', 'a@a.', ':/'].map(
        (unit) => `${unit.repeat(5000)}!`,
      )) {
        const started = performance.now();
        regex.test(hostile);
        expect(performance.now() - started, `${pattern} on ${hostile.slice(0, 8)}…`).toBeLessThan(1000); // exponential backtracking on 5,000 characters takes far longer
      }
    }
  });

  it('passes ajv’s security meta-schema', () => {
    const secure = JSON.parse(
      readFileSync(join(root, 'node_modules/ajv/lib/refs/json-schema-secure.json'), 'utf8'),
    );
    const isSecure = new Ajv({ strict: false, allErrors: true }).compile(secure);
    expect(isSecure(schema), JSON.stringify(isSecure.errors)).toBe(true);
  });

  it('compiles under ajv strict mode, and every example is valid', () => {
    // The editor and reporting keywords that scripts/gen-validators.mjs declares.
    const ajv = new Ajv2020({
      strict: true,
      allErrors: true,
      keywords: ['patternErrorMessage', 'x-reportedBy'],
    });
    ajv.addSchema(schema);
    const withExamples = nodes.filter(({ node }) => Array.isArray(node.examples));
    for (const { pointer, node } of withExamples) {
      const validate = ajv.compile({ $ref: `${String(schema.$id)}#${pointer}` });
      for (const example of node.examples as unknown[]) {
        expect(
          validate(example),
          `${pointer}: ${JSON.stringify(example)} ${JSON.stringify(validate.errors)}`,
        ).toBe(true);
      }
    }
  });
});

describe('the manifest schema and the typed Handover agree', () => {
  const handover = SCHEMAS[0]?.schema as Node;
  const at = (pointer: string): Node =>
    pointer
      .split('/')
      .slice(1)
      .reduce<Node>((node, part) => node[part] as Node, handover);

  it.each([
    ['variant', '/properties/variant', VARIANTS],
    ['reason', '/properties/reason', REASONS],
    ['disposition', '/$defs/ticket/properties/disposition', DISPOSITIONS],
    ['state', '/$defs/rollout/properties/state', ROLLOUT_STATES],
  ])('the %s values', (_name, pointer, values) => {
    expect(at(pointer).enum).toEqual([...values]);
  });
});

describe('the generated validators', () => {
  it('are what scripts/gen-validators.mjs makes of schemas/ (npm run check-generated)', () => {
    const output = execFileSync(process.execPath, ['scripts/gen-validators.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(output).toContain('match');
  });

  it('never load the ajv compiler', () => {
    for (const file of ['handover-schema.generated.js', 'config-schema.generated.js']) {
      const code = readFileSync(join(root, 'src/manifest/generated', file), 'utf8');
      expect(code).not.toMatch(/\brequire\(|\bimport\s/);
    }
  });
});
