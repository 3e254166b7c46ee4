import { api } from '@pagerduty/pdjs';
import type { APIParameters } from '@pagerduty/pdjs/build/src/api.js';
import { createPagerDutyProvider } from '../../src/providers/pagerduty.js';
import type { PagerDutyProvider, RetryPolicy } from '../../src/providers/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import type { RecordedRequest } from '../../src/sandbox/types.js';

/** Thursday 26 November 2026, 15:00 UTC: alice's week (from Monday 23rd, 16:00 UTC) on the seed rotation. */
export const PINNED_NOW = new Date('2026-11-26T15:00:00Z');

/** A sandbox whose clock the test moves by hand. */
export async function startPagerDutySandbox(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; clock: { now: Date } }> {
  const clock = { now: PINNED_NOW };
  const sandbox = await startSandbox({ now: () => clock.now, ...options });
  return { sandbox, clock };
}

/** A retry policy that never waits: it records what it would have slept. */
export function recordingRetry(overrides: Partial<RetryPolicy> = {}): {
  policy: RetryPolicy;
  sleeps: number[];
} {
  const sleeps: number[] = [];
  const policy: RetryPolicy = {
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    timeoutMs: 5_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...overrides,
  };
  return { policy, sleeps };
}

export function pagerDutyProvider(
  sandbox: Sandbox,
  options: { token?: string; retry?: Partial<RetryPolicy>; baseUrl?: string; concurrency?: number } = {},
): { provider: PagerDutyProvider; sleeps: number[] } {
  const { policy, sleeps } = recordingRetry(options.retry);
  const provider = createPagerDutyProvider({
    baseUrl: options.baseUrl ?? sandbox.urls.pagerduty,
    token: options.token ?? sandbox.tokens.pagerduty,
    retry: policy,
    concurrency: options.concurrency ?? 4,
  });
  return { provider, sleeps };
}

export interface RawAnswer {
  status: number;
  data: unknown;
  headers: Headers;
}

/**
 * One request through @pagerduty/pdjs itself, answered as it is (no checks): for tests of the
 * emulator's wire behaviour. Query arrays use PagerDuty's `name[]` keys.
 */
export async function rawPagerDuty(
  sandbox: Sandbox,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  options: {
    query?: Record<string, string | string[]>;
    body?: unknown;
    from?: string;
    token?: string | null;
  } = {},
): Promise<RawAnswer> {
  const parameters: APIParameters = {
    token: options.token === null ? '' : (options.token ?? sandbox.tokens.pagerduty),
    url: `${sandbox.urls.pagerduty}${path}`,
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(options.from !== undefined ? { From: options.from } : {}),
      ...(options.token === null ? { Authorization: '' } : {}),
    },
    data: (method === 'GET' ? (options.query ?? {}) : options.body) as object | undefined,
    requestTimeout: 0,
    retryTimeout: 0,
  };
  const response = await api(parameters);
  return { status: response.status, data: response.data as unknown, headers: response.headers };
}

export function pagerDutyRequests(sandbox: Sandbox): RecordedRequest[] {
  return sandbox.requests.filter((r) => r.service === 'pagerduty');
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}
