/**
 * Before its first write, apply reads once from every service it will write to (docs/apply.md). A service
 * that is down at the start then costs seconds and no write anywhere, instead of a handover half applied
 * to the services that answered while retries against the one that did not run for minutes.
 *
 * Each probe is one cheap read, sent once (no retry) with a short timeout, all services at once. Apply
 * calls `unreachableServices` in its preflight; a permission check of the same services can sit beside it.
 */
import type { Clock } from '../clock.js';
import type { HandoverConfig } from '../config/types.js';
import { createProviders } from '../providers/index.js';
import { ProviderError, type Providers, type ServiceName } from '../providers/types.js';

/** How long a probe waits for an answer: a live service answers a list call in well under a second. */
export const PROBE_TIMEOUT_MS = 5_000;

/** The services apply writes to: PagerDuty (override, notes), Slack (summary), the platform (tickets, rollouts). */
export const WRITTEN_SERVICES: readonly ServiceName[] = ['pagerduty', 'slack', 'platform'];

export interface Unreachable {
  service: ServiceName;
  /** One line: what was tried and what came of it, never a secret. */
  message: string;
}

type Probe = (providers: Providers) => Promise<unknown>;

/** One read per service, each harmless and small. */
function probes(config: HandoverConfig, now: Date): Record<ServiceName, Probe | null> {
  const until = new Date(now.getTime() + 60_000).toISOString();
  return {
    pagerduty: (p) => p.pagerduty.listOnCalls(config.pagerduty.scheduleId, now.toISOString(), until),
    // Messages since now: none, but the call proves the token and the channel too.
    slack: (p) => p.slack.history(config.slack.channel, (now.getTime() / 1000).toFixed(6)),
    platform: (p) => p.platform.listRollouts(['ramping']),
    github: null,
  };
}

/**
 * The services among `services` that did not answer one read within `timeoutMs`: an empty list means
 * every one answered (whatever the answer's content). Creates its own clients with no retry, so a
 * refused connection or a silent service is reported at once. A service in `answered` is not probed:
 * a read the caller already sent (once, with the same timeout) stands in for the probe, settling when
 * that read's first answer came or it failed.
 */
export async function unreachableServices(input: {
  env: NodeJS.ProcessEnv;
  config: HandoverConfig;
  now: Clock;
  services?: readonly ServiceName[];
  timeoutMs?: number;
  answered?: Partial<Record<ServiceName, Promise<unknown>>>;
}): Promise<Unreachable[]> {
  const timeoutMs = input.timeoutMs ?? PROBE_TIMEOUT_MS;
  const answered = input.answered ?? {};
  const all = probes(input.config, input.now());
  const services = (input.services ?? WRITTEN_SERVICES).filter(
    (service) => all[service] !== null || answered[service] !== undefined,
  );
  const probed = services.filter((service) => answered[service] === undefined);
  const providers =
    probed.length > 0
      ? createProviders(input.env, input.config, { need: [], retry: { maxAttempts: 1, timeoutMs } })
      : null;
  const results = await Promise.all(
    services.map((service) =>
      reachedOrWhy(service, answered[service] ?? (all[service] as Probe)(providers as Providers), timeoutMs),
    ),
  );
  return results.filter((result): result is Unreachable => result !== null);
}

/** Null once `read` settles with an answer of any kind; why not, when it timed out or found nothing there. */
async function reachedOrWhy(
  service: ServiceName,
  read: Promise<unknown>,
  timeoutMs: number,
): Promise<Unreachable | null> {
  let timer: NodeJS.Timeout | undefined;
  // A guard above the clients' own timeouts: the check must end in about `timeoutMs` whatever a
  // client does with a connection that never answers.
  const guard = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs + 500);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([read.then(() => 'answered' as const), guard]);
    if (outcome === 'timeout')
      return { service, message: `${service} did not answer within ${timeoutMs / 1000} s` };
    return null;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    // Any answer, even an error status (auth, not-found, a 5xx), shows something is there to write
    // to; the steps deal with those as they always do, retries included.
    if (error.kind === 'network' || error.kind === 'timeout') return { service, message: error.message };
    return null;
  } finally {
    clearTimeout(timer);
  }
}
