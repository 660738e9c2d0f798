import { assert } from '@wanxin/platform';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How long the bank waits after each failed notification before the next attempt: 15 s, 15 s, 30 s,
 * 3 min, 10 min, 20 min, 30 min ×3, 60 min, 3 h ×3, 6 h ×2 (about a day in all). The first attempt is
 * immediate, so a notification is tried at most 16 times before it is given up.
 */
export const NOTIFICATION_RETRY_DELAYS_MS: readonly number[] = [
  15 * SECOND_MS,
  15 * SECOND_MS,
  30 * SECOND_MS,
  3 * MINUTE_MS,
  10 * MINUTE_MS,
  20 * MINUTE_MS,
  30 * MINUTE_MS,
  30 * MINUTE_MS,
  30 * MINUTE_MS,
  60 * MINUTE_MS,
  3 * HOUR_MS,
  3 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  6 * HOUR_MS,
];

export const NOTIFICATION_ATTEMPTS_MAX = NOTIFICATION_RETRY_DELAYS_MS.length + 1;

/** Tests shrink the schedule (BANK_NOTIFY_SCHEDULE_SCALE); 1 is the real one. */
export const NOTIFICATION_SCHEDULE_SCALE_MAX = 1000;

/**
 * The wait before the next attempt after `attemptsMade` failed attempts, or null when that was the last
 * one and the notification is given up.
 */
export function notificationRetryDelayMs(attemptsMade: number, scale: number): number | null {
  assert(
    Number.isInteger(attemptsMade) && attemptsMade >= 1,
    `a retry follows at least one attempt, got ${attemptsMade}`,
  );
  assert(scale > 0 && scale <= NOTIFICATION_SCHEDULE_SCALE_MAX, `schedule scale out of range: ${scale}`);
  if (attemptsMade >= NOTIFICATION_ATTEMPTS_MAX) return null;
  return Math.max(1, Math.round(NOTIFICATION_RETRY_DELAYS_MS[attemptsMade - 1] * scale));
}
