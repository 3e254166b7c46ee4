import type { SandboxResponse } from '../types.js';
import { invalidInput } from './errors.js';

/** PagerDuty's classic pagination: `limit` (default 25), `offset`, and `total=true` to count. */
export interface PageRequest {
  limit: number;
  offset: number;
  total: boolean;
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  more: boolean;
  /** null unless the request asked for `total=true`, as PagerDuty answers by default. */
  total: number | null;
}

const DEFAULT_LIMIT = 25;
/** The REST API never serves records beyond offset + limit = 10 000. */
export const MAX_PAGINATION_WINDOW = 10_000;

/** Reads `limit`/`offset`/`total`; a limit above `maxLimit` is lowered to it, as PagerDuty does. */
export function readPageRequest(query: URLSearchParams, maxLimit = 100): PageRequest | SandboxResponse {
  const limit = readCount(query.get('limit'), DEFAULT_LIMIT);
  const offset = readCount(query.get('offset'), 0);
  if (limit === undefined || limit < 1) return invalidInput('Limit must be a positive integer');
  if (offset === undefined) return invalidInput('Offset must be a non-negative integer');
  const clamped = Math.min(limit, maxLimit);
  if (offset + clamped > MAX_PAGINATION_WINDOW) {
    return invalidInput(`Offset+limit exceeds maximum allowed value of ${MAX_PAGINATION_WINDOW}.`);
  }
  return { limit: clamped, offset, total: query.get('total') === 'true' };
}

export function isPageRequest(value: PageRequest | SandboxResponse): value is PageRequest {
  return 'limit' in value;
}

export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  return {
    items: items.slice(request.offset, request.offset + request.limit),
    limit: request.limit,
    offset: request.offset,
    more: request.offset + request.limit < items.length,
    total: request.total ? items.length : null,
  };
}

/** The pagination fields of a list answer, beside the wrapped array. */
export function pageFields(page: Page<unknown>): {
  limit: number;
  offset: number;
  more: boolean;
  total: number | null;
} {
  return { limit: page.limit, offset: page.offset, more: page.more, total: page.total };
}

function readCount(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
