import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import { LOCK_CONFLICT_RETRY, retrying } from './retry';

// Its own module so that db.ts and migration-lock.ts (which db.ts imports) share it without a cycle.

/** Whether the database chose the transaction as a deadlock victim or it timed out waiting for a lock. */
export function isLockConflict(error: unknown): boolean {
  return error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
}

/**
 * Runs `work` (one whole transaction) again when the database chose it as a deadlock victim or it timed
 * out waiting for a lock: nothing of it was committed, so running it again is safe. Other errors, and
 * the last conflict, reach the caller.
 */
export function retryingLockConflicts<T>(work: () => Promise<T>): Promise<T> {
  return retrying(LOCK_CONFLICT_RETRY, work, { retryable: isLockConflict });
}
