/**
 * An installment's lifecycle (domain.md §3): PENDING until its due date, OVERDUE after it while unpaid
 * (penalty accrues daily), REPAID once the borrower's money is frozen for it (with `repaidAt`);
 * SETTLED_EARLY when an early repayment closed it at zero (its principal went into the current period's).
 */
export const INSTALLMENT_STATUSES = ['PENDING', 'OVERDUE', 'REPAID', 'SETTLED_EARLY'] as const;
export type InstallmentStatus = (typeof INSTALLMENT_STATUSES)[number];

export type InstallmentAction =
  | 'FALL_OVERDUE' // its due date passed unpaid
  | 'REPAY' // the borrower's money for it is frozen at the bank (on time, late, or early)
  | 'CLOSE_EARLY'; // an early repayment paid the loan off: this later period owes nothing

/** The one transition table: action → [allowed from, to]. */
export const INSTALLMENT_TRANSITIONS: {
  readonly [Action in InstallmentAction]: readonly [from: readonly InstallmentStatus[], to: InstallmentStatus];
} = {
  FALL_OVERDUE: [['PENDING'], 'OVERDUE'],
  REPAY: [['PENDING', 'OVERDUE'], 'REPAID'],
  CLOSE_EARLY: [['PENDING'], 'SETTLED_EARLY'],
};

/** The status `action` moves an installment in `status` to, or null when its lifecycle does not allow it. */
export function nextInstallmentStatus(status: InstallmentStatus, action: InstallmentAction): InstallmentStatus | null {
  const [from, to] = INSTALLMENT_TRANSITIONS[action];
  return from.includes(status) ? to : null;
}

/** Still owed: PENDING or OVERDUE. */
export const UNPAID_STATUSES: readonly InstallmentStatus[] = INSTALLMENT_TRANSITIONS.REPAY[0];
