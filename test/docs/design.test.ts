import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DESIGN = readFileSync(join(ROOT, 'docs', 'design.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((name) => /\.(ts|mjs|md)$/.test(name))
    .map((name) => join(dir, name));
}

describe('docs/design.md, the contract', () => {
  const anchors = new Set([...DESIGN.matchAll(/^#{2,4} (.+)$/gm)].map((match) => anchor(match[1] ?? '')));
  const sources = ['src', 'test', 'scripts', 'docs'].flatMap(filesUnder);

  it('has every section that code and docs cite', () => {
    const cited = sources.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/design\.md#([a-z0-9-]+)/g)].map(
        (match) => `${file}: #${match[1]}`,
      ),
    );
    expect(cited.length).toBeGreaterThan(20);
    expect(cited.filter((entry) => !anchors.has(entry.split('#')[1] ?? ''))).toEqual([]);
  });

  it('is what they cite, not a document outside the repository', () => {
    const outside = sources.filter((file) =>
      /spec §|security checklist|\.\.\/shared\/spec\//.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(outside.filter((file) => file !== join('test', 'docs', 'design.test.ts'))).toEqual([]);
  });
});
