import type { PagerDutyTransport, PdRequest } from './transport.js';
import { array, object } from './wire.js';

/** The most PagerDuty serves per page of a classic-paginated list. */
export const PAGE_LIMIT = 100;
/** PagerDuty refuses any page with offset + limit above this (400): such a list cannot be read whole. */
export const PAGINATION_WINDOW = 10_000;

interface PageOf<T> {
  items: T[];
  more: boolean;
  limit: number;
  total: number | null;
}

export interface ListOptions<T = unknown> {
  /** Refuse (ProviderError 'invalid') rather than read more than this many items. */
  maxItems?: number;
  /** Told the first page's items as soon as it is read, while the other pages are still being read. */
  onFirstPage?: (items: readonly T[]) => void;
  /**
   * About how many items the caller expects: the pages that hold that many are asked for together
   * with the first, not after it (one round trip instead of two). A page past the list's end comes
   * back empty and is the cost of a guess too high; past the guess, pages follow as usual.
   */
  expectedItems?: number;
}

/**
 * Every item of a classic-paginated list (`limit`/`offset`/`more`), each page retried on its own.
 * The first page asks for `total=true`: knowing how many there are, the other pages are requested
 * side by side (each still waits for the rate limiter and the provider's concurrency bound), so a
 * list of 20 pages costs about one round trip more than one page, not twenty. Without a total (a
 * server that ignores it) the pages follow one another. pdjs's `all()` cannot be used: it finds the
 * resource name with a regex on `.com/`, so it throws on any other host (the sandbox, a proxy).
 */
export async function listAllPages<T>(
  transport: PagerDutyTransport,
  request: PdRequest,
  key: string,
  readItem: (value: unknown) => T,
  options: ListOptions<T> = {},
): Promise<T[]> {
  const max = Math.min(options.maxItems ?? PAGINATION_WINDOW, PAGINATION_WINDOW);
  const tooMany = () =>
    transport.error(
      request,
      'invalid',
      undefined,
      max < PAGINATION_WINDOW
        ? `more than ${max} results: not read`
        : `more than ${PAGINATION_WINDOW} results, the most PagerDuty lists: narrow the query`,
    );
  const page = (offset: number, total: boolean) =>
    transport.send(
      {
        ...request,
        query: {
          ...request.query,
          limit: String(PAGE_LIMIT),
          offset: String(offset),
          ...(total ? { total: 'true' } : {}),
        },
      },
      (data): PageOf<T> => {
        const body = object(data, 'answer');
        return {
          items: array(body[key], key).map(readItem),
          more: body.more === true,
          limit: typeof body.limit === 'number' && body.limit > 0 ? body.limit : PAGE_LIMIT,
          total: typeof body.total === 'number' ? body.total : null,
        };
      },
    );

  const firstPage = page(0, true); // first in the limiter's queue: the others wait on its answer anyway
  const early = new Map<number, ReturnType<typeof page>>();
  for (let offset = PAGE_LIMIT; offset < Math.min(options.expectedItems ?? 0, max); offset += PAGE_LIMIT) {
    const ahead = page(offset, false);
    ahead.catch(() => {}); // awaited below if the list reaches it
    early.set(offset, ahead);
  }
  const guesses = [...early.values()];
  try {
    return await readPages(await firstPage);
  } finally {
    // Guessed pages the list did not reach are still on their way: none outlives the call that sent it.
    await Promise.allSettled(guesses);
  }

  async function readPages(first: PageOf<T>): Promise<T[]> {
    // Told once this list's own next pages are asked for: what the caller starts then queues behind them.
    const tellFirstPage = () => options.onFirstPage?.(first.items);
    const items = [...first.items];
    if (!first.more) {
      tellFirstPage();
      return items;
    }
    // A server that pages by fewer than asked: the early offsets do not line up with its pages.
    if (first.limit !== PAGE_LIMIT) early.clear();
    const pageAt = (offset: number) => early.get(offset) ?? page(offset, false);
    if (first.items.length === 0) {
      throw transport.error(request, 'server', 200, 'page at offset 0 is empty but announces more');
    }
    if (first.total !== null) {
      if (first.total > max) throw tooMany();
      const offsets: number[] = [];
      for (let offset = first.limit; offset < first.total; offset += first.limit) offsets.push(offset);
      const pending = offsets.map(pageAt);
      tellFirstPage();
      const rest = await Promise.all(pending);
      for (const next of rest) items.push(...next.items);
      // Items created while reading can push the list past its total: read on from there, in order.
      let last = rest.at(-1) ?? first;
      let offset = (offsets.at(-1) ?? 0) + first.limit;
      while (last.more && last.items.length > 0) {
        if (offset + PAGE_LIMIT > max) throw tooMany();
        last = await pageAt(offset);
        items.push(...last.items);
        offset += last.limit;
      }
      return items;
    }
    tellFirstPage();
    for (let offset = first.limit, last = first; ; ) {
      if (offset + PAGE_LIMIT > max) throw tooMany();
      last = await pageAt(offset);
      items.push(...last.items);
      if (!last.more) return items;
      if (last.items.length === 0) {
        throw transport.error(request, 'server', 200, `page at offset ${offset} is empty but announces more`);
      }
      offset += last.limit;
    }
  }
}
