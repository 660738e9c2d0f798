import { forkEntityManager } from '@wanxin/platform';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { newRequestNo } from '../domain/depository-request';
import { DepositoryErrors } from '../domain/errors';
import { DepositoryAccount } from '../entities/depository-account.entity';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';
import { BankUnavailableError } from './bank-client';
import { claimIdNumber } from './account-rows';
import { applyBankResult } from './bank-results';

/**
 * Has the bank cancel the unfinished opening `requestNo`, recorded like every instruction (the
 * reconciliation finds it); answers how that request stands at the bank now.
 */
async function cancelAtBank(
  services: DepositoryServices,
  userId: string,
  requestNo: string,
  accountingDate: string,
): Promise<'CANCELLED' | 'SUCCESS' | 'FAILED'> {
  const { orm, bank, logger } = services;
  const cancelRequestNo = newRequestNo('CANCEL_PAGE_REQUEST');
  const em = forkEntityManager(orm);
  const record = {
    requestNo: cancelRequestNo,
    serviceName: 'CANCEL_PAGE_REQUEST',
    businessDate: accountingDate,
    userId,
    status: 'UNSYNC' as const,
  };
  await em.insert(em.create(DepositoryRequest, record, { persist: false }));
  let result;
  try {
    result = await bank.call('CANCEL_PAGE_REQUEST', {
      requestNo: cancelRequestNo,
      accountingDate,
      cancelRequestNo: requestNo,
      cancelServiceName: 'PERSONAL_REGISTER',
    });
  } catch (error) {
    // Left UNSYNC: the sync job learns the outcome; cancelling again is harmless.
    if (error instanceof BankUnavailableError) throw DepositoryErrors.bankDidNotAnswer();
    throw error;
  }
  await applyBankResult(orm, 'CANCEL_PAGE_REQUEST', result, logger);
  if (result.code !== BANK_CODES.SUCCESS) throw DepositoryErrors.bankRefused(result.code, result.message);
  return result.status;
}

/**
 * A new opening (`requestNo`, sent on business date `accountingDate`) in place of the user's unfinished one (PENDING: their bank page was refused for a weak
 * trade password, or closed, and cannot be fetched again). The bank cancels the old requestNo first, so
 * the old form opens nothing if it is ever submitted; then one transaction marks the old request FAILED
 * as superseded and records `requestNo` UNSYNC, the account staying PENDING with the new page's ID
 * number. A late notification for the old request changes nothing: a FAILED request moves only on a
 * success, which the bank can no longer give it. Of two concurrent calls one supersedes, the other is
 * refused (CONFLICT).
 */
export async function supersedeOpening(
  services: DepositoryServices,
  account: DepositoryAccount,
  { requestNo, accountingDate }: { requestNo: string; accountingDate: string },
  idNumber: string,
): Promise<void> {
  const em = forkEntityManager(services.orm);
  const unfinished = await em.findOne(
    DepositoryRequest,
    { userId: account.userId, serviceName: 'PERSONAL_REGISTER', status: 'UNSYNC' },
    { orderBy: { createdAt: 'desc' } },
  );
  if (unfinished === null) throw DepositoryErrors.cannotOpen('PENDING');
  const atBank = await cancelAtBank(services, account.userId, unfinished.requestNo, accountingDate);
  // The user submitted the old page first and the bank opened the account: its notification settles it.
  if (atBank === 'SUCCESS') throw DepositoryErrors.openingSubmitted();
  await em.transactional(async (tx) => {
    const superseded = await tx.nativeUpdate(
      DepositoryRequest,
      { id: unfinished.id, status: 'UNSYNC' },
      { status: 'FAILED', message: `superseded by ${requestNo}`, syncedAt: new Date() },
    );
    // The new page may name another ID number: the account claims it (CONFLICT when another account holds it).
    const pending = { id: account.id, status: 'PENDING' as const };
    const stillPending = await claimIdNumber(() => tx.nativeUpdate(DepositoryAccount, pending, { idNumber }));
    // A concurrent call superseded it first, or the bank's result for it arrived meanwhile.
    if (superseded === 0 || stillPending === 0) throw DepositoryErrors.cannotOpen('PENDING');
    const record = {
      requestNo,
      serviceName: 'PERSONAL_REGISTER',
      businessDate: accountingDate,
      userId: account.userId,
      status: 'UNSYNC' as const,
    };
    await tx.insert(tx.create(DepositoryRequest, record, { persist: false }));
  });
}
