import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ownPackageRoot, schemaReference } from '../../src/schema-reference.js';

const checkout = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'handover-schema-ref-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('schemaReference', () => {
  it('finds this package from its source', () => {
    expect(ownPackageRoot()).toBe(checkout);
  });

  it('in this tool’s repository, points at its own schemas/', () => {
    const manifest = join(checkout, 'handovers/2026/x.yaml');
    expect(schemaReference(checkout, manifest, 'handover.schema.json')).toBe(
      '../../schemas/handover.schema.json',
    );
    expect(schemaReference(checkout, join(checkout, 'handover.config.yaml'), 'config.schema.json')).toBe(
      './schemas/config.schema.json',
    );
  });

  it('in an adopter’s repository, points at the installed package', () => {
    const repo = join(scratch, 'oncall');
    const installed = join(repo, 'node_modules/@novavms/handover');
    mkdirSync(join(installed, 'schemas'), { recursive: true });
    writeFileSync(join(installed, 'schemas/handover.schema.json'), '{}');
    expect(
      schemaReference(repo, join(repo, 'handovers/2027/y.yaml'), 'handover.schema.json', installed),
    ).toBe('../../node_modules/@novavms/handover/schemas/handover.schema.json');
  });

  it('run from outside the repository (an npx cache), names where a devDependency install puts it', () => {
    const repo = join(scratch, 'elsewhere');
    expect(schemaReference(repo, join(repo, 'handover.config.yaml'), 'config.schema.json', checkout)).toBe(
      './node_modules/@novavms/handover/schemas/config.schema.json',
    );
  });
});

describe('the schemas the package ships', () => {
  const ids = ['handover.schema.json', 'config.schema.json'].map((file) => ({
    file,
    id: String(JSON.parse(readFileSync(join(checkout, 'schemas', file), 'utf8')).$id),
  }));

  it('have $ids of one family: the same base and version, each named as its file', () => {
    for (const { file, id } of ids) expect(id).toBe(`https://schemas.novavms.example/handover/v1/${file}`);
  });

  it('are listed in package.json "files", so the $schema lines init writes resolve once installed', () => {
    const pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@novavms/handover');
    expect(pkg.files).toContain('schemas/*.schema.json');
  });
});
