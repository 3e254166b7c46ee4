import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A real local git repository standing in for the Actions checkout: `main` with handover.config.yaml and
 * handovers/, grown one commit per merged pull request (as a squash merge lands).
 */
export class TestRepo {
  constructor(readonly dir: string) {}

  private git(args: string[], env: Record<string, string> = {}): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: this.dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@novavms.example',
        GIT_COMMITTER_NAME: 'GitHub',
        GIT_COMMITTER_EMAIL: 'noreply@github.example',
        ...env,
      },
    });
  }

  init(files: Record<string, string>): string {
    mkdirSync(this.dir, { recursive: true });
    this.git(['init', '-q', '-b', 'main']);
    return this.commit(files, 'Initial commit');
  }

  /** One commit on main: `null` deletes a file. `daysAgo` back-dates it (the look-back window). */
  commit(files: Record<string, string | null>, message: string, options: { daysAgo?: number } = {}): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) rmSync(full);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    this.git(['add', '-A']);
    // Every commit is dated by this process's clock, never git's own: git runs without the test's
    // environment (a faked clock included), and the look-back window is computed from this clock.
    const date = new Date(Date.now() - (options.daysAgo ?? 0) * 24 * 3600_000).toISOString();
    this.git(['commit', '-q', '-m', message], { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
    return this.head();
  }

  /** One commit on main that adds `path` as a symbolic link to `target`. */
  link(path: string, target: string, message: string): string {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    symlinkSync(target, full);
    this.git(['add', '-A']);
    this.git(['commit', '-q', '-m', message]);
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']).trim();
  }
}
