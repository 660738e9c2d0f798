import type { FilterQuery } from '@mikro-orm/core';
import {
  findPage,
  isId,
  publishEvent,
  recordTokenRevocation,
  type Connection,
  type EntityManager,
  type PageArgs,
  type Role,
  unreachable,
} from '@wanxin/platform';
import { UserTokensRevoked } from '@wanxin/platform/contracts';
import { UserErrors } from '../domain/errors';
import { adminActionRefusal, checkAdminReason, searchTextProblem, type AdminAction } from '../domain/user-admin';
import { UserAdminAction } from '../entities/user-admin-action.entity';
import { User } from '../entities/user.entity';
import { clearAccountLock } from './throttles';

/** What one admin action asks: who acts, on whom, why. */
export interface AdminActionRequest {
  action: AdminAction;
  adminId: string;
  userId: string;
  reason: string;
}

/**
 * Applies the account change of an action that the rules allowed, conditional on the state they read:
 * false when another request changed it first.
 */
async function changeAccount(em: EntityManager, action: AdminAction, userId: string, now: Date): Promise<boolean> {
  switch (action) {
    case 'DISABLE':
      return (await em.nativeUpdate(User, { id: userId, disabledAt: null }, { disabledAt: now })) > 0;
    case 'ENABLE':
      return (await em.nativeUpdate(User, { id: userId, disabledAt: { $ne: null } }, { disabledAt: null })) > 0;
    case 'UNLOCK':
      return clearAccountLock(em, userId, now);
    default:
      return unreachable(action, 'admin action');
  }
}

/**
 * disableUser / enableUser / unlockUser: the change, its audit row and, for a disable, the revocation of
 * the user's tokens (this subgraph's own row, and the event the others record it from) in one transaction.
 * Nothing changes on any refusal. Enabling leaves the revocation in place: tokens from before stay refused.
 */
export async function applyAdminAction(em: EntityManager, request: AdminActionRequest): Promise<User> {
  const { action, adminId, userId } = request;
  const reason = checkAdminReason(request.reason);
  if (!reason.ok) throw UserErrors.adminActionRefused(userId, reason.refusal);
  if (!isId(userId)) throw UserErrors.invalidUserId();
  const refusalNow = async () => {
    const user = await em.findOne(User, { id: userId }, { refresh: true });
    if (user === null) throw UserErrors.notFound(userId);
    return adminActionRefusal(action, user, adminId, new Date());
  };
  const refusal = await refusalNow();
  if (refusal !== null) throw UserErrors.adminActionRefused(userId, refusal);
  const now = new Date();
  const changed = await em.transactional(async (tx) => {
    if (!(await changeAccount(tx, action, userId, now))) return false;
    tx.persist(tx.create(UserAdminAction, { userId, action, adminId, reason: reason.reason, createdAt: now }));
    if (action === 'DISABLE') {
      await recordTokenRevocation(tx, userId, now);
      publishEvent(tx, UserTokensRevoked, userId, { userId, revokedAt: now.toISOString() }, now);
    }
    return true;
  });
  if (!changed) {
    // Another admin acted between the read and the update: the state they left is the refusal.
    const meanwhile = await refusalNow();
    throw meanwhile === null
      ? UserErrors.accountChangedMeanwhile(userId)
      : UserErrors.adminActionRefused(userId, meanwhile);
  }
  return em.findOneOrFail(User, { id: userId }, { refresh: true });
}

/** `users(role, text)`: newest first, by role and by text inside the mobile or the real name. */
export function findUsers(
  em: EntityManager,
  filter: { role: Role | null; text: string | null },
  page: PageArgs,
): Promise<Connection<User>> {
  const conditions: FilterQuery<User>[] = [];
  if (filter.role !== null) conditions.push({ role: filter.role });
  if (filter.text !== null) {
    const problem = searchTextProblem(filter.text);
    if (problem !== null) throw UserErrors.invalidSearchText(problem);
    const pattern = `%${filter.text.trim()}%`;
    conditions.push({ $or: [{ mobile: { $like: pattern } }, { realName: { $like: pattern } }] });
  }
  return findPage(em, User, conditions.length === 0 ? {} : { $and: conditions }, page);
}
