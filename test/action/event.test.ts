import { describe, expect, it } from 'vitest';
import { decodeEvent, readEvent } from '../../src/action/event.js';

const SHA = 'a'.repeat(40);
const pull = (headRepo: string | null) => ({
  number: 7,
  head: { sha: SHA, ref: 'handover/x', repo: headRepo === null ? null : { full_name: headRepo } },
  base: { ref: 'main', repo: { full_name: 'novavms/oncall' } },
});

describe('the event that started the run', () => {
  it('reads a pull request, and tells a fork (no secrets) from a branch of the repository', () => {
    expect(decodeEvent('pull_request', { pull_request: pull('novavms/oncall') })).toEqual({
      kind: 'pull-request',
      name: 'pull_request',
      number: 7,
      headSha: SHA,
      baseRef: 'main',
      fromFork: false,
    });
    expect(decodeEvent('pull_request_review', { pull_request: pull('mallory/oncall') })).toMatchObject({
      fromFork: true,
    });
    expect(decodeEvent('pull_request', { pull_request: pull(null) })).toMatchObject({ fromFork: true });
  });

  it('reads a push with its commits and the default branch', () => {
    const event = decodeEvent('push', {
      ref: 'refs/heads/main',
      before: 'b'.repeat(40),
      after: SHA,
      commits: [{ id: SHA }, { id: 'not-a-sha' }],
      repository: { default_branch: 'main' },
    });
    expect(event).toEqual({
      kind: 'push',
      ref: 'refs/heads/main',
      before: 'b'.repeat(40),
      after: SHA,
      defaultBranch: 'main',
      commits: [SHA],
      deleted: false,
    });
  });

  it.each([
    ['pull_request', { pull_request: { number: '7' } }],
    ['pull_request', null],
    ['workflow_dispatch', { inputs: {} }],
  ])('treats %s with a payload it cannot use as another event', (name, payload) => {
    expect(decodeEvent(name, payload).kind).toBe('other');
  });

  it('survives a missing or unreadable payload file', () => {
    expect(readEvent({ GITHUB_EVENT_NAME: 'push' }, () => '{}')).toEqual({ kind: 'other', name: 'push' });
    expect(
      readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/x' }, () => {
        throw new Error('ENOENT');
      }),
    ).toEqual({ kind: 'other', name: 'push' });
    expect(readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: '/x' }, () => 'not json').kind).toBe(
      'other',
    );
  });
});
