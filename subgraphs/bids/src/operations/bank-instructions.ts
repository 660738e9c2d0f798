import { BANK_SUCCESS_CODE, type InternalBankClient } from '@wanxin/platform';

/**
 * The bank instructions bids sends through the depository agent, with only the fields bids uses (the
 * agent's protocol.ts is the full definition; subgraphs do not import each other).
 */
export interface BidBankRequests {
  USER_AUTO_PRE_TRANSACTION: { requestNo: string; userNo: string; projectNo: string; bizType: 'TENDER'; amountFen: string };
  CANCEL_PRE_TRANSACTION: { requestNo: string; preRequestNo: string };
}

/** The bank's answer when the balance does not cover the freeze: nothing was frozen. */
export const INSUFFICIENT_BALANCE_CODE = '30042';

export type BankOutcome =
  | { kind: 'DONE' }
  /** The bank answered no: nothing moved there. */
  | { kind: 'REFUSED'; code: string; message: string }
  /** No answer: it may or may not have been applied; send the same requestNo again. */
  | { kind: 'UNKNOWN'; reason: string };

export async function sendToBank<S extends keyof BidBankRequests>(bank: InternalBankClient, serviceName: S, reqData: BidBankRequests[S], userId?: string): Promise<BankOutcome> {
  const answer = await bank.send(serviceName, reqData, userId);
  if (answer.kind === 'UNKNOWN') return answer;
  const { code, message } = answer.result;
  return code === BANK_SUCCESS_CODE ? { kind: 'DONE' } : { kind: 'REFUSED', code, message };
}
