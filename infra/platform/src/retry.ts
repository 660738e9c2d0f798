import { assert } from './assert';

/**
 * The platform's one retry curve: exponential from `firstDelayMs`, doubling, capped at `delayMaxMs`, with
 * part of each delay drawn at random so that competing retriers (two deadlocked transactions, consumers of
 * one broken dependency) spread out instead of colliding again.
 */
export interface RetryPolicy {
  /** Runs in all, the first one included. */
  readonly attemptsMax: number;
  readonly firstDelayMs: number;
  readonly delayMaxMs: number;
  /** Share of each delay drawn at random: 0 none, 1 all of it ("full jitter"). */
  readonly jitter: number;
}

/** A failing event handler, in place, before the delivery goes back to the broker: 3 runs, ≤ 300 ms waited. */
export const HANDLER_RETRY: RetryPolicy = { attemptsMax: 3, firstDelayMs: 100, delayMaxMs: 200, jitter: 0.5 };
/** A transaction the database chose as a deadlock victim or that waited too long for a lock: 4 runs. */
export const LOCK_CONFLICT_RETRY: RetryPolicy = { attemptsMax: 4, firstDelayMs: 25, delayMaxMs: 200, jitter: 0.5 };

/** The pause after `failures` failed runs (1 for the first retry), within [delay × (1 − jitter), delay]. */
export function retryDelayMs(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  assert(Number.isInteger(failures) && failures >= 1, 'failures counts from 1');
  assert(policy.jitter >= 0 && policy.jitter <= 1, 'jitter is a share');
  const delayMs = Math.min(policy.delayMaxMs, policy.firstDelayMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(delayMs * (1 - policy.jitter * random()));
}

export interface RetryHooks {
  /** Whether this error may go away by itself (a deadlock, a broker hiccup); others reach the caller at once. */
  retryable(error: unknown): boolean;
  /** Told of every failure, with whether another run follows. */
  onFailure?(error: unknown, attempt: number, willRetry: boolean): void;
  sleep?(delayMs: number): Promise<void>;
  random?(): number;
}

const sleep = (delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

/** Runs `work` until it succeeds, fails with a non-retryable error, or has run `attemptsMax` times. */
export async function retrying<T>(
  policy: RetryPolicy,
  work: (attempt: number) => Promise<T>,
  hooks: RetryHooks,
): Promise<T> {
  assert(Number.isInteger(policy.attemptsMax) && policy.attemptsMax >= 1, 'a retry policy runs at least once');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      const willRetry = attempt < policy.attemptsMax && hooks.retryable(error);
      hooks.onFailure?.(error, attempt, willRetry);
      if (!willRetry) throw error;
      await (hooks.sleep ?? sleep)(retryDelayMs(policy, attempt, hooks.random));
    }
  }
}
