/** Runs `work` for every index below `count`, at most `concurrency` at a time, each worker taking the next index. */
export async function forEachBounded(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
