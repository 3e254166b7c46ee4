import { createHash } from 'node:crypto';
import type { SandboxResponse } from '../types.js';

export function ok(body: unknown, status = 200): SandboxResponse {
  return { status, body };
}

/** A parsed input, or the sentence that tells the client what to send instead. */
export type Check<T> = { ok: true; value: T } | { ok: false; message: string };

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

/**
 * One page of `items` per the contract's pagination (`limit` + opaque `cursor` → `{items, nextCursor}`).
 * The cursor carries the offset and a digest of the filters it was issued for, so that a cursor replayed
 * with other filters is refused instead of silently skipping or repeating items.
 */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  filters: string,
): Check<{ items: T[]; nextCursor: string | null }> {
  const limitText = query.get('limit');
  let limit = DEFAULT_PAGE_SIZE;
  if (limitText !== null) {
    if (!/^\d{1,3}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_PAGE_SIZE) {
      return { ok: false, message: `'limit' must be a whole number from 1 to ${MAX_PAGE_SIZE}` };
    }
    limit = Number(limitText);
  }
  const digest = filterDigest(filters);
  let offset = 0;
  const cursor = query.get('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (!decoded || decoded.filters !== digest) {
      return {
        ok: false,
        message: "'cursor' is not a cursor this list issued for these filters: start again without it",
      };
    }
    offset = decoded.offset;
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return {
    ok: true,
    value: { items: page, nextCursor: next < items.length ? encodeCursor(next, digest) : null },
  };
}

function filterDigest(filters: string): string {
  return createHash('sha256').update(filters).digest('base64url').slice(0, 12);
}

function encodeCursor(offset: number, filters: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filters })).toString('base64url');
}

function decodeCursor(cursor: string): { offset: number; filters: string } | null {
  if (cursor.length > 200) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      o?: unknown;
      f?: unknown;
    };
    if (!Number.isSafeInteger(parsed.o) || (parsed.o as number) < 0 || typeof parsed.f !== 'string')
      return null;
    return { offset: parsed.o as number, filters: parsed.f };
  } catch {
    return null;
  }
}
