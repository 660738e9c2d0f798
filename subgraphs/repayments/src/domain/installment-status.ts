/**
 * An installment's lifecycle (domain.md §3): PENDING until its due date, OVERDUE after it while unpaid
 * (penalty accrues daily), REPAID once settled (with `repaidAt`). The transition table arrives with the
 * daily repayment run.
 */
export type InstallmentStatus = 'PENDING' | 'OVERDUE' | 'REPAID';
