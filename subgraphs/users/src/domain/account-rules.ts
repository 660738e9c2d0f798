import { assert } from '@wanxin/platform';

/** Mainland mobile numbers: 11 digits starting 13–19. */
const MOBILE_PATTERN = /^1[3-9][0-9]{9}$/;
export const PASSWORD_LENGTH_MIN = 8;
export const PASSWORD_LENGTH_MAX = 64;
/** Failed logins in a row that lock an account. */
export const LOGIN_FAILURES_MAX = 5;
export const LOGIN_LOCK_MS = 15 * 60 * 1000;
/** Failed logins from one address, over any accounts, within one window before it is refused. */
export const ADDRESS_FAILURES_MAX = 20;
export const ADDRESS_WINDOW_MS = 15 * 60 * 1000;

export function isValidMobile(mobile: string): boolean {
  return MOBILE_PATTERN.test(mobile);
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_LENGTH_MIN) return `must have at least ${PASSWORD_LENGTH_MIN} characters`;
  if (password.length > PASSWORD_LENGTH_MAX) return `must have at most ${PASSWORD_LENGTH_MAX} characters`;
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return 'must contain a letter and a digit';
  return null;
}

export function isLocked(lockedUntil: Date | null | undefined, now: Date): boolean {
  return lockedUntil != null && lockedUntil.getTime() > now.getTime();
}

/** After a failed login: the account locks once the failures in a row reach the maximum. */
export function lockAfterFailure(failuresInRow: number, now: Date): Date | null {
  assert(Number.isInteger(failuresInRow) && failuresInRow >= 1, `failures must count from 1, got ${failuresInRow}`);
  return failuresInRow >= LOGIN_FAILURES_MAX ? new Date(now.getTime() + LOGIN_LOCK_MS) : null;
}

/** When an address that failed `failures` times in the window starting `windowStartedAt` may try again; null: now. */
export function addressBlockedUntil(windowStartedAt: Date, failures: number, now: Date): Date | null {
  const windowEnd = new Date(windowStartedAt.getTime() + ADDRESS_WINDOW_MS);
  if (windowEnd.getTime() <= now.getTime()) return null;
  return failures >= ADDRESS_FAILURES_MAX ? windowEnd : null;
}
