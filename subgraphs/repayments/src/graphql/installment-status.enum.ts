import { registerDescribedEnum } from '@wanxin/platform';
import type { InstallmentStatus } from '../domain/installment-status';

/** GraphQL's view of `InstallmentStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const InstallmentStatusEnum = registerDescribedEnum<InstallmentStatus>(
  'InstallmentStatus',
  'PENDING until due; OVERDUE while unpaid after the due date; REPAID once settled.',
  {
    PENDING: 'Not yet collected, and not past its due date.',
    OVERDUE: 'Unpaid after its due date; penalty interest accrues every day.',
    REPAID: "Collected from the borrower, penalty included; the investors' shares follow as receivables.",
    SETTLED_EARLY: "Closed at zero by an early repayment: its principal was paid with the current period's.",
  },
);
