import { assert } from '@wanxin/platform';

/** Mainland mobile numbers: 11 digits starting 13–19. */
const MOBILE_PATTERN = /^1[3-9][0-9]{9}$/;
export const PASSWORD_LENGTH_MIN = 8;
export const PASSWORD_LENGTH_MAX = 64;

/** So many attempts from one address per window of `windowMs`. */
export interface AttemptLimit {
  attemptsMax: number;
  windowMs: number;
}

/** The users subgraph's throttles; each number is a setting (README, "Configuration"). */
export interface ThrottleLimits {
  /** Wrong passwords in a row that lock an account, and for how long. */
  accountLogin: { failuresMax: number; lockMs: number };
  /** Password checks from one address per window; a right password gives its attempt back. */
  addressLogin: AttemptLimit;
  /** Registrations (taken mobiles included) from one address per window. */
  addressRegister: AttemptLimit;
}

const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

/** Production's limits: 5 guesses per account and 20 per address per 15 minutes; 10 sign-ups per address an hour. */
export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  accountLogin: { failuresMax: 5, lockMs: FIFTEEN_MINUTES_MS },
  addressLogin: { attemptsMax: 20, windowMs: FIFTEEN_MINUTES_MS },
  addressRegister: { attemptsMax: 10, windowMs: 60 * 60 * 1000 },
};

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

/** Until when an account locked at `now` stays locked. */
export function lockedUntilAfter(now: Date, lockMs: number): Date {
  assert(Number.isInteger(lockMs) && lockMs > 0, `a lock lasts a positive time, got ${lockMs} ms`);
  return new Date(now.getTime() + lockMs);
}

/** A window that started at or before this instant has ended by `now`; later ones are still counting. */
export function windowClosedAtOrBefore(now: Date, limit: AttemptLimit): Date {
  return new Date(now.getTime() - limit.windowMs);
}

/** When a window that started at `windowStartedAt` ends: an address refused in it may try again then. */
export function windowEnd(windowStartedAt: Date, limit: AttemptLimit): Date {
  return new Date(windowStartedAt.getTime() + limit.windowMs);
}
