import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHistory, gitRunner, parseAddedManifests } from '../../src/action/apply/git-history.js';
import { TestRepo } from './harness/repo.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function history(repo: TestRepo): GitHistory {
  return new GitHistory(gitRunner(repo.dir, { PATH: process.env.PATH, HOME: repo.dir }));
}

describe("the default branch's history of handovers/", () => {
  it('lists the manifests each commit added, oldest first, ignoring changes, deletions and other files', async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-git-'));
    const repo = new TestRepo(dir);
    repo.init({ 'handover.config.yaml': 'x: 1\n' });
    const first = repo.commit({ 'handovers/2026/a b.yaml': 'a\n', 'handovers/README.md': 'r\n' }, 'add a');
    repo.commit({ 'handovers/2026/a b.yaml': 'changed\n' }, 'modify a');
    const second = repo.commit({ 'handovers/b.yml': 'b\n', 'src/x.ts': 'x\n' }, 'add b');
    repo.commit({ 'handovers/b.yml': null }, 'delete b');
    const added = await history(repo).addedManifests('HEAD');

    expect(added.map(({ path, commit }) => [path, commit])).toEqual([
      ['handovers/2026/a b.yaml', first],
      ['handovers/b.yml', second],
    ]);
    expect(Number.isNaN(Date.parse(added[0]!.landedAt))).toBe(false);
  });

  it('lists the whole history in graph order: no commit date can hide a manifest', async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-git-'));
    const repo = new TestRepo(dir);
    repo.init({ 'handover.config.yaml': 'x: 1\n' });
    repo.commit({ 'handovers/a.yaml': 'a\n' }, 'pending a');
    repo.commit({ 'handovers/b.yaml': 'b\n' }, 'pending b');
    // A commit dated 2001 on top: `git log --since` would stop here and hide both.
    repo.commit({ 'README.md': 'old\n' }, 'old-dated', { daysAgo: 365 * 25 });
    repo.commit({ 'handovers/old.yaml': 'o\n' }, 'old', { daysAgo: 30 });
    repo.commit({ 'handovers/new.yaml': 'n\n' }, 'new');
    const added = await history(repo).addedManifests('HEAD');
    expect(added.map((a) => a.path)).toEqual([
      'handovers/a.yaml',
      'handovers/b.yaml',
      'handovers/old.yaml',
      'handovers/new.yaml',
    ]);
  });

  it('tells a regular file from a symbolic link in a commit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-git-'));
    const repo = new TestRepo(dir);
    repo.init({ 'handover.config.yaml': 'x: 1\n' });
    const commit = repo.commit({ 'handovers/a.yaml': 'a\n', 'elsewhere.yaml': 'e\n' }, 'add');
    const linked = repo.link('handovers/x.yaml', '../elsewhere.yaml', 'add a link');
    const git = history(repo);
    expect((await git.entry(commit, 'handovers/a.yaml'))?.mode).toBe('100644');
    const link = await git.entry(linked, 'handovers/x.yaml');
    expect(link?.mode).toBe('120000');
    expect((await git.blobBytes(link!.object)).toString()).toBe('../elsewhere.yaml');
    expect(await git.entry(commit, 'handovers/none.yaml')).toBeNull();
  });

  it('answers what a file was at a commit, and whether the checkout is shallow', async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-git-'));
    const repo = new TestRepo(dir);
    repo.init({ 'handover.config.yaml': 'x: 1\n' });
    const added = repo.commit({ 'handovers/a.yaml': 'a\n' }, 'add');
    repo.commit({ 'handovers/a.yaml': 'b\n' }, 'change');
    const git = history(repo);
    expect(await git.blob(added, 'handovers/a.yaml')).not.toBe(await git.blob('HEAD', 'handovers/a.yaml'));
    expect(await git.blob('HEAD', 'handovers/none.yaml')).toBeNull();
    expect(await git.isShallow()).toBe(false);
    expect(await git.head()).toBe(repo.head());
  });

  it('hashes a file exactly as a commit holds it, bytes and all', async () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-git-'));
    const repo = new TestRepo(dir);
    repo.init({ 'handover.config.yaml': 'x: 1\n' });
    const content = 'id: caf\u00e9\r\nnote: "\u00ff"\n';
    const added = repo.commit({ 'handovers/a.yaml': content }, 'add');
    repo.commit({ 'handovers/a.yaml': 'changed\n' }, 'change');
    const git = history(repo);
    expect(await git.sha256(added, 'handovers/a.yaml')).toBe(
      createHash('sha256').update(content).digest('hex'),
    );
    expect(await git.sha256('HEAD', 'handovers/none.yaml')).toBeNull();
  });

  it('parses names with spaces and a record without manifests', () => {
    const sha = 'a'.repeat(40);
    const output = `\x1e${sha}\x1f2026-11-27T07:00:00+00:00\0\nhandovers/x y.yaml\0src/z.ts\0\x1e${'b'.repeat(40)}\x1f2026-11-27T08:00:00+00:00\0\nREADME.md\0`;
    expect(parseAddedManifests(output)).toEqual([
      { path: 'handovers/x y.yaml', commit: sha, landedAt: '2026-11-27T07:00:00+00:00' },
    ]);
  });
});
