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

/**
 * A bound on tasks in flight shared by several callers, where earlier ranks go first: a free slot takes
 * the oldest task of the lowest rank waiting. Step 2 queues every status note (rank 0) at once, and
 * each batch's acknowledgement notes (rank 1) when its bulk updates are done; so the notes are written
 * batch after batch, and a batch's bulk updates go while the next batch's notes are still being written
 * instead of leaving PagerDuty's lane idle.
 */
export class RankedPool {
  private readonly waiting: Array<Array<() => void>> = [];
  private running = 0;

  constructor(private readonly limit: number) {}

  /** Runs `task` once a slot is free and no task of a lower rank waits; settles as `task` does. */
  run<R>(rank: number, task: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const start = () => {
        this.running += 1;
        // Through then(): a task that throws before its first await rejects like any other.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.next();
          });
      };
      const queue = this.waiting[rank] ?? [];
      this.waiting[rank] = queue;
      queue.push(start);
      this.next();
    });
  }

  /**
   * `task` over every item in this pool at `rank`, results in input order once every task has settled;
   * as mapConcurrent, one task's error is rethrown only after all have finished.
   */
  async map<T, R>(items: readonly T[], rank: number, task: (item: T) => Promise<R>): Promise<R[]> {
    const settled = await Promise.allSettled(items.map((item) => this.run(rank, () => task(item))));
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<R>).value);
  }

  private next(): void {
    while (this.running < Math.max(1, this.limit)) {
      const queue = this.waiting.find((tasks) => tasks !== undefined && tasks.length > 0);
      const start = queue?.shift();
      if (!start) return;
      start();
    }
  }
}
