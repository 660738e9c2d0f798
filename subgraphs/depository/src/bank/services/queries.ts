import { assert } from '@wanxin/platform';
import { availableFen } from '../domain/ledger';
import { BankRefusals, succeeded } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import { BankRequest } from '../entities/bank-request.entity';
import { decodeData, fenText, type SignedResponse } from '../protocol';
import { accountsById } from './ledger-store';
import { userByNo } from './lookups';
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
    if (row === null || row.status === 'PROCESSING') return BankRefusals.requestNotFound(queryRequestNo);
    const stored = JSON.parse(row.response) as SignedResponse;
    const json = decodeData(stored.respData);
    assert(json !== null, `stored response of ${queryRequestNo} is not base64 JSON`);
    return succeeded({ queryRequestNo, serviceName: row.serviceName, status: row.status, response: JSON.parse(json) });
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
    return succeeded({ userNo, availableFen: fenText(available), frozenFen: fenText(account.debitsPendingFen), balanceFen: fenText(available + account.debitsPendingFen) });
  },
};
