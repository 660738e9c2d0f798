import { BANK_SUCCESS_CODE, type InternalBankClient } from '@wanxin/platform';

/**
 * The bank instructions loans sends through the depository agent, with only the fields loans uses
 * (the agent's protocol.ts is the full definition; subgraphs do not import each other).
 */
export type ProjectStatusAtBank = 'FUNDRAISING' | 'FULLY_FUNDED' | 'REPAYING' | 'SETTLED' | 'FAILED';

export interface LoanBankRequests {
  CREATE_PROJECT: { requestNo: string; projectNo: string; borrowerUserNo: string; amountFen: string; name: string };
  MODIFY_PROJECT: { requestNo: string; projectNo: string; status: ProjectStatusAtBank };
  CONFIRM_LOAN: { requestNo: string; projectNo: string; feeFen: string };
}

export type BankOutcome =
  | { kind: 'DONE' }
  /** The bank answered no: nothing moved there. */
  | { kind: 'REFUSED'; code: string; message: string }
  /** No answer: it may or may not have been applied; send the same requestNo again. */
  | { kind: 'UNKNOWN'; reason: string };

export async function sendToBank<S extends keyof LoanBankRequests>(bank: InternalBankClient, serviceName: S, reqData: LoanBankRequests[S]): Promise<BankOutcome> {
  const answer = await bank.send(serviceName, reqData);
  if (answer.kind === 'UNKNOWN') return answer;
  const { code, message } = answer.result;
  return code === BANK_SUCCESS_CODE ? { kind: 'DONE' } : { kind: 'REFUSED', code, message };
}
