import type { EntityManager } from '@wanxin/platform';
import { DepositoryErrors } from '../domain/errors';
import { DepositoryAccount } from '../entities/depository-account.entity';

/** The user's opened account, or CONFLICT; money moves only through an opened account. */
export async function openedAccount(em: EntityManager, userId: string): Promise<DepositoryAccount> {
  const account = await em.findOne(DepositoryAccount, { userId });
  if (account?.status !== 'OPENED') throw DepositoryErrors.notOpened(account?.status ?? 'MISSING');
  return account;
}

/** The opened account that a positive `amountFen` is to move through, to or from the user's bound card. */
export async function accountToMoveThrough(
  em: EntityManager,
  userId: string,
  amountFen: bigint,
): Promise<DepositoryAccount> {
  if (amountFen <= 0n) throw DepositoryErrors.amountNotPositive();
  return openedAccount(em, userId);
}
