import type { EntityManager } from '@wanxin/platform';
import { DepositoryErrors } from '../domain/errors';
import { DepositoryAccount } from '../entities/depository-account.entity';

/** The user's opened account, or CONFLICT; money moves only through an opened account. */
export async function openedAccount(em: EntityManager, userId: string): Promise<DepositoryAccount> {
  const account = await em.findOne(DepositoryAccount, { userId });
  if (account?.status !== 'OPENED') throw DepositoryErrors.notOpened(account?.status ?? 'MISSING');
  return account;
}

export function requirePositiveAmount(amountFen: bigint): void {
  if (amountFen <= 0n) throw DepositoryErrors.amountNotPositive();
}
