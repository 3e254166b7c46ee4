/**
 * Which manifests a command works on: the ones the `manifests` input names (paths or globs), or the ones a
 * pull request adds or changes. Pure.
 */
import type { GhPullFile } from '../providers/types.js';

const GLOB_CHARS = /[*?[]/;
const MANIFEST = /^handovers\/.+\.ya?ml$/i;

/** `**` any depth, `*` within a segment, `?` one character, `[…]` a class; everything else literal. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export interface ExpandedPatterns {
  files: string[];
  /** Globs that matched no manifest: almost always a typo the workflow author wants to hear about. */
  unmatched: string[];
}

/**
 * A plain path is kept as given (the command reports it if it does not exist); a glob is matched against
 * the manifests of the checkout. Order: as the patterns name them, without duplicates.
 */
export function expandPatterns(patterns: string[], available: string[]): ExpandedPatterns {
  const files: string[] = [];
  const unmatched: string[] = [];
  const add = (path: string) => {
    if (!files.includes(path)) files.push(path);
  };
  for (const pattern of patterns) {
    if (!GLOB_CHARS.test(pattern)) {
      add(pattern);
      continue;
    }
    const regexp = globToRegExp(pattern);
    const matches = available.filter((path) => regexp.test(path));
    if (matches.length === 0) unmatched.push(pattern);
    matches.forEach(add);
  }
  return { files, unmatched };
}

/** Whether a path matches any of the patterns (plain paths compare exactly). */
export function matchesAny(path: string, patterns: string[]): boolean {
  return patterns.some((pattern) =>
    GLOB_CHARS.test(pattern) ? globToRegExp(pattern).test(path) : pattern === path,
  );
}

export interface PullRequestChanges {
  /** Manifests the pull request adds or changes (it still has them at its head), in GitHub's order. */
  manifests: string[];
  configChanged: boolean;
}

export function pullRequestChanges(files: GhPullFile[], configPath: string): PullRequestChanges {
  return {
    manifests: files
      .filter((f) => f.status !== 'removed' && MANIFEST.test(f.filename))
      .map((f) => f.filename),
    configChanged: files.some((f) => f.filename === configPath || f.previousFilename === configPath),
  };
}
