import { TRADE_PASSWORD_WINDOW_MS } from './trade-password';

/**
 * How long a page form may be used after the platform issued it (`issuedAt`): a bank page is one sitting,
 * and a user who has not authorised it in 30 minutes has left it (the agent, too, gives an unsubmitted page
 * up after 30 minutes by default, DEPOSITORY_ABANDON_AFTER_MS). A form past it is refused (30053).
 */
export const FORM_LIFETIME_MS = 30 * 60_000;
/** How far ahead of the bank's clock a form's `issuedAt` may be (the platform's clock may run a little fast). */
export const FORM_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * How long a trade-password try is kept: every try of a form that is still live is younger than its
 * lifetime plus the skew, and the account lock counts the tries of TRADE_PASSWORD_WINDOW_MS, so deleting
 * older ones unlocks neither a live form nor an account.
 */
export const TRADE_PASSWORD_TRY_RETENTION_MS = Math.max(
  FORM_LIFETIME_MS + FORM_CLOCK_SKEW_MS,
  TRADE_PASSWORD_WINDOW_MS,
);

const ISSUED_AT_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/;

/** Whether a form issued at `issuedAt` may be used at `now`: LIVE, EXPIRED, or MALFORMED / FUTURE (refused as bad). */
export function formLife(issuedAt: unknown, now: Date): 'LIVE' | 'EXPIRED' | 'MALFORMED' | 'FUTURE' {
  if (typeof issuedAt !== 'string' || !ISSUED_AT_PATTERN.test(issuedAt)) return 'MALFORMED';
  const issuedMs = Date.parse(issuedAt);
  if (Number.isNaN(issuedMs)) return 'MALFORMED';
  if (issuedMs > now.getTime() + FORM_CLOCK_SKEW_MS) return 'FUTURE';
  return now.getTime() - issuedMs > FORM_LIFETIME_MS ? 'EXPIRED' : 'LIVE';
}
