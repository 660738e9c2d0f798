import { bankUserNoFor, creditAssignmentInstruction, type BankInstruction } from '@wanxin/platform';
import type { RepaymentLoan } from '../entities/repayment-loan.entity';

/**
 * The bank instructions repayments sends through the depository agent, with only the fields repayments
 * uses (the agent's protocol.ts is the full definition; subgraphs do not import each other).
 */
export interface RepaymentBankRequests {
  USER_AUTO_PRE_TRANSACTION: {
    requestNo: string;
    userNo: string;
    projectNo: string;
    bizType: 'REPAYMENT';
    amountFen: string;
  };
  MODIFY_PROJECT: {
    requestNo: string;
    projectNo: string;
    status: 'SETTLED';
  };
  CONFIRM_REPAYMENT: {
    requestNo: string;
    preRequestNo: string;
    details: { userNo: string; principalFen: string; interestFen: string }[];
    commissionFen: string;
  };
}

function instruction<S extends keyof RepaymentBankRequests>(
  serviceName: S,
  reqData: RepaymentBankRequests[S],
  userId?: string,
): BankInstruction {
  return { serviceName, reqData, ...(userId === undefined ? {} : { userId }) };
}

/** Freezes the borrower's `amountFen` for the loan's project, under the collection's requestNo. */
export function freezeRepayment(
  requestNo: string,
  loan: Pick<RepaymentLoan, 'borrowerId' | 'loanNo'>,
  amountFen: bigint,
): BankInstruction {
  return instruction(
    'USER_AUTO_PRE_TRANSACTION',
    {
      requestNo,
      userNo: bankUserNoFor(loan.borrowerId),
      projectNo: loan.loanNo,
      bizType: 'REPAYMENT',
      amountFen: amountFen.toString(),
    },
    loan.borrowerId,
  );
}

/** Settles the freeze `preRequestNo`: each investor's principal and interest (with penalty), the platform the rest. */
export function confirmRepayment(reqData: RepaymentBankRequests['CONFIRM_REPAYMENT']): BankInstruction {
  return instruction('CONFIRM_REPAYMENT', reqData);
}

/** Tells the bank a settled loan's project is SETTLED: nothing more is collected for it. */
export function settleProject(loan: Pick<RepaymentLoan, 'loanNo' | 'projectSettleRequestNo'>): BankInstruction {
  return instruction('MODIFY_PROJECT', {
    requestNo: loan.projectSettleRequestNo!,
    projectNo: loan.loanNo,
    status: 'SETTLED',
  });
}

/**
 * Moves a holding's price at the bank, all or nothing: the buyer pays `priceFen`, the seller gets it less
 * `feeFen`, the platform the fee (idempotent by the sale's requestNo; the protocol's builder checks the terms).
 */
export function creditAssignment(
  sale: { requestNo: string; sellerId: string; buyerId: string; priceFen: bigint; feeFen: bigint },
  loan: Pick<RepaymentLoan, 'loanNo'>,
): BankInstruction {
  return creditAssignmentInstruction(
    {
      requestNo: sale.requestNo,
      projectNo: loan.loanNo,
      sellerUserNo: bankUserNoFor(sale.sellerId),
      buyerUserNo: bankUserNoFor(sale.buyerId),
      amountFen: sale.priceFen,
      feeFen: sale.feeFen,
    },
    sale.buyerId,
  );
}
