import { registerEnumType } from 'type-graphql';
import type { LoanStatus } from '../domain/loan-status';

/** GraphQL's view of `LoanStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const LoanStatusEnum = {
  PENDING_REVIEW: 'PENDING_REVIEW',
  REJECTED: 'REJECTED',
  FUNDRAISING: 'FUNDRAISING',
  FULLY_FUNDED: 'FULLY_FUNDED',
  REPAYING: 'REPAYING',
  SETTLED: 'SETTLED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const satisfies { [Status in LoanStatus]: Status };

registerEnumType(LoanStatusEnum, {
  name: 'LoanStatus',
  description:
    'PENDING_REVIEW, REJECTED and CANCELLED loans are visible to their borrower and admins only; the rest are public.',
  valuesConfig: {
    PENDING_REVIEW: { description: "Published, waiting for an admin's review." },
    REJECTED: { description: 'Refused at review (see rejectReason); nothing was registered at the bank.' },
    FUNDRAISING: {
      description: 'Registered at the bank and open for bids until fully funded or its funding window ends.',
    },
    FULLY_FUNDED: { description: 'Every yuan is bid and frozen at the bank; waiting for the full review and payout.' },
    REPAYING: { description: "Paid out to the borrower's account; its installments fall due." },
    SETTLED: { description: 'Repaid in full: every installment, or early repayment of the rest.' },
    FAILED: { description: 'Not funded within its window, or refused at the full review: every bid was refunded.' },
    CANCELLED: {
      description:
        'Withdrawn before review by its borrower or an admin (cancelLoan; see cancelReason). An admin cancelling a FUNDRAISING loan makes it FAILED (failReason CANCELLED): its bids are refunded.',
    },
  },
});
