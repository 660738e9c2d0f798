// Proves mapBounded (bounded-parallel.ts): it starts at most `concurrency` calls at once and the next one
// as soon as one finishes, returns the results in the items' order whatever order the calls finish in
// (checked step by step and over random interleavings with fast-check's scheduler), calls nothing for no
// items, rejects with the error of a failed call, and refuses a concurrency below 1 or fractional. Also
// chunksOf (batches) and retryingLockConflicts (a deadlock victim's transaction run again, bounded).
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlockException } from '@mikro-orm/core';
import fc from 'fast-check';
import { AssertionError, chunksOf, LOCK_CONFLICT_RETRY, mapBounded, retryingLockConflicts } from '../src';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

/** Lets every settled promise's continuations run (no timer: one turn of the event loop). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Work whose calls the test finishes by hand, counting the calls in flight. */
function manualWork() {
  const calls = new Map<number, Deferred<string>>();
  const counts = { inFlight: 0, maxInFlight: 0 };
  const work = async (item: number) => {
    counts.inFlight += 1;
    counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
    const call = deferred<string>();
    calls.set(item, call);
    try {
      return await call.promise;
    } finally {
      counts.inFlight -= 1;
    }
  };
  return { calls, counts, work };
}

describe('mapBounded', () => {
  it("keeps at most N calls in flight, starts the next when one finishes, and keeps the items' order", async () => {
    const items = Array.from({ length: 10 }, (_, index) => index);
    const { calls, counts, work } = manualWork();
    const results = mapBounded(items, 3, work);
    await settle();
    assert.deepEqual([...calls.keys()], [0, 1, 2]);
    // Finish the newest open call each time: 2, 3, …, 9, then 1 and 0, an order unlike the items'.
    const finished = new Set<number>();
    while (finished.size < items.length) {
      const newest = Math.max(...[...calls.keys()].filter((item) => !finished.has(item)));
      finished.add(newest);
      calls.get(newest)?.resolve(`result ${newest}`);
      await settle();
      assert.equal(calls.size, Math.min(items.length, finished.size + 3), `after ${finished.size} finished`);
      assert.equal(counts.inFlight, calls.size - finished.size);
    }
    assert.deepEqual(
      await results,
      items.map((item) => `result ${item}`),
    );
    assert.equal(counts.maxInFlight, 3);
    assert.equal(counts.inFlight, 0);
  });

  it('starts every call at once when there are fewer items than N', async () => {
    const { calls, counts, work } = manualWork();
    const results = mapBounded([7, 8], 5, work);
    await settle();
    assert.deepEqual([...calls.keys()], [7, 8]);
    calls.get(8)?.resolve('eight');
    calls.get(7)?.resolve('seven');
    assert.deepEqual(await results, ['seven', 'eight']);
    assert.equal(counts.maxInFlight, 2);
  });

  it('returns nothing and calls nothing for no items', async () => {
    let called = 0;
    assert.deepEqual(await mapBounded([], 4, async () => (called += 1)), []);
    assert.equal(called, 0);
  });

  it('rejects with the error of a failed call', async () => {
    const { calls, work } = manualWork();
    const results = mapBounded([0, 1, 2, 3], 2, work);
    await settle();
    calls.get(0)?.resolve('zero');
    await settle();
    calls.get(2)?.reject(new Error('bank unreachable for item 2'));
    await assert.rejects(results, /bank unreachable for item 2/);
  });

  it('rejects with an error thrown by the work itself', async () => {
    await assert.rejects(
      mapBounded([1, 2, 3], 2, async (item) => {
        if (item === 3) throw new RangeError('item 3 refused');
        return item;
      }),
      RangeError,
    );
  });

  it('refuses a concurrency below 1 or fractional', async () => {
    for (const concurrency of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        mapBounded([1], concurrency, async (item) => item),
        AssertionError,
        `${concurrency}`,
      );
    }
  });

  it('keeps the order and the bound over random interleavings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (scheduler, items, concurrency) => {
          const counts = { inFlight: 0, maxInFlight: 0 };
          const work = async (item: number) => {
            counts.inFlight += 1;
            counts.maxInFlight = Math.max(counts.maxInFlight, counts.inFlight);
            await scheduler.schedule(Promise.resolve(), `call ${item}`);
            counts.inFlight -= 1;
            return item * 2;
          };
          const results = mapBounded(items, concurrency, work);
          await scheduler.waitAll();
          assert.deepEqual(
            await results,
            items.map((item) => item * 2),
          );
          assert.equal(counts.maxInFlight, Math.min(concurrency, items.length));
        },
      ),
      { numRuns: 300 },
    );
  });
});

test('chunksOf cuts a list into consecutive lists of at most the size, in order, and refuses a size below one', () => {
  assert.deepEqual(chunksOf([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunksOf([1, 2], 5), [[1, 2]]);
  assert.deepEqual(chunksOf([], 3), []);
  assert.throws(() => chunksOf([1], 0));
});

test('retryingLockConflicts runs a deadlocked transaction again, up to its bound, and passes any other error on', async () => {
  const deadlock = () =>
    new DeadlockException(Object.assign(new Error('Deadlock found'), { code: 'ER_LOCK_DEADLOCK' }));
  let runs = 0;
  assert.equal(
    await retryingLockConflicts(async () => {
      runs += 1;
      if (runs < 3) throw deadlock();
      return 'done';
    }),
    'done',
  );
  assert.equal(runs, 3);
  runs = 0;
  await assert.rejects(
    retryingLockConflicts(async () => {
      runs += 1;
      throw deadlock();
    }),
    DeadlockException,
  );
  assert.equal(runs, LOCK_CONFLICT_RETRY.attemptsMax);
  runs = 0;
  await assert.rejects(
    retryingLockConflicts(async () => {
      runs += 1;
      throw new Error('not a lock conflict');
    }),
    /not a lock conflict/,
  );
  assert.equal(runs, 1);
});
