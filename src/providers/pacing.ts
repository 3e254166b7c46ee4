import { monotonicMs } from '../clock.js';

/** At most `requests` in any `windowMs`. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

/**
 * PagerDuty documents 960 requests a minute per API key (shared by every tool using the key). Staying
 * a little under it means a large handover never bounces off 429s, whose whole-second Retry-After
 * wastes more time than pacing does.
 */
export const PAGERDUTY_RATE_LIMIT: RateLimit = { requests: 900, windowMs: 60_000 };

/**
 * A client-side sliding window: a call proceeds once fewer than `requests` calls were let through in the
 * last `windowMs`. That keeps every interval of that length, and so any fixed window the server counts
 * in, within the limit. Waits only when the limit is reached, so small runs never wait at all.
 */
export class SlidingWindowLimiter {
  /** When the calls in the current window were let through, oldest first. */
  private readonly sent: number[] = [];
  /** Index of the oldest call still in the window (the array is compacted now and then, not shifted). */
  private first = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = monotonicMs,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      while (this.first < this.sent.length && this.sent[this.first]! <= now - this.limit.windowMs)
        this.first += 1;
      if (this.first > 1024) {
        this.sent.splice(0, this.first);
        this.first = 0;
      }
      if (this.sent.length - this.first < this.limit.requests) {
        this.sent.push(now);
        return;
      }
      await this.sleep(Math.max(1, this.sent[this.first]! + this.limit.windowMs - now));
    }
  }
}
