/**
 * Runs `task` over `items` with at most `limit` in flight, and resolves with the results in input order
 * once every task has settled. A task that throws does not stop the others; its error is rethrown after
 * all have finished (steps catch their own errors, so that is only ever a bug).
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const bound = Math.max(1, Math.min(limit, items.length));
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index]!, index);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: bound }, worker));
  if (firstError) throw firstError.error;
  return results;
}
