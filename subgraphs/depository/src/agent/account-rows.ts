import { bankUserNoFor, rowLockOptions } from '@wanxin/platform';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@wanxin/platform';
import { DepositoryErrors } from '../domain/errors';
import { DepositoryAccount } from '../entities/depository-account.entity';

/**
 * The user's account row, created NOT_OPENED if the registration event has not arrived yet. The
 * unique user id makes the event handler and this path agree on one row, whoever comes first.
 */
export async function findOrCreateAccount(em: EntityManager, userId: string): Promise<DepositoryAccount> {
  const existing = await em.findOne(DepositoryAccount, { userId });
  if (existing !== null) return existing;
  try {
    await em.insert(
      em.create(DepositoryAccount, { userId, userNo: bankUserNoFor(userId), status: 'NOT_OPENED' }, { persist: false }),
    );
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  // In a transaction (the inbox's) a plain read keeps the snapshot from before a twin's insert
  // committed and would not find the row; a locking read sees the latest committed one.
  return em.findOneOrFail(DepositoryAccount, { userId }, em.isInTransaction() ? rowLockOptions(em) : {});
}

/** Runs the update that claims an ID number for the viewer's account; CONFLICT when another account holds it. */
export async function claimIdNumber(update: () => Promise<number>): Promise<number> {
  try {
    return await update();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw DepositoryErrors.idNumberTaken();
    throw error;
  }
}
