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
}

/**
 * Every item of a classic-paginated list (`limit`/`offset`/`more`), each page retried on its own.
 * pdjs's `all()` cannot be used: it finds the resource name with a regex on `.com/`, so it throws
 * on any other host (the sandbox, a proxy).
 */
export async function listAllPages<T>(
  transport: PagerDutyTransport,
  request: PdRequest,
  key: string,
  readItem: (value: unknown) => T,
): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; ) {
    const query = { ...request.query, limit: String(PAGE_LIMIT), offset: String(offset) };
    const page = await transport.send({ ...request, query }, (data): PageOf<T> => {
      const body = object(data, 'answer');
      return {
        items: array(body[key], key).map(readItem),
        more: body.more === true,
        limit: typeof body.limit === 'number' && body.limit > 0 ? body.limit : PAGE_LIMIT,
      };
    });
    items.push(...page.items);
    if (!page.more) return items;
    if (page.items.length === 0) {
      throw transport.error(request, 'server', 200, `page at offset ${offset} is empty but announces more`);
    }
    offset += page.limit;
    if (offset + PAGE_LIMIT > PAGINATION_WINDOW) {
      throw transport.error(
        request,
        'invalid',
        undefined,
        `more than ${PAGINATION_WINDOW} results, the most PagerDuty lists: narrow the query`,
      );
    }
  }
}
