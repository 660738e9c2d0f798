import type { EntityManager } from '@wanxin/platform';
import { fenText } from '@wanxin/platform/bank-protocol';
import type { BankRedirectForm } from '../agent/bank-client';
import { currentBusinessDate } from '../agent/business-date';
import { newRequestNo } from '../domain/depository-request';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';

/** An instruction the user completes on the bank's page. */
export interface PageRequest {
  requestNo: string;
  serviceName: 'PERSONAL_REGISTER' | 'RECHARGE' | 'WITHDRAW';
  userId: string;
  amountFen?: bigint;
  /** The business date the instruction is booked on: the form's `accountingDate`. */
  businessDate: string;
}

/**
 * Records the instruction UNSYNC before the user is sent to the bank's page: whatever the page's fate, the
 * notification, the sync job and the reconciliation find it.
 */
export async function recordPageRequest(em: EntityManager, request: PageRequest): Promise<void> {
  await em.insert(em.create(DepositoryRequest, { ...request, status: 'UNSYNC' }, { persist: false }));
}

/** Records a recharge or withdrawal of `amountFen` by the account's owner and answers the bank page that does it. */
export async function cardMovementPage(
  em: EntityManager,
  services: DepositoryServices,
  serviceName: 'RECHARGE' | 'WITHDRAW',
  account: { userId: string; userNo: string },
  amountFen: bigint,
): Promise<BankRedirectForm> {
  const requestNo = newRequestNo(serviceName);
  const accountingDate = await currentBusinessDate(em);
  await recordPageRequest(em, {
    requestNo,
    serviceName,
    userId: account.userId,
    amountFen,
    businessDate: accountingDate,
  });
  return services.bank.redirect(serviceName, {
    requestNo,
    accountingDate,
    userNo: account.userNo,
    amountFen: fenText(amountFen),
  });
}
