import { defineEvent } from '@wanxin/platform';

/** Amounts travel as integer-fen strings and rates as integer millionths (JSON has no bigint). */
export type LoanOpenedPayload = {
  loanId: string;
  loanNo: string;
  borrowerId: string;
  amountFen: string;
  annualRateMicros: number;
  investorRateMicros: number;
  termMonths: number;
  repaymentMethod: string;
  /** ISO 8601: the funding window counts from here. */
  openedAt: string;
};

export type LoanFailedPayload = {
  loanId: string;
  /** FUNDING_WINDOW_EXPIRED, or the admin's reason for refusing the payout. */
  reason: string;
};

export type DisbursedBid = { bidId: string; investorId: string; amountFen: string };

export type LoanDisbursedPayload = {
  loanId: string;
  /** The bank's projectNo: repayments freezes the borrower's installments against it. */
  loanNo: string;
  borrowerId: string;
  amountFen: string;
  annualRateMicros: number;
  investorRateMicros: number;
  termMonths: number;
  repaymentMethod: string;
  disbursedAt: string;
  feeFen: string;
  bids: DisbursedBid[];
};

/** Approved and registered at the bank: open for bids. */
export const LoanOpened = defineEvent<LoanOpenedPayload>('loans.loan.opened', 1);
/** FAILED (window expired or payout refused): bids release every freeze. */
export const LoanFailed = defineEvent<LoanFailedPayload>('loans.loan.failed', 1);
/** Paid out at the bank (CONFIRM_LOAN): bids become LOANED, repayments builds the schedule. */
export const LoanDisbursed = defineEvent<LoanDisbursedPayload>('loans.loan.disbursed', 1);
