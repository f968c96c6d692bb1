/** Default of the provider's `concurrency`: KMS calls in flight at once for per-kid or per-version work. */
export const DEFAULT_CONCURRENCY = 8;
/** Largest `concurrency` accepted. */
export const MAX_CONCURRENCY = 64;

/** Maps over items with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
