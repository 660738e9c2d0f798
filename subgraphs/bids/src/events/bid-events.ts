import { defineEvent } from '@wanxin/platform';

/** Amounts travel as integer-fen strings (JSON has no bigint). */
export type BidPlacedPayload = {
  bidId: string;
  loanId: string;
  investorId: string;
  amountFen: string;
  /** The loan's raised total and accepted-bid count once this bid counted. */
  raisedFen: string;
  bidCount: number;
  placedAt: string;
};

export type FullyFundedBid = { bidId: string; investorId: string; amountFen: string };

/** What loans' loan-fully-funded subscription decodes: Σ bids = raisedFen = the loan's amount. */
export type LoanFullyFundedPayload = {
  loanId: string;
  raisedFen: string;
  bids: FullyFundedBid[];
};

/** The bank froze a bid's amount: it counts toward the loan (subscriptions' loanFunding uses it). */
export const BidPlaced = defineEvent<BidPlacedPayload>('bids.bid.placed', 1, { mayGoUnheard: true });
/** Nothing remains and every bid is FROZEN: loans moves the loan to FULLY_FUNDED. */
export const LoanFullyFunded = defineEvent<LoanFullyFundedPayload>('bids.loan.fully-funded', 1);
