import { assert } from '@wanxin/platform';
import { availableFen } from '../domain/ledger';
import { BankRefusals, succeeded } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import { BankRequest } from '../entities/bank-request.entity';
import {
  fenText,
  isAccountingDate,
  RECONCILIATION_RECORDS_MAX,
  type ReconciliationRecord,
} from '@wanxin/platform/bank-protocol';
import { accountsById } from './ledger-store';
import { userByNo } from './lookups';
import { storedResult } from './recording';
import type { QueryService } from './service-types';

/**
 * QUERY_REQUEST: how an earlier request ended (SUCCESS or FAILED) and the answer the bank gave, so the
 * agent can settle whatever it still holds as pending. An unknown requestNo — never sent, refused before
 * it was recorded (bad signature, a reused requestNo), or a page the user never completed — is 30010.
 */
export const queryRequest: QueryService<{ queryRequestNo: string }> = {
  parse(fields: RequestFields) {
    return { queryRequestNo: fields.reference('queryRequestNo') };
  },

  async answer(em, { queryRequestNo }) {
    const row = await em.findOne(BankRequest, { requestNo: queryRequestNo });
    if (row === null) return BankRefusals.requestNotFound(queryRequestNo);
    return succeeded({ queryRequestNo, serviceName: row.serviceName, status: row.status, response: storedResult(row) });
  },
};

/** QUERY_BALANCE: what a user can move (available), what is frozen, and their sum. */
export const queryBalance: QueryService<{ userNo: string }> = {
  parse(fields: RequestFields) {
    return { userNo: fields.reference('userNo') };
  },

  async answer(em, { userNo }) {
    const user = await userByNo(em, userNo);
    if (user === null) return BankRefusals.userNotFound(userNo);
    const account = (await accountsById(em, [user.accountId])).get(user.accountId);
    assert(account !== undefined, `user ${userNo} has no ledger account`);
    const available = availableFen(account);
    return succeeded({
      userNo,
      availableFen: fenText(available),
      frozenFen: fenText(account.debitsPendingFen),
      balanceFen: fenText(available + account.debitsPendingFen),
    });
  },
};

/** The answer fields that carry a request's amount, in order of preference. */
const AMOUNT_FIELDS = ['amountFen', 'loanFen'] as const;

function recordOf(row: BankRequest): ReconciliationRecord {
  const answer = storedResult(row);
  const amount = AMOUNT_FIELDS.map((field) => answer[field]).find((value) => typeof value === 'string');
  return {
    requestNo: row.requestNo,
    serviceName: row.serviceName,
    status: row.status,
    code: row.code,
    amountFen: (amount as string | undefined) ?? null,
  };
}

/**
 * QUERY_RECONCILIATION: every request the bank booked on one accounting date (the `accountingDate` each
 * instruction carried), as a real custodian's daily reconciliation file; the platform matches it against
 * its own records of that business date by requestNo.
 */
export const queryReconciliation: QueryService<{ date: string }> = {
  parse(fields: RequestFields) {
    return { date: fields.matching('date', isAccountingDate, 'a date YYYY-MM-DD') };
  },

  async answer(em, { date }, runtime) {
    const rows = await em.find(
      BankRequest,
      { accountingDate: date },
      { orderBy: { createdAt: 'asc' }, limit: RECONCILIATION_RECORDS_MAX + 1 },
    );
    if (rows.length > RECONCILIATION_RECORDS_MAX)
      return BankRefusals.badParameter('date', `more than ${RECONCILIATION_RECORDS_MAX} records`);
    return succeeded({ date, records: runtime.fileFaults.apply(date, rows.map(recordOf)) });
  },
};
