import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

describe('the version', () => {
  it('that `handover --version` prints is the package’s (npm run version-packages keeps them equal)', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
