import { unreachable } from '@wanxin/platform';
import { isLocked } from './account-rules';

/**
 * What an admin may do to an account, and when (disableUser, enableUser, unlockUser). Pure: the operation
 * applies the verdict with conditional updates, so two admins acting at once cannot both pass.
 */
export const ADMIN_ACTIONS = ['DISABLE', 'ENABLE', 'UNLOCK'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** Longest reason an admin gives, in characters. */
export const ADMIN_REASON_LENGTH_MAX = 200;
/** Longest text `users(text:)` searches for, in characters. */
export const USER_SEARCH_TEXT_LENGTH_MAX = 100;

/** The account as the rules read it. */
export interface AdminTarget {
  id: string;
  disabledAt: Date | null;
  lockedUntil: Date | null;
}

export type AdminActionRefusal =
  | { rule: 'REASON_REQUIRED' }
  | { rule: 'REASON_TOO_LONG'; lengthMax: number }
  | { rule: 'DISABLE_SELF' }
  | { rule: 'ALREADY_DISABLED' }
  | { rule: 'NOT_DISABLED' }
  | { rule: 'NOT_LOCKED' };

/** The reason as kept (trimmed), or why it is refused. */
export function checkAdminReason(
  reason: string,
): { ok: true; reason: string } | { ok: false; refusal: AdminActionRefusal } {
  const trimmed = reason.trim();
  if (trimmed === '') return { ok: false, refusal: { rule: 'REASON_REQUIRED' } };
  if (trimmed.length > ADMIN_REASON_LENGTH_MAX)
    return { ok: false, refusal: { rule: 'REASON_TOO_LONG', lengthMax: ADMIN_REASON_LENGTH_MAX } };
  return { ok: true, reason: trimmed };
}

/** Why `action` cannot be done to `target` by `adminId` now, or null when it can. */
export function adminActionRefusal(
  action: AdminAction,
  target: AdminTarget,
  adminId: string,
  now: Date,
): AdminActionRefusal | null {
  switch (action) {
    case 'DISABLE':
      // An admin who disabled themself could not undo it, and might be the last one.
      if (target.id === adminId) return { rule: 'DISABLE_SELF' };
      return target.disabledAt === null ? null : { rule: 'ALREADY_DISABLED' };
    case 'ENABLE':
      return target.disabledAt === null ? { rule: 'NOT_DISABLED' } : null;
    case 'UNLOCK':
      return isLocked(target.lockedUntil, now) ? null : { rule: 'NOT_LOCKED' };
    default:
      return unreachable(action, 'admin action');
  }
}

/** Text searched for in mobiles and real names: trimmed, 1–100 characters, no LIKE wildcards. */
export function searchTextProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'must not be empty (leave it out to list everyone)';
  if (trimmed.length > USER_SEARCH_TEXT_LENGTH_MAX)
    return `must have at most ${USER_SEARCH_TEXT_LENGTH_MAX} characters`;
  // SQLite's LIKE has no escape character by default and MariaDB's is `\`: neither can be escaped alike.
  if (/[%_\\]/.test(trimmed)) return 'must not contain %, _ or \\';
  return null;
}
