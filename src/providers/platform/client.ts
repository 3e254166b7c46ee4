import { ConcurrencyLimit, kindForStatus, parseRetryAfter, withRetry } from '../retry.js';
import type { ProviderSettings } from '../types.js';
import { ContractViolation, decodeErrorBody, decodePage } from './decode.js';
import { PlatformApiError } from './errors.js';

/** One call of the platform API, named as it appears in errors and logs: `tickets.update SUP-4411`. */
export interface PlatformCall {
  call: string;
  object?: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** Below the API root, segments already encoded: `/tickets/SUP-4411`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /**
   * False for a call whose repetition would repeat its effect (appending an annotation). Such a call is
   * retried only when the request certainly did nothing (429, connection refused); after a 5xx, a timeout
   * or a dropped connection it fails at once, because the first attempt may have taken effect and only a
   * read can tell. Every other call of this API is safe to repeat (state-setting, or refused when repeated).
   */
  idempotent?: boolean;
}

/** One attempt's outcome, as withRetry takes it; every error is this API's own. */
type PlatformAttempt<T> =
  | { ok: true; value: T }
  | { ok: false; error: PlatformApiError; retryAfterMs?: number };

/** Pages as large as the contract allows: fewer round trips against the rate limit. */
const PAGE_SIZE = 100;
/** A server that hands out cursors forever is broken; stop rather than loop. */
const MAX_PAGES = 10_000;
const MAX_DETAIL = 300;

/**
 * The only code that talks HTTP to the platform admin API: bearer auth, a real per-request deadline,
 * retries of 429 (after Retry-After) and 5xx (with backoff) but never of other refusals, a bound on calls
 * in flight, and every failure translated once into a PlatformApiError that never contains the token.
 */
export class PlatformClient {
  private readonly limit: ConcurrencyLimit;
  private readonly root: string;
  /** Named in network errors: where we tried to go, without path or query. */
  private readonly origin: string;

  constructor(private readonly settings: ProviderSettings) {
    this.limit = new ConcurrencyLimit(Math.max(1, settings.concurrency));
    this.root = settings.baseUrl.replace(/\/+$/, '');
    this.origin = URL.canParse(this.root) ? new URL(this.root).origin : this.root;
  }

  /** The decoded answer of a call that succeeded, after any retries. */
  request<T>(spec: PlatformCall, decode: (json: unknown, headers: Headers) => T): Promise<T> {
    return withRetry(this.settings.retry, async () => {
      const result = await this.limit.run(() => this.attempt(spec, decode));
      if (!result.ok && spec.idempotent === false && mayHaveTakenEffect(result.error)) {
        // Thrown rather than returned: withRetry must not try again.
        const { kind, status, detail, code } = result.error;
        throw new PlatformApiError(
          spec.call,
          spec.object,
          kind,
          status,
          `${detail} (not retried: it may have taken effect; read before trying again)`,
          code,
        );
      }
      return result;
    });
  }

  /** Every item of a paginated list, following `nextCursor` to the last page. */
  async listAll<T>(spec: PlatformCall, item: (value: unknown, where: string) => T): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = { ...spec.query, limit: String(PAGE_SIZE), cursor };
      const result = await this.request({ ...spec, query }, (json) => decodePage(json, item));
      items.push(...result.items);
      if (result.nextCursor === null) return items;
      if (seen.has(result.nextCursor)) break;
      seen.add(result.nextCursor);
      cursor = result.nextCursor;
    }
    throw this.error(
      spec,
      'server',
      undefined,
      'unexpected answer: the list never reaches its last page',
      undefined,
    );
  }

  private async attempt<T>(
    spec: PlatformCall,
    decode: (json: unknown, headers: Headers) => T,
  ): Promise<PlatformAttempt<T>> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.url(spec), {
        method: spec.method,
        headers: {
          authorization: `Bearer ${this.settings.token}`,
          accept: 'application/json',
          'user-agent': 'handover',
          ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        // The bearer token must go nowhere but the configured API: a redirect is reported, not followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.retry.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      return { ok: false, error: this.transportError(spec, error) };
    }

    if (response.status >= 200 && response.status < 300) {
      // Not retried: a 2xx that breaks the contract would break it again, and a write has happened.
      try {
        return { ok: true, value: decode(JSON.parse(text), response.headers) };
      } catch (error) {
        const why = error instanceof ContractViolation ? error.message : 'the body is not JSON';
        throw this.error(spec, 'server', response.status, `unexpected answer: ${why}`, undefined);
      }
    }
    if (response.status >= 300 && response.status < 400) {
      const detail = `the API answered a redirect to ${response.headers.get('location') ?? '(nowhere)'}; set PLATFORM_API_URL to the final URL`;
      return { ok: false, error: this.error(spec, 'invalid', response.status, detail, undefined) };
    }
    const refusal = decodeErrorBody(text);
    const detail = refusal ? `${refusal.code}: ${refusal.message}` : text.trim() || 'no explanation given';
    return {
      ok: false,
      error: this.error(spec, kindForStatus(response.status), response.status, detail, refusal?.code),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
  }

  private url(spec: PlatformCall): string {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) query.set(name, value);
    }
    const search = query.toString();
    return `${this.root}${spec.path}${search ? `?${search}` : ''}`;
  }

  private transportError(spec: PlatformCall, error: unknown): PlatformApiError {
    const name = (error as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return this.error(
        spec,
        'timeout',
        undefined,
        `no answer within ${this.settings.retry.timeoutMs} ms`,
        undefined,
      );
    }
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason =
      typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? (error as Error).message);
    return this.error(spec, 'network', undefined, `cannot reach ${this.origin}: ${reason}`, undefined);
  }

  private error(
    spec: PlatformCall,
    kind: PlatformApiError['kind'],
    status: number | undefined,
    detail: string,
    code: string | undefined,
  ): PlatformApiError {
    return new PlatformApiError(spec.call, spec.object, kind, status, this.scrub(detail), code);
  }

  /** Whatever a server echoes back, the token never reaches a message, a log or a journal. */
  private scrub(text: string): string {
    const token = this.settings.token;
    const scrubbed = token ? text.split(token).join('[redacted]') : text;
    return scrubbed.length > MAX_DETAIL ? `${scrubbed.slice(0, MAX_DETAIL)}…` : scrubbed;
  }
}

/** A refusal that proves nothing happened (429, or no connection at all) versus one that proves nothing. */
function mayHaveTakenEffect(error: PlatformApiError): boolean {
  if (error.kind === 'rate-limited') return false;
  if (error.kind === 'network') return !error.detail.endsWith('ECONNREFUSED');
  return error.kind === 'server' || error.kind === 'timeout';
}
