import { assert, retryDelayMs, type RetryPolicy } from '@wanxin/platform';

/** Attempts of one callback before it is given up (the first is immediate, or after the decision delay). */
export const CALLBACK_ATTEMPTS_MAX = 16;
/** The wait doubles after each failure up to base × 2^10 (about 34 minutes at the default base). */
export const CALLBACK_BACKOFF_DOUBLINGS_MAX = 10;
/** The default base delay: 2 s, so a callback is retried for about four hours in all. */
export const CALLBACK_RETRY_BASE_MS_DEFAULT = 2000;
/** Bounds of the base delay a simulator is configured with (tests use a few milliseconds). */
export const CALLBACK_RETRY_BASE_MS_MIN = 1;
export const CALLBACK_RETRY_BASE_MS_MAX = 60_000;

/** The schedule as the platform's retry curve: doubling from `baseMs`, capped, 16 attempts in all. */
function callbackRetryPolicy(baseMs: number): RetryPolicy {
  return {
    attemptsMax: CALLBACK_ATTEMPTS_MAX,
    firstDelayMs: baseMs,
    delayMaxMs: baseMs * 2 ** CALLBACK_BACKOFF_DOUBLINGS_MAX,
    // A provider's schedule is fixed: receivers and tests can tell when the next attempt comes.
    jitter: 0,
  };
}

/**
 * The wait before the next attempt after `attemptsMade` failed attempts: base × 2^(attemptsMade − 1),
 * at most base × 2^CALLBACK_BACKOFF_DOUBLINGS_MAX; null when that was the last attempt.
 */
export function callbackRetryDelayMs(attemptsMade: number, baseMs: number): number | null {
  assert(Number.isInteger(attemptsMade) && attemptsMade >= 1, `a retry follows an attempt, got ${attemptsMade}`);
  assert(baseMs >= CALLBACK_RETRY_BASE_MS_MIN && baseMs <= CALLBACK_RETRY_BASE_MS_MAX, `base out of range: ${baseMs}`);
  const policy = callbackRetryPolicy(baseMs);
  return attemptsMade >= policy.attemptsMax ? null : retryDelayMs(policy, attemptsMade);
}
