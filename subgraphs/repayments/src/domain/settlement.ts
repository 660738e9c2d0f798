import { allocateCumulatively, assert } from '@wanxin/platform';

// What the bank's CONFIRM_REPAYMENT pays out of one repaid installment (domain.md §4): each receivable
// its principal and interest, the penalty shared among the investors pro rata to their bids (they bore
// the delay) cumulatively over the loan's penalties, as principal and interest are, and the platform
// the rest of the interest as its commission — to the fen, every time.

export interface InstallmentDue {
  principalFen: bigint;
  interestFen: bigint;
  penaltyFen: bigint;
}

export interface ReceivableShare {
  receivableId: string;
  investorId: string;
  principalFen: bigint;
  interestFen: bigint;
  /** The bid's amount: the weight of its penalty share. */
  bidAmountFen: bigint;
  /** The penalty the bid received from the loan's installments repaid before this one. */
  penaltyHeldFen: bigint;
}

export interface InvestorPayment {
  receivableId: string;
  investorId: string;
  principalFen: bigint;
  interestFen: bigint;
  penaltyFen: bigint;
}

export interface InstallmentSettlement {
  payments: InvestorPayment[];
  commissionFen: bigint;
  /** What the borrower pays: principal + interest + penalty. */
  totalFen: bigint;
}

export function settleInstallment(
  installment: InstallmentDue,
  receivables: readonly ReceivableShare[],
): InstallmentSettlement {
  assert(receivables.length >= 1, 'an installment has at least one receivable');
  const principalFen = receivables.reduce((sum, share) => sum + share.principalFen, 0n);
  const investorsInterestFen = receivables.reduce((sum, share) => sum + share.interestFen, 0n);
  assert(
    principalFen === installment.principalFen,
    `receivables hold ${principalFen} fen of principal, the installment ${installment.principalFen}`,
  );
  assert(
    investorsInterestFen <= installment.interestFen,
    `receivables earn ${investorsInterestFen} fen, more than the installment's interest ${installment.interestFen}`,
  );
  // Each bid's penalty to date is its largest-remainder share of the loan's penalty to date: no residue piles up.
  const penalties = allocateCumulatively(
    installment.penaltyFen,
    receivables.map((share) => share.bidAmountFen),
    receivables.map((share) => share.penaltyHeldFen),
  );
  const payments = receivables.map((share, index) => ({
    receivableId: share.receivableId,
    investorId: share.investorId,
    principalFen: share.principalFen,
    interestFen: share.interestFen,
    penaltyFen: penalties[index],
  }));
  const commissionFen = installment.interestFen - investorsInterestFen;
  const totalFen = installment.principalFen + installment.interestFen + installment.penaltyFen;
  const paidOutFen =
    payments.reduce((sum, payment) => sum + payment.principalFen + payment.interestFen + payment.penaltyFen, 0n) +
    commissionFen;
  assert(paidOutFen === totalFen, `the settlement pays out ${paidOutFen} fen of ${totalFen}`);
  return { payments, commissionFen, totalFen };
}
