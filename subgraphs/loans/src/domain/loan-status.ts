import { unreachable } from '@wanxin/platform';

/** A loan's lifecycle (domain.md §3). The moves between statuses are `LOAN_TRANSITIONS` below. */
export const LOAN_STATUSES = [
  'PENDING_REVIEW',
  'REJECTED',
  'FUNDRAISING',
  'FULLY_FUNDED',
  'REPAYING',
  'SETTLED',
  'FAILED',
  'CANCELLED',
] as const;

export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** What can happen to a loan; each action is allowed from exactly one status. */
export const LOAN_ACTIONS = [
  'APPROVE', // reviewLoan approve: registered at the bank, open for bids
  'REJECT', // reviewLoan reject
  'FULLY_FUND', // bids.loan.fully-funded
  'EXPIRE', // the funding window closed before it was fully funded
  'DISBURSE', // reviewFullLoan approve: CONFIRM_LOAN paid the borrower
  'REFUSE_PAYOUT', // reviewFullLoan reject: every freeze is released
  'SETTLE', // the last installment is repaid (repayments, later)
  'WITHDRAW', // cancelLoan before review, by the borrower or an admin
  'CANCEL', // cancelLoan while fundraising, by an admin: a failed listing, every freeze is released
] as const;

export type LoanAction = (typeof LOAN_ACTIONS)[number];

/** The one transition table: action → [from, to]. Anything else is refused with CONFLICT. */
export const LOAN_TRANSITIONS: { readonly [Action in LoanAction]: readonly [from: LoanStatus, to: LoanStatus] } = {
  APPROVE: ['PENDING_REVIEW', 'FUNDRAISING'],
  REJECT: ['PENDING_REVIEW', 'REJECTED'],
  FULLY_FUND: ['FUNDRAISING', 'FULLY_FUNDED'],
  EXPIRE: ['FUNDRAISING', 'FAILED'],
  DISBURSE: ['FULLY_FUNDED', 'REPAYING'],
  REFUSE_PAYOUT: ['FULLY_FUNDED', 'FAILED'],
  SETTLE: ['REPAYING', 'SETTLED'],
  WITHDRAW: ['PENDING_REVIEW', 'CANCELLED'],
  CANCEL: ['FUNDRAISING', 'FAILED'],
};

/** The status `action` moves a loan in `status` to, or null when the lifecycle does not allow it. */
export function nextLoanStatus(status: LoanStatus, action: LoanAction): LoanStatus | null {
  const [from, to] = LOAN_TRANSITIONS[action];
  return status === from ? to : null;
}

/** Whether a loan in this status can still move; REJECTED, SETTLED, FAILED and CANCELLED are final. */
export function isFinalLoanStatus(status: LoanStatus): boolean {
  switch (status) {
    case 'PENDING_REVIEW':
    case 'FUNDRAISING':
    case 'FULLY_FUNDED':
    case 'REPAYING':
      return false;
    case 'REJECTED':
    case 'SETTLED':
    case 'FAILED':
    case 'CANCELLED':
      return true;
    default:
      return unreachable(status, 'loan status');
  }
}
