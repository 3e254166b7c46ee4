import { monotonicMs } from '../../clock.js';
import type { PagerDutyProvider } from '../../providers/types.js';

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

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = monotonicMs,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      while (this.sent.length > 0 && this.sent[0]! <= now - this.limit.windowMs) this.sent.shift();
      if (this.sent.length < this.limit.requests) {
        this.sent.push(now);
        return;
      }
      await this.sleep(Math.max(1, this.sent[0]! + this.limit.windowMs - now));
    }
  }
}

/** The same provider, each call waiting for the limiter first. */
export function pacePagerDuty(provider: PagerDutyProvider, limiter: SlidingWindowLimiter): PagerDutyProvider {
  const paced =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await limiter.take();
      return call(...args);
    };
  return {
    listIncidents: paced((query) => provider.listIncidents(query)),
    getIncident: paced((id) => provider.getIncident(id)),
    reassignIncident: paced((id, userId, from) => provider.reassignIncident(id, userId, from)),
    acknowledgeIncident: paced((id, from) => provider.acknowledgeIncident(id, from)),
    addNote: paced((id, content, from) => provider.addNote(id, content, from)),
    listNotes: paced((id) => provider.listNotes(id)),
    listLogEntries: paced((id) => provider.listLogEntries(id)),
    createOverride: paced((scheduleId, override) => provider.createOverride(scheduleId, override)),
    listOverrides: paced((scheduleId, since, until) => provider.listOverrides(scheduleId, since, until)),
    listOnCalls: paced((scheduleId, since, until) => provider.listOnCalls(scheduleId, since, until)),
    findUsers: paced((query) => provider.findUsers(query)),
    writeRefusal: paced((from) => provider.writeRefusal(from)),
  };
}
