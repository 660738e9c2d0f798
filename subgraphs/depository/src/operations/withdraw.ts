import { forkEntityManager, type EntityManager } from '@wanxin/platform';
import type { BankRedirectForm } from '../agent/bank-client';
import { refreshBalance } from '../agent/bank-results';
import { DepositoryErrors } from '../domain/errors';
import { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { accountToMoveThrough } from './opened-account';
import { cardMovementPage } from './record-request';

/** Moves money from the user's opened account to their bound card: answers the bank page that does it. */
export async function withdraw(
  em: EntityManager,
  services: DepositoryServices,
  userId: string,
  amountFen: bigint,
): Promise<BankRedirectForm> {
  const account = await accountToMoveThrough(em, userId, amountFen);
  // Checked against a fresh balance so the user is told now; the bank checks again when they submit.
  await refreshBalance(services.orm, services.bank, userId, services.logger);
  // A fresh read, not em.refresh(): on MySQL refresh hydrates BIGINT columns as strings (MikroORM 6).
  const current = await forkEntityManager(services.orm).findOneOrFail(DepositoryAccount, { id: account.id });
  if (amountFen > current.balanceFen) throw DepositoryErrors.insufficientFunds(current.balanceFen);
  return cardMovementPage(em, services, 'WITHDRAW', account, amountFen);
}
