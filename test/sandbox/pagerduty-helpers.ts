import { api } from '@pagerduty/pdjs';
import type { APIParameters } from '@pagerduty/pdjs/build/src/api.js';
import { createPagerDutyProvider } from '../../src/providers/pagerduty.js';
import type { PagerDutyProvider, RetryPolicy } from '../../src/providers/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { recordingRetry } from '../support/retry.js';

export function pagerDutyProvider(
  sandbox: Sandbox,
  options: {
    token?: string;
    retry?: Partial<RetryPolicy>;
    baseUrl?: string;
    concurrency?: number;
    /** Awaited before every HTTP request, as the rate limiter is. */
    pace?: () => Promise<void>;
  } = {},
): { provider: PagerDutyProvider; sleeps: number[] } {
  const { policy, sleeps } = recordingRetry(options.retry);
  const provider = createPagerDutyProvider({
    baseUrl: options.baseUrl ?? sandbox.urls.pagerduty,
    token: options.token ?? sandbox.tokens.pagerduty,
    retry: policy,
    concurrency: options.concurrency ?? 4,
    ...(options.pace ? { pace: options.pace } : {}),
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
