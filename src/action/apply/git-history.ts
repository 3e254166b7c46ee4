import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';

/** A manifest file that a commit on the default branch's first-parent history added. */
export interface AddedManifest {
  /** Repo-relative POSIX path, e.g. handovers/2026/2026-11-26-alice-to-bob.yaml. */
  path: string;
  /** The first-parent commit that added it: the merge (or squash / rebased) commit of its pull request. */
  commit: string;
  /** Committer date of that commit (ISO 8601): when it landed on the branch. */
  landedAt: string;
}

/**
 * Runs git and returns its stdout as bytes (a file's content is hashed exactly as stored); rejects with
 * git's stderr on a non-zero exit.
 */
export type GitRunner = (args: string[]) => Promise<Buffer>;

/**
 * git in the checkout, with a minimal environment: the tokens the action holds never reach a child
 * process (docs/design.md#secrets), and output is plain (no pager, no prompts, C locale).
 */
export function gitRunner(cwd: string, runner: NodeJS.ProcessEnv): GitRunner {
  const env: NodeJS.ProcessEnv = {
    PATH: runner.PATH ?? '/usr/bin:/bin',
    HOME: runner.HOME ?? cwd,
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
  };
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        { cwd, env, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' },
        (error, stdout, stderr) => {
          if (error)
            reject(new Error(`git ${args[0]} failed: ${stderr.toString('utf8').trim() || error.message}`));
          else resolve(stdout);
        },
      );
    });
}

const MANIFEST = /^handovers\/.+\.ya?ml$/i;

/**
 * Parses `git log -z --name-only --format=%x1e%H%x1f%cI`: records start with \x1e, the header ends at the
 * first NUL, then one NUL-terminated path per file (the first one preceded by a newline).
 */
export function parseAddedManifests(output: string): AddedManifest[] {
  const added: AddedManifest[] = [];
  for (const chunk of output.split('\x1e')) {
    if (chunk.length === 0) continue;
    const [header = '', ...names] = chunk.split('\0');
    const [commit = '', landedAt = ''] = header.split('\x1f');
    if (!/^[0-9a-f]{40}$/.test(commit)) continue;
    names.forEach((raw, index) => {
      const path = index === 0 ? raw.replace(/^\n/, '') : raw;
      if (MANIFEST.test(path)) added.push({ path, commit, landedAt });
    });
  }
  return added;
}

/** The questions the apply run asks of the repository's history. The only code that talks to git. */
export class GitHistory {
  constructor(private readonly runGit: GitRunner) {}

  private async git(args: string[]): Promise<string> {
    return (await this.runGit(args)).toString('utf8');
  }

  async isShallow(): Promise<boolean> {
    return (await this.git(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', '--verify', 'HEAD'])).trim();
  }

  /**
   * Manifests added on the whole first-parent history of `rev`, oldest first. The first parent of a merge
   * is the branch as it was, so a merge commit counts as the pull request's one change; renames count as
   * an add of the new path (and are refused later as not-an-add on the PR). There is deliberately no date
   * bound (`--since` stops at the first commit with an old date, and commit dates are whatever the
   * committer wrote): order comes from the graph, and how far back a run looks is decided by the ledger.
   */
  async addedManifests(rev: string): Promise<AddedManifest[]> {
    const output = await this.git([
      '-c',
      'core.quotePath=false',
      'log',
      '--first-parent',
      '-m',
      '--no-renames',
      '--diff-filter=A',
      '--name-only',
      '-z',
      '--reverse',
      '--format=%x1e%H%x1f%cI',
      rev,
      '--',
      'handovers/',
    ]);
    return parseAddedManifests(output);
  }

  /**
   * The tree entry of `path` at `rev` — its mode and object — or null when there is none. Mode 100644 or
   * 100755 is a regular file; 120000 a symbolic link (the blob is the link's target text); 160000 a submodule.
   */
  async entry(rev: string, path: string): Promise<{ mode: string; object: string } | null> {
    const out = await this.runGit(['ls-tree', '-z', '--full-tree', rev, '--', path]);
    const record = out.toString('utf8').split('\0')[0] ?? '';
    const match = /^(\d{6}) \w+ ([0-9a-f]{40,64})\t/.exec(record);
    return match ? { mode: match[1]!, object: match[2]! } : null;
  }

  /** The exact bytes of a blob. */
  async blobBytes(object: string): Promise<Buffer> {
    return this.runGit(['cat-file', 'blob', object]);
  }

  /** The blob id of `path` at `rev`, or null when the file does not exist there. */
  async blob(rev: string, path: string): Promise<string | null> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${rev}:${path}`])).trim() || null;
    } catch {
      return null;
    }
  }

  /**
   * SHA-256 of the exact bytes of `path` at `rev` (what apply's journal calls manifestSha256), or null
   * when the file does not exist there.
   */
  async sha256(rev: string, path: string): Promise<string | null> {
    const blob = await this.blob(rev, path);
    if (blob === null) return null;
    return createHash('sha256')
      .update(await this.runGit(['cat-file', 'blob', blob]))
      .digest('hex');
  }
}
