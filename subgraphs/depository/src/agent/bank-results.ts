import {
  assert,
  forkEntityManager,
  publishEvent,
  rowLockOptions,
  type Database,
  type EntityManager,
  type Logger,
} from '@wanxin/platform';
import {
  BANK_CODES,
  isBankServiceName,
  isPageService,
  type BankResult,
  type BankServiceName,
} from '@wanxin/platform/bank-protocol';
import { newRequestNo, resultMismatch, statusAfterResult } from '../domain/depository-request';
import { DepositoryAccount } from '../entities/depository-account.entity';
import { DepositoryRequest } from '../entities/depository-request.entity';
import { AccountOpened, AccountOpeningFailed, RechargeSucceeded, WithdrawSucceeded } from '@wanxin/platform/contracts';
import type { BankClient } from './bank-client';
import { answeredRequestsOf, recordStatementEntries, type Instruction } from './statement-entries';

/** A signed bank result that is not about the stored request it names (another service, user or amount). */
export class BankResultMismatchError extends Error {
  override name = 'BankResultMismatchError';
}

/**
 * Applies what the bank says happened to a request, once: the request's status moves (UNSYNC → SYNC or
 * FAILED, or a late success FAILED → SYNC), and only on that move the account changes and the event is
 * written, all in one transaction. `serviceName` is the service the bank's signature names; a result
 * whose service, user or amount is not the stored request's is refused (BankResultMismatchError) and
 * changes nothing. Returns the user whose balance should be refreshed, if any.
 */
export async function applyBankResult(
  orm: Database,
  serviceName: string,
  result: BankResult<BankServiceName>,
  logger: Logger,
): Promise<string | null> {
  const { requestNo } = result;
  return forkEntityManager(orm).transactional(async (em) => {
    // Locked: a notification, the sync job and the bank's direct answer may bring the same result at once;
    // the later one waits, then finds the request moved and changes nothing (no second event).
    const request = await em.findOne(
      DepositoryRequest,
      { requestNo },
      { ...rowLockOptions(em), populate: ['instruction'] },
    );
    if (request === null) {
      logger.error({ requestNo, code: result.code }, 'bank result for a request the agent never made: ignored');
      return null;
    }
    const userNo = await pageUserNoOf(em, request);
    const stored = { serviceName: request.serviceName, userNo, amountFen: request.amountFen };
    const mismatch = resultMismatch(stored, serviceName, result);
    if (mismatch !== null) {
      logger.error(
        { requestNo, serviceName, code: result.code, mismatch },
        'bank result does not match its request: refused',
      );
      throw new BankResultMismatchError(mismatch);
    }
    const succeeded = result.code === BANK_CODES.SUCCESS;
    const next = statusAfterResult(request.status, succeeded);
    if (next === null) return null;
    request.status = next;
    request.bankCode = result.code;
    request.message = result.message.slice(0, 200);
    request.syncedAt = new Date();
    // Page requests keep no instruction: what a statement needs of them is their service.
    const instruction = request.instruction === null ? {} : (JSON.parse(request.instruction) as Instruction);
    const [answered] = await answeredRequestsOf(em, [{ ...request, instruction }]);
    await recordStatementEntries(em, [{ request: answered, result }], logger);
    await applyToAccount(em, request, result, succeeded);
    return request.userId;
  });
}

/** The bank userNo a user's page request (opening, recharge, withdrawal) is for; null for other instructions. */
async function pageUserNoOf(em: EntityManager, request: DepositoryRequest): Promise<string | null> {
  const { userId, serviceName } = request;
  if (userId === null || !isBankServiceName(serviceName) || !isPageService(serviceName)) return null;
  return (await em.findOne(DepositoryAccount, { userId }))?.userNo ?? null;
}

/** What the user-facing services change on the account; other instructions change only their record. */
async function applyToAccount(
  em: EntityManager,
  request: DepositoryRequest,
  result: BankResult<BankServiceName>,
  succeeded: boolean,
): Promise<void> {
  if (request.userId === null || !['PERSONAL_REGISTER', 'RECHARGE', 'WITHDRAW'].includes(request.serviceName)) return;
  const account = await em.findOneOrFail(DepositoryAccount, { userId: request.userId });
  const amountFen = (request.amountFen ?? 0n).toString();
  switch (request.serviceName) {
    case 'PERSONAL_REGISTER':
      if (succeeded && result.code === BANK_CODES.SUCCESS) {
        const opened = result as BankResult<'PERSONAL_REGISTER'> & { code: typeof BANK_CODES.SUCCESS };
        account.status = 'OPENED';
        account.bankCode = opened.bankCode;
        account.cardNumber = opened.cardNumber;
        publishEvent(em, AccountOpened, account.userId, { userId: account.userId, userNo: account.userNo });
      } else if (account.status !== 'OPENED') {
        account.status = 'FAILED';
        // A failed opening holds no one's ID number: its owner may open their own account.
        account.idNumber = null;
        publishEvent(em, AccountOpeningFailed, account.userId, {
          userId: account.userId,
          userNo: account.userNo,
          bankCode: result.code,
          message: result.message,
        });
      }
      return;
    case 'RECHARGE':
    case 'WITHDRAW':
      if (succeeded) {
        const moved = request.serviceName === 'RECHARGE' ? RechargeSucceeded : WithdrawSucceeded;
        publishEvent(em, moved, account.userId, { userId: account.userId, requestNo: request.requestNo, amountFen });
      }
      return;
    default:
      return;
  }
}

export interface Balances {
  availableFen: bigint;
  frozenFen: bigint;
}

/**
 * Asks the bank for the user's balance and stores it; returns the bank's figures, or null when the
 * account is not open or the bank did not answer (the stored figures are then only the last known).
 */
export async function refreshBalance(
  orm: Database,
  bank: BankClient,
  userId: string,
  logger: Logger,
): Promise<Balances | null> {
  const em = forkEntityManager(orm);
  const account = await em.findOne(DepositoryAccount, { userId });
  if (account === null || account.status !== 'OPENED') return null;
  try {
    const result = await bank.call('QUERY_BALANCE', {
      requestNo: newRequestNo('QUERY_BALANCE'),
      userNo: account.userNo,
    });
    if (result.code !== BANK_CODES.SUCCESS) {
      logger.warn({ userId, code: result.code, message: result.message }, 'balance query refused');
      return null;
    }
    const availableFen = BigInt(result.availableFen);
    const frozenFen = BigInt(result.frozenFen);
    assert(availableFen >= 0n && frozenFen >= 0n, `bank reported a negative balance for ${account.userNo}`);
    await em.nativeUpdate(DepositoryAccount, { id: account.id }, { balanceFen: availableFen, frozenFen });
    return { availableFen, frozenFen };
  } catch (error) {
    logger.warn({ err: error, userId }, 'balance refresh failed');
    return null;
  }
}
