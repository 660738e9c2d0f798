import { bankUserNoFor, type BankOutcome, type InternalBankClient } from '@wanxin/platform';

/**
 * The bank instructions repayments sends through the depository agent, with only the fields repayments
 * uses (the agent's protocol.ts is the full definition; subgraphs do not import each other).
 */
export interface RepaymentBankRequests {
  USER_AUTO_PRE_TRANSACTION: { requestNo: string; userNo: string; projectNo: string; bizType: 'REPAYMENT'; amountFen: string };
  CONFIRM_REPAYMENT: { requestNo: string; preRequestNo: string; details: { userNo: string; principalFen: string; interestFen: string }[]; commissionFen: string };
}

export function sendToBank<S extends keyof RepaymentBankRequests>(bank: InternalBankClient, serviceName: S, reqData: RepaymentBankRequests[S], userId?: string): Promise<BankOutcome> {
  return bank.instruct(serviceName, reqData, userId);
}

/** Freezes the borrower's `amountFen` for the loan's project, under the collection's requestNo. */
export function freezeRepayment(bank: InternalBankClient, requestNo: string, borrowerId: string, loanNo: string, amountFen: bigint): Promise<BankOutcome> {
  return sendToBank(bank, 'USER_AUTO_PRE_TRANSACTION', {
    requestNo, userNo: bankUserNoFor(borrowerId), projectNo: loanNo, bizType: 'REPAYMENT', amountFen: amountFen.toString(),
  }, borrowerId);
}
