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
 *
 * The spacing also looks ahead: a call's gap to the next is widened when, at the full rate, the calls
 * to come would fill the window before the ones in it leave. Without that, a burst of that first
 * quarter followed by full-rate spacing fills the window after three quarters of it and stalls until
 * the burst leaves: at PagerDuty's 950 a minute, fifteen seconds with no request at all, 45 s into a
 * long run. With it, the burst is repaid while it is in the window (one call every 84 ms instead of
 * 63 ms), and reads made before a long run of writes, which leave the window early, cost nothing.
 */
export class SlidingWindowLimiter {
  /** When the calls in the current window were let through, oldest first. */
  private readonly sent: number[] = [];
  /** Index of the oldest call still in the window (the array is compacted now and then, not shifted). */
  private first = 0;
  /** The slots reserved by spaced callers still waiting for them, earliest first. */
  private readonly reserved: number[] = [];
  /** The earliest instant the next spaced call may go (a reservation: waiters queue behind it). */
  private nextSpaced = Number.NEGATIVE_INFINITY;
  private readonly fullRateGapMs: number;
  private readonly freeBurst: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = monotonicMs,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.fullRateGapMs = limit.windowMs / limit.requests;
    this.freeBurst = Math.max(1, Math.floor(limit.requests / 4));
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      this.forgetBefore(now);
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
      this.nextSpaced = slot + this.gapAfter(slot);
      this.reserved.push(slot);
      try {
        // The call keeps its slot until it goes. Timers may fire a little early (Node truncates a
        // fractional delay), and at the full rate the window is full until the very instant its oldest
        // call leaves: a call that woke early waits out the rest instead of queuing again behind every
        // slot reserved meanwhile, which would leave its own slot unused (one gap lost per window).
        for (;;) {
          const at = this.clock();
          this.forgetBefore(at);
          const full = this.sent.length - this.first >= this.limit.requests;
          const wait = Math.max(slot - at, full ? this.sent[this.first]! + this.limit.windowMs - at : 0);
          if (wait <= 0) {
            this.sent.push(at);
            return;
          }
          await this.sleep(wait);
        }
      } finally {
        this.reserved.splice(this.reserved.indexOf(slot), 1);
      }
    }
  }

  /** Moves past the calls that left the window by `now`. */
  private forgetBefore(now: number): void {
    while (this.first < this.sent.length && this.sent[this.first]! <= now - this.limit.windowMs)
      this.first += 1;
    if (this.first > 1024) {
      this.sent.splice(0, this.first);
      this.first = 0;
    }
  }

  /**
   * The gap after a call at `slot`: at least the full rate's, and wide enough that the window never
   * fills. The k-th oldest call in the window at `slot` leaves it at e_k; the calls after `slot` and
   * before e_k must fit in the room left after this one plus the k − 1 calls that left before it (one
   * may go at e_k itself), so the gap is at least (e_k − slot) / (room + k) for every k.
   */
  private gapAfter(slot: number): number {
    const { requests, windowMs } = this.limit;
    // (The microsecond absorbs the float error of summed gaps: 60 × (1000 / 60) may fall short of 1000.)
    const leftBy = slot - windowMs + 1e-3;
    let sentFrom = this.first;
    while (sentFrom < this.sent.length && this.sent[sentFrom]! <= leftBy) sentFrom += 1;
    let reservedFrom = 0;
    while (reservedFrom < this.reserved.length && this.reserved[reservedFrom]! <= leftBy) reservedFrom += 1;
    const room = requests - (this.sent.length - sentFrom) - (this.reserved.length - reservedFrom) - 1;
    let gap = this.fullRateGapMs;
    // Oldest first: every sent call went before every slot still reserved. With no room after this call
    // (room ≤ 0), nothing can go before the (1 − room)-th oldest call leaves: the loop starts there.
    const inWindow = this.sent.length - sentFrom;
    const calls = inWindow + this.reserved.length - reservedFrom;
    for (let k = Math.max(1, 1 - room); k <= calls; k += 1) {
      const share = room + k;
      // A later call leaves at most a window after `slot`: past this k none can need a wider gap.
      if (windowMs / share <= gap) return gap;
      const at =
        k <= inWindow ? this.sent[sentFrom + k - 1]! : this.reserved[reservedFrom + k - 1 - inWindow]!;
      gap = Math.max(gap, (at + windowMs - slot) / share);
    }
    return gap;
  }
}

/** A pace for PagerDuty clients that share one key's budget: each call waits for one new limiter. */
export function pagerDutyPacer(limit: RateLimit = PAGERDUTY_RATE_LIMIT): () => Promise<void> {
  const limiter = new SlidingWindowLimiter(limit);
  return () => limiter.take();
}
