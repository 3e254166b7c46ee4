import type http from 'node:http';
import { api } from '@pagerduty/pdjs';
// The package's index does not re-export its parameter type; its own declaration file does.
import type { APIParameters } from '@pagerduty/pdjs/build/src/api.js';
import { errorMessage } from '../../format.js';
import { type Attempt, ConcurrencyLimit, kindForStatus, parseRetryAfter, withRetry } from '../retry.js';
import type { ProviderSettings } from '../types.js';
import { ProviderError, type ProviderErrorKind } from '../types.js';
import { connectionPool, responseObservingAgent } from './response-observer.js';
import { MalformedAnswer } from './wire.js';

/** One call to the REST API, and what it is about (for errors). */
export interface PdRequest {
  method: 'GET' | 'PUT' | 'POST';
  /** Below the base URL, ids already encoded: `/incidents/Q1ABC/notes`. */
  path: string;
  /** Array values are sent as repeated keys; name them with `[]` as PagerDuty does (`statuses[]`). */
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** The acting user's email: only the writes that act as a user send `From`. */
  from?: string;
  /** The operation, e.g. `incidents.reassign`, and its object, e.g. the incident id. */
  call: string;
  object?: string;
}

export interface PdAnswer {
  status: number;
  data: unknown;
}

const ACCEPT = 'application/vnd.pagerduty+json;version=2';

/**
 * Sends PagerDuty REST requests through @pagerduty/pdjs with our own retry loop, per-request
 * deadline and concurrency bound, and turns every failure into a ProviderError without the token.
 */
export class PagerDutyTransport {
  private readonly baseUrl: string;
  private readonly limit: ConcurrencyLimit;
  private readonly pool: http.Agent;

  constructor(private readonly settings: ProviderSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.limit = new ConcurrencyLimit(Math.max(1, settings.concurrency));
    this.pool = connectionPool(this.baseUrl);
  }

  /**
   * Sends with retries (429 after the server's delay; 5xx, network errors and timeouts with
   * backoff; never other 4xx) and parses the answer.
   *
   * `recover` makes a write safe to retry: after a failure that may have happened on the server
   * anyway (5xx, lost connection, timeout), it reads the current state and returns the result
   * if the write is already there, so a retry never makes a second note or override.
   */
  async send<T>(
    request: PdRequest,
    parse: (data: unknown) => T,
    recover?: () => Promise<T | undefined>,
  ): Promise<T> {
    let mayHaveHappened = false;
    return withRetry(this.settings.retry, async (): Promise<Attempt<T>> => {
      if (mayHaveHappened && recover) {
        try {
          const recovered = await recover();
          if (recovered !== undefined) return { ok: true, value: recovered };
        } catch (error) {
          if (error instanceof ProviderError) return { ok: false, error };
          throw error;
        }
      }
      const answer = await this.attempt(request);
      if (!answer.ok) {
        mayHaveHappened ||= ['server', 'network', 'timeout'].includes(answer.error.kind);
        return answer;
      }
      return this.parseAnswer(request, answer.value, parse);
    });
  }

  /** One exchange without retries; throws its ProviderError. For reads made while recovering a write. */
  async sendOnce<T>(request: PdRequest, parse: (data: unknown) => T): Promise<T> {
    const answer = await this.attempt(request);
    if (!answer.ok) throw answer.error;
    const parsed = this.parseAnswer(request, answer.value, parse);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  }

