import { registerDescribedEnum } from '@wanxin/platform';
import type { LoanStatus } from '../domain/loan-status';

/** GraphQL's view of `LoanStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const LoanStatusEnum = registerDescribedEnum<LoanStatus>(
  'LoanStatus',
  'PENDING_REVIEW, REJECTED and CANCELLED loans are visible to their borrower and admins only; the rest are public.',
  {
    PENDING_REVIEW: "Published, waiting for an admin's review.",
    REJECTED: 'Refused at review (see rejectReason); nothing was registered at the bank.',
    FUNDRAISING: 'Registered at the bank and open for bids until fully funded or its funding window ends.',
    FULLY_FUNDED: 'Every yuan is bid and frozen at the bank; waiting for the full review and payout.',
    REPAYING: "Paid out to the borrower's account; its installments fall due.",
    SETTLED: 'Repaid in full: every installment, or early repayment of the rest.',
    FAILED: 'Not funded within its window, or refused at the full review: every bid was refunded.',
    CANCELLED:
      'Withdrawn before review by its borrower or an admin (cancelLoan; see cancelReason). An admin cancelling a FUNDRAISING loan makes it FAILED (failReason CANCELLED): its bids are refunded.',
  },
);
