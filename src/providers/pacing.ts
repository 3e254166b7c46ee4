import { monotonicMs } from '../clock.js';

/** At most `requests` in any `windowMs`. */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

/**
 * PagerDuty documents 960 requests a minute per API key (shared by every tool using the key). Staying
 * a little under it means a large handover never bounces off 429s, whose whole-second Retry-After
 * wastes more time than pacing does. The limiter spaces a long run evenly, so requests arrive as
 * spaced as they left: the margin only has to cover the jitter of their way there. 1% is ten requests
 * a minute, 0.6 s of spacing: far more than the spread of one connection's round trips. (It does not
 * cover another tool spending the same key's budget; no margin would.)
 */
export const PAGERDUTY_RATE_LIMIT: RateLimit = { requests: 950, windowMs: 60_000 };

/**
 * A client-side sliding window: a call proceeds once fewer than `requests` calls were let through in the
 * last `windowMs`. That keeps every interval of that length, and so any fixed window the server counts
 * in, within the limit. Waits only when the limit is reached, so small runs never wait at all.
 *
 * Past the first quarter of the window's budget, calls are also spaced evenly (one every
 * `windowMs / requests`). A plain sliding window lets the whole budget go in one burst and then stalls
 * for the rest of the window; the burst's requests reach the server bunched together, and a server
 * that counts in fixed windows starting at its own first arrival can then see a few more than the
 * limit in one of them: a 429 whose whole-second Retry-After stalls the request, and everything
 * waiting for it, far longer than the spacing costs. Spaced calls arrive spaced.
 */
export class SlidingWindowLimiter {
  /** When the calls in the current window were let through, oldest first. */
  private readonly sent: number[] = [];
  /** Index of the oldest call still in the window (the array is compacted now and then, not shifted). */
  private first = 0;
  /** The earliest instant the next spaced call may go (a reservation: waiters queue behind it). */
  private nextSpaced = Number.NEGATIVE_INFINITY;
  private readonly gapMs: number;
  private readonly freeBurst: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = monotonicMs,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.gapMs = limit.windowMs / limit.requests;
    this.freeBurst = Math.max(1, Math.floor(limit.requests / 4));
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      while (this.first < this.sent.length && this.sent[this.first]! <= now - this.limit.windowMs)
        this.first += 1;
      if (this.first > 1024) {
        this.sent.splice(0, this.first);
        this.first = 0;
      }
      const inWindow = this.sent.length - this.first;
      if (inWindow >= this.limit.requests) {
        await this.sleep(Math.max(1, this.sent[this.first]! + this.limit.windowMs - now));
        continue;
      }
      if (inWindow < this.freeBurst && this.nextSpaced <= now) {
        this.sent.push(now);
        return;
      }
      // Spaced: reserve the next slot, so that callers waiting together leave one gap apart.
      const slot = Math.max(now, this.nextSpaced);
      this.nextSpaced = slot + this.gapMs;
      if (slot > now) await this.sleep(slot - now);
      const at = this.clock();
      while (this.first < this.sent.length && this.sent[this.first]! <= at - this.limit.windowMs)
        this.first += 1;
      if (this.sent.length - this.first < this.limit.requests) {
        this.sent.push(at);
        return;
      }
    }
  }
}
