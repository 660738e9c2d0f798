import { hashSecret, verifySecret } from '@wanxin/platform';

/** Login passwords keep a 64-byte scrypt key (the bank's trade passwords keep 32); the format is the platform's. */
const PASSWORD_KEY_BYTES = 64;

/** `scrypt$N$r$p$salt$hash`, parameters stored so they can be raised later without breaking old hashes. */
export function hashPassword(password: string): Promise<string> {
  return hashSecret(password, PASSWORD_KEY_BYTES);
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  return verifySecret(password, stored);
}

/** A hash of nothing in particular: unknown mobiles cost the same time as wrong passwords. */
export const DECOY_PASSWORD_HASH = hashPassword('decoy-password-0');
