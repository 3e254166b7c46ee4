import { describe, expect, it } from 'vitest';
import { expandPatterns, globToRegExp, matchesAny, pullRequestChanges } from '../../src/action/targets.js';

describe('globs', () => {
  it.each([
    ['handovers/**/*.yaml', 'handovers/a.yaml', true],
    ['handovers/**/*.yaml', 'handovers/2026/12/a.yaml', true],
    ['handovers/*.yaml', 'handovers/2026/a.yaml', false],
    ['handovers/2026/*-to-bob.yaml', 'handovers/2026/x-to-bob.yaml', true],
    ['handovers/202?/*.yaml', 'handovers/2026/a.yaml', true],
    ['handovers/[ab].yaml', 'handovers/b.yaml', true],
    ['handovers/[!ab].yaml', 'handovers/b.yaml', false],
    ['handovers/a.yaml', 'handovers/a-yaml', false],
    ['handovers/(a|b).yaml', 'handovers/a.yaml', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });

  it('keeps plain paths as given, expands globs against the checkout, and names globs that match nothing', () => {
    const available = ['handovers/2026/a.yaml', 'handovers/2026/b.yaml', 'handovers/c.yaml'];
    expect(
      expandPatterns(
        ['handovers/missing.yaml', 'handovers/2026/*.yaml', 'handovers/2026/a.yaml', 'x/*.yaml'],
        available,
      ),
    ).toEqual({
      files: ['handovers/missing.yaml', 'handovers/2026/a.yaml', 'handovers/2026/b.yaml'],
      unmatched: ['x/*.yaml'],
    });
    expect(matchesAny('handovers/c.yaml', ['handovers/2026/*.yaml', 'handovers/c.yaml'])).toBe(true);
  });
});

describe("a pull request's changes", () => {
  it('lists the manifests it adds or changes, not the ones it deletes, and whether it touches the config', () => {
    const changes = pullRequestChanges(
      [
        { filename: 'handovers/2026/new.yaml', status: 'added', previousFilename: null },
        { filename: 'handovers/2026/old.yaml', status: 'removed', previousFilename: null },
        { filename: 'handovers/README.md', status: 'added', previousFilename: null },
        { filename: 'handovers/2026/moved.yml', status: 'renamed', previousFilename: 'handovers/x.yml' },
      ],
      'handover.config.yaml',
    );
    expect(changes).toEqual({
      manifests: ['handovers/2026/new.yaml', 'handovers/2026/moved.yml'],
      configChanged: false,
    });
    expect(
      pullRequestChanges(
        [{ filename: 'handover.config.yaml', status: 'modified', previousFilename: null }],
        'handover.config.yaml',
      ),
    ).toEqual({ manifests: [], configChanged: true });
  });
});
