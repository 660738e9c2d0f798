import type { BankInstruction, BankOutcome, InternalBankClient } from '@wanxin/platform';

/**
 * The bank instructions bids sends through the depository agent, with only the fields bids uses (the
 * agent's protocol.ts is the full definition; subgraphs do not import each other).
 */
export interface BidBankRequests {
  USER_AUTO_PRE_TRANSACTION: {
    requestNo: string;
    userNo: string;
    projectNo: string;
    bizType: 'TENDER';
    amountFen: string;
  };
  CANCEL_PRE_TRANSACTION: { requestNo: string; preRequestNo: string };
}

export function bankInstruction<S extends keyof BidBankRequests>(
  serviceName: S,
  reqData: BidBankRequests[S],
  userId: string,
): BankInstruction {
  return { serviceName, reqData, userId };
}

export function sendToBank<S extends keyof BidBankRequests>(
  bank: InternalBankClient,
  serviceName: S,
  reqData: BidBankRequests[S],
  userId: string,
): Promise<BankOutcome> {
  return bank.instruct(serviceName, reqData, userId);
}
