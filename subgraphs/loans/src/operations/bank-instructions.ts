import type { BankOutcome, InternalBankClient } from '@wanxin/platform';

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

export function sendToBank<S extends keyof LoanBankRequests>(
  bank: InternalBankClient,
  serviceName: S,
  reqData: LoanBankRequests[S],
): Promise<BankOutcome> {
  return bank.instruct(serviceName, reqData);
}
