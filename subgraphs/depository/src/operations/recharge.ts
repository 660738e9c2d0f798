import type { EntityManager } from '@wanxin/platform';
import { fenText } from '@wanxin/platform/bank-protocol';
import type { BankRedirectForm } from '../agent/bank-client';
import { currentBusinessDate } from '../agent/business-date';
import { newRequestNo } from '../domain/depository-request';
import type { DepositoryServices } from '../services';
import { openedAccount, requirePositiveAmount } from './opened-account';
import { recordPageRequest } from './record-request';

/** Moves money from the user's bound card into their opened account: answers the bank page that does it. */
export async function recharge(
  em: EntityManager,
  services: DepositoryServices,
  userId: string,
  amountFen: bigint,
): Promise<BankRedirectForm> {
  requirePositiveAmount(amountFen);
  const account = await openedAccount(em, userId);
  const requestNo = newRequestNo('RECHARGE');
  const accountingDate = await currentBusinessDate(em);
  await recordPageRequest(em, { requestNo, serviceName: 'RECHARGE', userId, amountFen, businessDate: accountingDate });
  return services.bank.redirect('RECHARGE', {
    requestNo,
    accountingDate,
    userNo: account.userNo,
    amountFen: fenText(amountFen),
  });
}
