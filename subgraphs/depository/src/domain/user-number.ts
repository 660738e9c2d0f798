import { assert, isId } from '@wanxin/platform';

/** The user's number at the bank: derived from the user id, so a repeated event yields the same number. */
export function userNumberFor(userId: string): string {
  assert(isId(userId), `user id must be a UUID, got ${userId}`);
  return userId.replace(/-/g, '').toUpperCase();
}
