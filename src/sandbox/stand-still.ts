import type { HeldMutation } from './types.js';

/**
 * How a stand-still ends for the requests caught in it: `answer` (released: each is answered, and the
 * waiting ones go on as if nothing happened) or `drop` (the client is gone: none is answered or applied,
 * and their connections are closed).
 */
export type HoldEnd = 'answer' | 'drop';

/**
 * The stand-still of `holdMutation`. It begins the moment the held mutation is decided, so nothing
 * decided after it can change the world, and is announced once the held request is recorded (and, in
 * `after` mode, applied): only then is the world exactly as a test expects it.
 */
export class StandStill {
  private ended: Promise<HoldEnd> | null = null;
  private end: ((how: HoldEnd) => void) | null = null;
  private announced: HeldMutation | null = null;
  private watchers: Array<(held: HeldMutation) => void> = [];
  private waiting = 0;
  private waitingWatchers: Array<{ count: number; resolve: () => void }> = [];

  begin(): void {
    this.ended = new Promise((resolve) => {
      this.end = resolve;
    });
  }

  /** How the current stand-still ends, or null when there is none. */
  get current(): Promise<HoldEnd> | null {
    return this.ended;
  }

  /** Like `current`, counting the caller among the requests that wait. */
  join(): Promise<HoldEnd> | null {
    if (!this.ended) return null;
    this.waiting += 1;
    this.waitingWatchers = this.waitingWatchers.filter((watcher) => {
      if (watcher.count > this.waiting) return true;
      watcher.resolve();
      return false;
    });
    return this.ended;
  }

  whenWaiting(count: number): Promise<void> {
    if (this.ended && this.waiting >= count) return Promise.resolve();
    return new Promise((resolve) => this.waitingWatchers.push({ count, resolve }));
  }

  get held(): HeldMutation | null {
    return this.announced;
  }

  announce(held: HeldMutation): void {
    if (!this.ended) return; // already released while the held change was being applied
    this.announced = held;
    for (const watcher of this.watchers.splice(0)) watcher(held);
  }

  whenHeld(): Promise<HeldMutation> {
    const held = this.announced;
    return held ? Promise.resolve(held) : new Promise((resolve) => this.watchers.push(resolve));
  }

  /** Ends the stand-still, if there is one; says whether there was. */
  finish(how: HoldEnd): boolean {
    const end = this.end;
    this.ended = null;
    this.end = null;
    this.announced = null;
    this.waiting = 0;
    end?.(how);
    return end !== null;
  }
}
