import { forkEntityManager } from '@wanxin/platform';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { applyBankResult, BankResultMismatchError, refreshBalance } from '../agent/bank-results';
import { newRequestNo } from '../domain/depository-request';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';

/** Requests settled per pass; the rest wait for the next one. */
const SYNC_BATCH_MAX = 100;

/**
 * Settles requests still UNSYNC after `syncAfterMs`: QUERY_REQUEST tells what the bank recorded (a lost
 * notification, a timed-out call). One the bank never saw after `abandonAfterMs` was abandoned by the
 * user on the bank's page: FAILED (a late success would still be applied).
 */
export async function syncUnsettledRequests(services: DepositoryServices, now = new Date()): Promise<number> {
  const { orm, logger } = services;
  const { syncAfterMs, abandonAfterMs } = services.settings;
  const due = await forkEntityManager(orm).find(
    DepositoryRequest,
    { status: 'UNSYNC', createdAt: { $lte: new Date(now.getTime() - syncAfterMs) } },
    { orderBy: { createdAt: 'asc' }, limit: SYNC_BATCH_MAX },
  );
  for (const request of due) {
    const answer = await services.bank
      .call('QUERY_REQUEST', { requestNo: newRequestNo('QUERY_REQUEST'), queryRequestNo: request.requestNo })
      .catch((error: unknown) => logger.warn({ err: error, requestNo: request.requestNo }, 'query request failed'));
    if (answer === undefined) continue;
    let userId: string | null = null;
    if (answer.code === BANK_CODES.SUCCESS && answer.response.requestNo === request.requestNo) {
      // The result is the bank's stored answer, signed within this QUERY_REQUEST response; a mismatch is logged there.
      userId = await applyBankResult(orm, answer.serviceName, answer.response as never, logger).catch(
        (error: unknown) => {
          if (error instanceof BankResultMismatchError) return null;
          throw error;
        },
      );
    } else if (answer.code === BANK_CODES.NOT_FOUND && now.getTime() - request.createdAt.getTime() >= abandonAfterMs) {
      const abandoned = {
        requestNo: request.requestNo,
        code: BANK_CODES.NOT_FOUND,
        message: 'never submitted at the bank: abandoned',
      };
      userId = await applyBankResult(orm, request.serviceName, abandoned, logger);
    }
    if (userId !== null) await refreshBalance(orm, services.bank, userId, logger);
  }
  return due.length;
}
