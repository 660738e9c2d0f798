// The platform's one retry curve: bounded runs, delays within the curve, no retry of what cannot heal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HANDLER_RETRY, LOCK_CONFLICT_RETRY, retryDelayMs, retrying, type RetryPolicy } from '../src';

const POLICY: RetryPolicy = { attemptsMax: 5, firstDelayMs: 100, delayMaxMs: 500, jitter: 0.5 };

/** A run that always fails with `errorOf(its run number)`, and how many times it ran. */
function alwaysFailing(errorOf: (run: number) => Error): { run: () => Promise<never>; runs: () => number } {
  let runs = 0;
  return {
    run: async () => {
      runs += 1;
      throw errorOf(runs);
    },
    runs: () => runs,
  };
}

test('delays double from the first, stop at the cap, and jitter only shortens them by its share', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 40].map((failures) => retryDelayMs(POLICY, failures, () => 0)),
    [100, 200, 400, 500, 500],
  );
  assert.deepEqual(
    [1, 2, 3, 4].map((failures) => retryDelayMs(POLICY, failures, () => 1)),
    [50, 100, 200, 250],
  );
  for (let failures = 1; failures <= 10; failures += 1) {
    const delayMs = retryDelayMs(POLICY, failures);
    const full = Math.min(POLICY.delayMaxMs, POLICY.firstDelayMs * 2 ** (failures - 1));
    assert.ok(delayMs >= full / 2 && delayMs <= full, `${delayMs} ms after ${failures} failures`);
  }
  assert.throws(() => retryDelayMs(POLICY, 0), /failures counts from 1/);
});

test('a failing run is retried until attemptsMax, sleeping the curve in between, and the last error reaches the caller', async () => {
  const slept: number[] = [];
  const told: [number, boolean][] = [];
  const failing = alwaysFailing((run) => new Error(`run ${run}`));
  await assert.rejects(
    retrying(POLICY, failing.run, {
      retryable: () => true,
      onFailure: (_error, attempt, willRetry) => told.push([attempt, willRetry]),
      sleep: async (delayMs) => {
        slept.push(delayMs);
      },
      random: () => 0,
    }),
    /run 5/,
  );
  assert.equal(failing.runs(), 5);
  assert.deepEqual(slept, [100, 200, 400, 500]);
  assert.deepEqual(told, [
    [1, true],
    [2, true],
    [3, true],
    [4, true],
    [5, false],
  ]);
});

test('success ends the retries; a non-retryable error is thrown at once', async () => {
  const sleep = async () => undefined;
  assert.equal(
    await retrying(
      POLICY,
      async (attempt) => {
        if (attempt < 3) throw new Error('transient');
        return attempt;
      },
      { retryable: () => true, sleep },
    ),
    3,
  );
  const buggy = alwaysFailing(() => new TypeError('a bug'));
  await assert.rejects(
    retrying(POLICY, buggy.run, { retryable: (error) => !(error instanceof TypeError), sleep }),
    TypeError,
  );
  assert.equal(buggy.runs(), 1);
});

test('the named policies: a handler waits at most 300 ms in place, a lock conflict runs 4 times', () => {
  const waitedMs = (policy: RetryPolicy) =>
    Array.from({ length: policy.attemptsMax - 1 }, (_, index) => retryDelayMs(policy, index + 1, () => 0)).reduce(
      (a, b) => a + b,
      0,
    );
  assert.equal(waitedMs(HANDLER_RETRY), 300);
  assert.equal(HANDLER_RETRY.attemptsMax, 3);
  assert.equal(LOCK_CONFLICT_RETRY.attemptsMax, 4);
});
