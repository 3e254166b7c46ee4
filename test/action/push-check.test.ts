import { describe, expect, it } from 'vitest';
import { checkPush } from '../../src/action/apply/push-check.js';
import type { PushEvent } from '../../src/action/event.js';
import type { GhPullFile, GhPullRequest } from '../../src/providers/types.js';

const AFTER = 'a'.repeat(40);
const EVENT: PushEvent = {
  kind: 'push',
  ref: 'refs/heads/main',
  before: 'b'.repeat(40),
  after: AFTER,
  defaultBranch: 'main',
  commits: [AFTER],
  deleted: false,
};

function pull(overrides: Partial<GhPullRequest> = {}): GhPullRequest {
  return {
    number: 5,
    title: 'Handover',
    state: 'closed',
    merged: true,
    mergedAt: '2026-11-27T10:00:00Z',
    mergeCommitSha: AFTER,
    headSha: 'c'.repeat(40),
    headRef: 'handover/5',
    baseRef: 'main',
    author: 'alice-nv',
    htmlUrl: 'https://github.example/novavms/oncall/pull/5',
    ...overrides,
  };
}

function file(
  filename: string,
  status: GhPullFile['status'] = 'added',
  previousFilename: string | null = null,
): GhPullFile {
  return { filename, status, previousFilename };
}

function rules(input: Partial<Parameters<typeof checkPush>[0]>): string[] {
  return checkPush({
    event: EVENT,
    defaultBranch: 'main',
    pulls: [pull()],
    files: [file('handovers/a.yaml')],
    ...input,
  }).problems.map((p) => p.rule);
}

describe('checking the push', () => {
  it('accepts the merge of a pull request that only adds manifests', () => {
    const verdict = checkPush({
      event: EVENT,
      defaultBranch: 'main',
      pulls: [pull()],
      files: [file('handovers/a.yaml')],
    });
    expect(verdict).toMatchObject({ pull: { number: 5 }, problems: [] });
  });

  it.each([
    [
      'a push to another branch',
      { event: { ...EVENT, ref: 'refs/heads/feature' } },
      ['push.not-default-branch'],
    ],
    ['a commit no pull request merged', { pulls: [] }, ['push.not-from-pull-request']],
    [
      'a pull request that is not merged',
      { pulls: [pull({ merged: false })] },
      ['push.not-from-pull-request'],
    ],
    [
      'a pull request merged into another branch',
      { pulls: [pull({ baseRef: 'release' })] },
      ['push.not-from-pull-request'],
    ],
    [
      'a pull request whose merge commit is another one (the push only contains it)',
      { pulls: [pull({ mergeCommitSha: 'd'.repeat(40) })] },
      ['push.not-from-pull-request'],
    ],
    [
      'a file outside handovers/',
      { files: [file('handovers/a.yaml'), file('src/x.ts', 'modified')] },
      ['push.file-outside-handovers'],
    ],
    [
      'a manifest moved out of handovers/',
      { files: [file('a.yaml', 'renamed', 'handovers/a.yaml')] },
      ['push.file-outside-handovers'],
    ],
    ['a modified manifest', { files: [file('handovers/a.yaml', 'modified')] }, ['push.manifest-not-added']],
    ['a deleted manifest', { files: [file('handovers/a.yaml', 'removed')] }, ['push.manifest-not-added']],
    [
      'a renamed manifest',
      { files: [file('handovers/b.yaml', 'renamed', 'handovers/a.yaml')] },
      ['push.manifest-not-added'],
    ],
  ])('refuses %s', (_name, input, expected) => {
    expect(rules(input as Partial<Parameters<typeof checkPush>[0]>)).toEqual(expected);
  });
});
