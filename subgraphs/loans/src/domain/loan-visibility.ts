import { isOwnerOrAdmin, unreachable, type Viewer } from '@wanxin/platform';
import { LOAN_STATUSES, type LoanStatus } from './loan-status';

/**
 * Whether a loan in this status is marketplace data that anyone may read, signed in or not. A loan
 * still under review, rejected or withdrawn before review, is private to its borrower and admins.
 */
export function isPublicLoanStatus(status: LoanStatus): boolean {
  switch (status) {
    case 'PENDING_REVIEW':
    case 'REJECTED':
    case 'CANCELLED':
      return false;
    case 'FUNDRAISING':
    case 'FULLY_FUNDED':
    case 'REPAYING':
    case 'SETTLED':
    case 'FAILED':
      return true;
    default:
      return unreachable(status, 'loan status');
  }
}

export const PUBLIC_LOAN_STATUSES: readonly LoanStatus[] = LOAN_STATUSES.filter(isPublicLoanStatus);

/** Whether this viewer (null when anonymous) may read this loan. */
export function canSeeLoan(viewer: Viewer | null, loan: { borrowerId: string; status: LoanStatus }): boolean {
  return isPublicLoanStatus(loan.status) || isOwnerOrAdmin(viewer, loan.borrowerId);
}

/**
 * The statuses the `loans` list shows this viewer, narrowed to `requested` when given. Admins list every
 * status; everyone else lists the marketplace only, so asking for a private status gives an empty list,
 * even to a borrower with loans in that status: they read their own through `User.loans`. One rule for
 * the whole list keeps its rows and its totalCount in agreement.
 */
export function listableLoanStatuses(viewer: Viewer | null, requested: LoanStatus | undefined): readonly LoanStatus[] {
  const statuses = viewer?.role === 'ADMIN' ? LOAN_STATUSES : PUBLIC_LOAN_STATUSES;
  return requested === undefined ? statuses : statuses.filter((status) => status === requested);
}
