import { assert } from './assert';

/**
 * Runs `work` over `items` with at most `concurrency` in flight; results in the items' order. After the
 * first failure no new item is started (the caller gets that failure once those in flight end).
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  assert(Number.isInteger(concurrency) && concurrency >= 1, `concurrency must be ≥ 1, got ${concurrency}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** `items` cut into consecutive lists of at most `size` (a batch to the bank, an `in (…)` list). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  assert(Number.isInteger(size) && size >= 1, `a chunk holds at least one item, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
