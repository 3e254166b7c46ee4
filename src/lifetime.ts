/**
 * When a long-running command (the sandbox) should stop: on a signal, when its stdin pipe closes, or
 * when the process tree that started it is gone. The last matters for `handover sandbox > env.sh &` in a
 * script: killing the script does not signal its background job, which would otherwise keep serving on
 * its port for good (and `npx` puts npm and a shell between the two, which outlive the script too).
 */
import { fstatSync, readFileSync } from 'node:fs';

export type StopReason =
  | { kind: 'signal'; signal: NodeJS.Signals }
  | { kind: 'stdin-closed' }
  | { kind: 'parent-gone'; pid: number };

export interface LifetimeOptions {
  /** How often the ancestors are looked at. */
  pollMs?: number;
  signals?: readonly NodeJS.Signals[];
  /** Watch stdin for its end when it is a pipe or a socket (never a terminal or /dev/null). */
  stdin?: NodeJS.ReadStream;
}

/** A process as /proc tells it: its pid and its start time, so that a reused pid is not mistaken for it. */
interface ProcessIdentity {
  pid: number;
  startTime: string;
}

/** `pid (comm) state ppid … starttime …`: comm may hold spaces and parentheses, so split after the last `)`. */
function readStat(pid: number): { ppid: number; startTime: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5); ppid is field 4, starttime field 22.
  const ppid = Number(fields[1]);
  const startTime = fields[19];
  return Number.isInteger(ppid) && startTime !== undefined ? { ppid, startTime } : undefined;
}

/**
 * The ancestors of this process up to (not including) pid 1, where /proc can tell (Linux). Elsewhere the
 * list is empty and only the parent's pid is watched.
 */
export function ancestors(): ProcessIdentity[] {
  const found: ProcessIdentity[] = [];
  let pid = process.ppid;
  while (pid > 1 && found.length < 64) {
    const stat = readStat(pid);
    if (!stat) break;
    found.push({ pid, startTime: stat.startTime });
    pid = stat.ppid;
  }
  return found;
}

/** The first watched ancestor that no longer runs, if any. */
export function goneAncestor(watched: readonly ProcessIdentity[], initialParent: number): number | undefined {
  if (process.ppid !== initialParent) return initialParent;
  for (const ancestor of watched) {
    if (readStat(ancestor.pid)?.startTime !== ancestor.startTime) return ancestor.pid;
  }
  return undefined;
}

function isPipeOrSocket(stdin: NodeJS.ReadStream): boolean {
  try {
    const stat = fstatSync((stdin as NodeJS.ReadStream & { fd?: number }).fd ?? 0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** Resolves with the first reason to stop; every watcher is removed by then. */
export function untilStopped(options: LifetimeOptions = {}): Promise<StopReason> {
  const { pollMs = 500, signals = ['SIGINT', 'SIGTERM', 'SIGHUP'], stdin } = options;
  const initialParent = process.ppid;
  const watched = ancestors();
  return new Promise((resolve) => {
    const cleanups: Array<() => void> = [];
    const stop = (reason: StopReason) => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      resolve(reason);
    };

    for (const signal of signals) {
      const onSignal = () => stop({ kind: 'signal', signal });
      process.on(signal, onSignal);
      cleanups.push(() => process.off(signal, onSignal));
    }

    if (stdin && isPipeOrSocket(stdin)) {
      // Whatever is written is ignored: only the end matters (the writer closed it, or exited).
      const onData = () => {};
      const onEnd = () => stop({ kind: 'stdin-closed' });
      stdin.on('data', onData);
      stdin.once('end', onEnd);
      stdin.once('close', onEnd);
      cleanups.push(() => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.off('close', onEnd);
        stdin.pause();
        stdin.destroy();
      });
    }

    const timer = setInterval(() => {
      const gone = goneAncestor(watched, initialParent);
      if (gone !== undefined) stop({ kind: 'parent-gone', pid: gone });
    }, pollMs);
    cleanups.push(() => clearInterval(timer));
  });
}

export function describeStop(reason: StopReason): string {
  switch (reason.kind) {
    case 'signal':
      return `stopped by ${reason.signal}`;
    case 'stdin-closed':
      return 'stopped: its standard input was closed';
    case 'parent-gone':
      return `stopped: the process that started it (pid ${reason.pid}) has exited`;
  }
}
