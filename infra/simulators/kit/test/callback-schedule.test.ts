// Proves the callback retry schedule (domain/callback-schedule.ts): the delay doubles from the base up
// to base × 2^10, every delay is bounded, and a callback is given up after CALLBACK_ATTEMPTS_MAX attempts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CALLBACK_ATTEMPTS_MAX,
  CALLBACK_BACKOFF_DOUBLINGS_MAX,
  CALLBACK_RETRY_BASE_MS_DEFAULT,
  callbackRetryDelayMs,
} from '../src';

test('the delay doubles after each failure, capped at base × 2^10', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((attempts) => callbackRetryDelayMs(attempts, 5)),
    [5, 10, 20, 40],
  );
  const cap = CALLBACK_RETRY_BASE_MS_DEFAULT * 2 ** CALLBACK_BACKOFF_DOUBLINGS_MAX;
  assert.equal(callbackRetryDelayMs(CALLBACK_BACKOFF_DOUBLINGS_MAX + 1, CALLBACK_RETRY_BASE_MS_DEFAULT), cap);
  assert.equal(callbackRetryDelayMs(CALLBACK_ATTEMPTS_MAX - 1, CALLBACK_RETRY_BASE_MS_DEFAULT), cap);
});

test('after the last attempt the callback is given up', () => {
  assert.equal(callbackRetryDelayMs(CALLBACK_ATTEMPTS_MAX, 5), null);
  assert.equal(callbackRetryDelayMs(CALLBACK_ATTEMPTS_MAX + 1, 5), null);
});

test('the whole default schedule is bounded: about four hours of retries', () => {
  let totalMs = 0;
  for (let attempts = 1; attempts < CALLBACK_ATTEMPTS_MAX; attempts += 1) {
    totalMs += callbackRetryDelayMs(attempts, CALLBACK_RETRY_BASE_MS_DEFAULT)!;
  }
  assert.ok(totalMs > 3 * 3600_000 && totalMs < 5 * 3600_000, `${totalMs} ms`);
});

test('nonsense inputs are refused', () => {
  assert.throws(() => callbackRetryDelayMs(0, 5));
  assert.throws(() => callbackRetryDelayMs(1, 0));
});
