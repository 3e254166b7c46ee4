import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('README.md', () => {
  it('starts with the two commands a newcomer types, and both exist', () => {
    const first = /```sh\n([\s\S]*?)\n```/.exec(README)?.[1] ?? '';
    expect(first.split('\n').map((line) => line.replace(/\s+#.*$/, ''))).toEqual([
      'npm ci && npm run demo',
      'npm test',
    ]);
    expect(SCRIPTS.demo).toBe('node bin/handover.js demo');
    expect(SCRIPTS.test).toBeDefined();
  });

  it('names only npm scripts that exist', () => {
    const named = [...README.matchAll(/`npm run ([a-z-]+)/g)].map((match) => match[1] ?? '');
    expect(named.length).toBeGreaterThan(5);
    for (const script of new Set(named)) expect(SCRIPTS, script).toHaveProperty(script);
  });

  it('links only to files that exist', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(5);
    for (const link of links.filter((target) => !/^https?:/.test(target)))
      expect(existsSync(join(ROOT, link)), link).toBe(true);
  });
});
