import { assert, hashSecret, verifySecret } from '@wanxin/platform';

/**
 * The trade password a user chooses when opening the account and types on the bank's page for every
 * recharge and withdrawal. Stored as `scrypt$N$r$p$salt$hash`; the parameters are kept in the hash so
 * they can be raised later without breaking old hashes.
 */

export const TRADE_PASSWORD_LENGTH_MIN = 6;
export const TRADE_PASSWORD_LENGTH_MAX = 64;

/** Trade passwords keep a 32-byte scrypt key (users' login passwords keep 64); the format is the platform's. */
const TRADE_PASSWORD_KEY_BYTES = 32;

/** Wrong trade passwords one page form (requestNo) takes; the last one refuses the form for good (30051). */
export const TRADE_PASSWORD_FORM_TRIES_MAX = 3;
/** Wrong trade passwords a user may type within TRADE_PASSWORD_WINDOW_MS; then every page is refused (30052). */
export const TRADE_PASSWORD_ACCOUNT_TRIES_MAX = 5;
export const TRADE_PASSWORD_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Each character's code is the previous one's plus `step` (123456, 654321, abcdef). */
function isRun(characters: readonly string[], step: number): boolean {
  const codes = characters.map((character) => character.codePointAt(0)!);
  return codes.every((code, index) => index === 0 || code === codes[index - 1] + step);
}

/**
 * Why a chosen trade password is refused, or null when it is acceptable: too short or long, one
 * character repeated, an ascending or descending run, or the tail of a mobile number the bank knows
 * for the user (`mobiles`, e.g. the card's) — the guesses an attacker tries first.
 */
export function tradePasswordProblem(password: string, mobiles: readonly string[] = []): string | null {
  const characters = [...password];
  const length = characters.length;
  if (length < TRADE_PASSWORD_LENGTH_MIN)
    return `the trade password needs at least ${TRADE_PASSWORD_LENGTH_MIN} characters`;
  if (length > TRADE_PASSWORD_LENGTH_MAX)
    return `the trade password may have at most ${TRADE_PASSWORD_LENGTH_MAX} characters`;
  const weak = 'the trade password is too easy to guess:';
  if (isRun(characters, 0)) return `${weak} one character repeated`;
  if (isRun(characters, 1) || isRun(characters, -1)) return `${weak} a run like 123456 or 654321`;
  if (mobiles.some((mobile) => mobile.endsWith(password))) return `${weak} the end of your mobile number`;
  return null;
}

/**
 * Whether the form or the user is locked after this many wrong trade passwords (the user's within
 * TRADE_PASSWORD_WINDOW_MS); a form's own lock is named first, as the one its tries reached.
 */
export function tradePasswordLock(wrongTriesOnForm: number, wrongTriesOfUser: number): 'FORM' | 'ACCOUNT' | null {
  if (wrongTriesOnForm >= TRADE_PASSWORD_FORM_TRIES_MAX) return 'FORM';
  if (wrongTriesOfUser >= TRADE_PASSWORD_ACCOUNT_TRIES_MAX) return 'ACCOUNT';
  return null;
}

export async function hashTradePassword(password: string): Promise<string> {
  assert(tradePasswordProblem(password) === null, 'only an acceptable trade password is hashed');
  return hashSecret(password, TRADE_PASSWORD_KEY_BYTES);
}

export async function verifyTradePassword(password: string, stored: string): Promise<boolean> {
  if ([...password].length > TRADE_PASSWORD_LENGTH_MAX) return false;
  return verifySecret(password, stored);
}
