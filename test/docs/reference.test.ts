import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateReference } from '../../scripts/gen-reference/index.js';
import { COMMAND_DOCS } from '../../src/cli/usage.js';
import { parseConfig } from '../../src/config/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import {
  ACKNOWLEDGEMENT_RULES,
  PLAN_FINDINGS,
  PUSH_RULES,
  VALIDATION_RULES as RULES,
} from '../../src/rules/registry.js';
import { sandboxConfigYaml } from '../../src/sandbox/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function genReference(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/gen-reference.mjs', ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Every key defined under any `properties` of a schema, however deep: each must have a row. */
function propertyNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) propertyNames(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object')
      for (const key of Object.keys(record.properties)) out.add(key);
    for (const [key, value] of Object.entries(record)) if (key !== 'examples') propertyNames(value, out);
  }
  return out;
}

function yamlBlock(markdown: string): string {
  const match = /```yaml\n([\s\S]*?)\n```/.exec(markdown);
  if (!match?.[1]) throw new Error('no yaml block');
  return match[1];
}

const pages = generateReference(ROOT);
const page = (name: string) => pages.get(name) ?? '';

describe('the committed reference docs', () => {
  it('are exactly what the sources generate (npm run check-docs)', async () => {
    const outcome = await genReference('--check');
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('the 4 reference pages are current');
  });
});

describe('--check notices drift', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-reference-'));
    expect((await genReference('--dir', dir)).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names an edited page, a deleted one and a stray one, exits 1, and a rewrite fixes all three', async () => {
    writeFileSync(join(dir, 'rules.md'), `${readFileSync(join(dir, 'rules.md'), 'utf8')}\nhand-edited\n`);
    unlinkSync(join(dir, 'config.md'));
    writeFileSync(join(dir, 'old.md'), '# a page nothing generates\n');

    const drifted = await genReference('--check', '--dir', dir);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toMatch(/rules\.md: different/);
    expect(drifted.stderr).toMatch(/config\.md: missing/);
    expect(drifted.stderr).toMatch(/old\.md: not generated/);
    expect(drifted.stderr).toContain('run `npm run docs`');
    expect(drifted.stderr).not.toMatch(/\n\s+at /);

    expect((await genReference('--dir', dir)).code).toBe(0);
    expect((await genReference('--check', '--dir', dir)).code).toBe(0);
  });

  it('refuses a flag it does not know (exit 2)', async () => {
    const outcome = await genReference('--chek');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('usage: node scripts/gen-reference.mjs');
  });
});

describe('manifest.md and config.md', () => {
  it.each([
    ['manifest.md', 'schemas/handover.schema.json'],
    ['config.md', 'schemas/config.schema.json'],
  ])('%s has a row for every key %s defines', (name, schemaPath) => {
    const schema: unknown = JSON.parse(readFileSync(join(ROOT, schemaPath), 'utf8'));
    const rows = page(name)
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => /^\| `([^`]+)`/.exec(line)?.[1] ?? '');
    const lastSegments = new Set(rows.map((path) => path.split('.').at(-1)?.replace('[]', '')));
    for (const key of propertyNames(schema)) expect(lastSegments, key).toContain(key);
  });

  it('shows every required manifest field as required, with its type and example', () => {
    expect(page('manifest.md')).toContain(
      '| `rollouts[].rampPercent` | number | yes | The current ramp, in percent (0–100). | ≥ 0; ≤ 100 | `25` |',
    );
    expect(page('manifest.md')).toMatch(/\| `emergency` \| object \| conditional \|/);
  });

  it("opens with an example manifest that validate accepts, built from the schema's examples", () => {
    const example = yamlBlock(page('manifest.md'));
    const id = (parse(example) as { id: string }).id;
    const config = parseConfig(
      sandboxConfigYaml('http://127.0.0.1:1/platform/api/v1'),
      'handover.config.yaml',
    );
    const result = parseManifest(example, `handovers/${id}.yaml`, {
      config: config.config ?? undefined,
      now: new Date('2026-11-26T12:00:00Z'),
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('opens with an example config that validates', () => {
    const result = parseConfig(yamlBlock(page('config.md')), 'handover.config.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.config).not.toBeNull();
  });
});

describe('rules.md', () => {
  it('documents every rule of the registry with its mistake and its fix', () => {
    for (const rule of RULES) {
      const section = page('rules.md').split(`### \`${rule.id}\`\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, rule.id).toContain(rule.summary);
      expect(section, rule.id).toContain('The mistake');
      expect(section, rule.id).toContain('The fix');
    }
  });

  it('lists every plan finding, acknowledgement rule and push rule of the registry', () => {
    for (const rule of [...PLAN_FINDINGS, ...ACKNOWLEDGEMENT_RULES, ...PUSH_RULES])
      expect(page('rules.md'), rule.id).toContain(`| \`${rule.id}\` |`);
  });

  it('shows invisible characters of an example by code point, never raw', () => {
    expect(page('rules.md')).toContain('outgoing: adm<U+202E>in');
    expect(page('rules.md')).not.toMatch(/[\u202a-\u202e\u200b]/);
  });
});

describe('commands.md', () => {
  it('documents every command with each of its flags and exit codes', () => {
    for (const command of COMMAND_DOCS) {
      const section =
        page('commands.md').split(`## \`handover ${command.name}\`\n`)[1]?.split('\n## ')[0] ?? '';
      expect(section, command.name).not.toBe('');
      for (const flag of command.flags)
        expect(section, `${command.name} --${flag.name}`).toContain(`--${flag.name}`);
      for (const exit of command.exits) expect(section).toContain(`| ${exit.code} |`);
    }
  });
});