  private parseAnswer<T>(request: PdRequest, answer: PdAnswer, parse: (data: unknown) => T): Attempt<T> {
    try {
      return { ok: true, value: parse(answer.data) };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, error };
      if (error instanceof MalformedAnswer) {
        return {
          ok: false,
          error: this.error(request, 'server', answer.status, `unexpected answer: ${error.message}`),
        };
      }
      throw error;
    }
  }

  /** One HTTP exchange, inside the concurrency bound. */
  private attempt(request: PdRequest): Promise<Attempt<PdAnswer>> {
    const pace = this.settings.pace;
    return this.limit.run(async () => {
      if (pace) await pace();
      return this.exchange(request);
    });
  }

  private async exchange(request: PdRequest): Promise<Attempt<PdAnswer>> {
    const controller = new AbortController();
    let timedOut = false;
    let rateLimitedFor: { retryAfterMs: number | undefined } | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.settings.retry.timeoutMs);
    const agent = responseObservingAgent(this.pool, (response) => {
      if (response.statusCode !== 429) return;
      rateLimitedFor = { retryAfterMs: retryAfterMs(response.headers) };
      controller.abort(); // before pdjs can schedule its own fixed-delay retry
    });
    const headers: Record<string, string> = {
      Accept: ACCEPT,
      // PagerDuty's description allows exactly `application/json` (pdjs would add a charset).
      'Content-Type': 'application/json',
      ...(request.from !== undefined ? { From: request.from } : {}),
    };
    // pdjs's types come from RequestInit, which has no `agent`; node-fetch under it does take one.
    const parameters = {
      token: this.settings.token,
      url: `${this.baseUrl}${request.path}`,
      method: request.method,
      headers,
      ...(request.method === 'GET' ? { data: request.query ?? {} } : { data: request.body }),
      // pdjs's own timer never aborts anything (and keeps the process alive): we abort ourselves.
      requestTimeout: 0,
      // Never reached (we abort on a 429 first); if it were, pdjs would not sit idle for 20 s.
      retryTimeout: 0,
      signal: controller.signal,
      agent,
    } as unknown as APIParameters;
    try {
      const response = await api(parameters);
      if (response.ok)
        return { ok: true, value: { status: response.status, data: response.data as unknown } };
      const status = response.status;
      return {
        ok: false,
        error: this.error(
          request,
          kindForStatus(status),
          status,
          describeErrorBody(response.data),
          errorList(response.data),
        ),
        retryAfterMs: status === 429 ? retryAfterMs(response.headers) : undefined,
      };
    } catch (failure) {
      if (rateLimitedFor) {
        return {
          ok: false,
          error: this.error(request, 'rate-limited', 429, 'Rate Limit Exceeded'),
          retryAfterMs: rateLimitedFor.retryAfterMs,
        };
      }
      if (timedOut) {
        return {
          ok: false,
          error: this.error(
            request,
            'timeout',
            undefined,
            `no answer within ${this.settings.retry.timeoutMs} ms`,
          ),
        };
      }
      return { ok: false, error: this.failureError(request, failure) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** pdjs rejects with the Response when a body is not JSON, and with node-fetch's error on network failure. */
  private failureError(request: PdRequest, failure: unknown): ProviderError {
    const status = (failure as { status?: unknown } | null)?.status;
    if (typeof status === 'number') {
      const kind: ProviderErrorKind = status >= 200 && status < 300 ? 'server' : kindForStatus(status);
      return this.error(request, kind, status, 'the answer was not JSON');
    }
    return this.error(request, 'network', undefined, errorMessage(failure));
  }

  error(
    request: PdRequest,
    kind: ProviderErrorKind,
    status: number | undefined,
    detail: string,
    errors: readonly string[] = [],
  ): ProviderError {
    const error = new ProviderError(
      'pagerduty',
      request.call,
      request.object,
      kind,
      status,
      this.redact(detail),
    );
    return errors.length > 0 ? Object.assign(error, { errors: errors.map((e) => this.redact(e)) }) : error;
  }

  /** Error text can quote a request back (URLs, headers): the token never leaves this class. */
  private redact(text: string): string {
    const token = this.settings.token;
    if (!token) return text;
    return [token, encodeURIComponent(token)].reduce(
      (out, secret) => out.split(secret).join('[redacted]'),
      text,
    );
  }
}

/** PagerDuty's `Retry-After`, else its `ratelimit-reset` (seconds to wait), in milliseconds. */
function retryAfterMs(headers: http.IncomingHttpHeaders | Headers): number | undefined {
  const read = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const value = (headers as http.IncomingHttpHeaders)[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return parseRetryAfter(read('retry-after')) ?? parseRetryAfter(read('ratelimit-reset'));
}

/** The `errors` list of PagerDuty's error answer (per-item reasons of a bulk update), else empty. */
function errorList(data: unknown): string[] {
  const errors = (data as { error?: { errors?: unknown } } | null | undefined)?.error?.errors;
  return Array.isArray(errors) ? errors.filter((e): e is string => typeof e === 'string') : [];
}

/** The per-item reasons PagerDuty gave with an error answer (see `errorList`). */
export function pagerDutyErrors(error: ProviderError): readonly string[] {
  const errors = (error as ProviderError & { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors : [];
}

/** `{"error": {"message", "code", "errors"}}` as one line: `Invalid Input Provided: a; b (code 2001)`. */
export function describeErrorBody(data: unknown): string {
  const error = (data as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== 'object' || error === null) return 'no error details in the answer';
  const { message, code, errors } = error as { message?: unknown; code?: unknown; errors?: unknown };
  const details = Array.isArray(errors) ? errors.filter((e): e is string => typeof e === 'string') : [];
  const text = [typeof message === 'string' ? message : 'error', details.join('; ')]
    .filter(Boolean)
    .join(': ');
  return typeof code === 'number' ? `${text} (code ${code})` : text;
}
