import { assert } from '@wanxin/platform';

// The personal center's figures (我的): an investor's portfolio and a borrower's summary, each from one
// aggregate over their receivables or installments. What each figure means is in the GraphQL types'
// descriptions (graphql/portfolio.type.ts, graphql/borrowing-summary.type.ts).

export interface Portfolio {
  investedFen: bigint;
  principalReceivedFen: bigint;
  outstandingPrincipalFen: bigint;
  interestReceivedFen: bigint;
  interestExpectedFen: bigint;
  penaltyReceivedFen: bigint;
  holdings: number;
}

/**
 * Sums over an investor's receivables by status: the portfolio but for `investedFen`, which is derived, and
 * with what the receivables an early repayment closed at zero hold.
 */
export type ReceivableSums = Omit<Portfolio, 'investedFen'> & { settledEarlyFen: bigint };

export function portfolioOf(sums: ReceivableSums): Portfolio {
  const { settledEarlyFen, ...figures } = sums;
  // An early repayment moves a closed period's amounts into the current one: the closed ones hold nothing.
  assert(settledEarlyFen === 0n, `receivables closed early hold ${settledEarlyFen} fen`);
  for (const [name, value] of Object.entries(figures)) assert(value >= 0, `${name} is ${value}`);
  assert(
    (figures.holdings === 0) === (figures.outstandingPrincipalFen === 0n),
    `${figures.holdings} holdings with ${figures.outstandingPrincipalFen} fen of principal outstanding`,
  );
  // Every receivable is either received or pending, so the principal lent is both parts.
  return { investedFen: figures.principalReceivedFen + figures.outstandingPrincipalFen, ...figures };
}

/** Sums over a borrower's unpaid installments. */
export interface BorrowingSummary {
  outstandingPrincipalFen: bigint;
  overdueAmountFen: bigint;
  overduePenaltyFen: bigint;
  overdueInstallments: number;
  loansRepaying: number;
}

export function borrowingSummaryOf(sums: BorrowingSummary): BorrowingSummary {
  for (const [name, value] of Object.entries(sums)) assert(value >= 0, `${name} is ${value}`);
  assert(sums.overduePenaltyFen <= sums.overdueAmountFen, 'the overdue amount includes its penalty');
  assert(
    sums.overdueInstallments > 0 || sums.overdueAmountFen === 0n,
    `no installment overdue, yet ${sums.overdueAmountFen} fen overdue`,
  );
  assert(
    sums.overdueInstallments === 0 || sums.loansRepaying > 0,
    `${sums.overdueInstallments} installments overdue on no repaying loan`,
  );
  return sums;
}
