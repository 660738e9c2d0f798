import type { EntityManager } from '@wanxin/platform';
import type { BankRedirectForm } from '../agent/bank-client';
import type { DepositoryServices } from '../services';
import { accountToMoveThrough } from './opened-account';
import { cardMovementPage } from './record-request';

/** Moves money from the user's bound card into their opened account: answers the bank page that does it. */
export async function recharge(
  em: EntityManager,
  services: DepositoryServices,
  userId: string,
  amountFen: bigint,
): Promise<BankRedirectForm> {
  return cardMovementPage(em, services, 'RECHARGE', await accountToMoveThrough(em, userId, amountFen), amountFen);
}
