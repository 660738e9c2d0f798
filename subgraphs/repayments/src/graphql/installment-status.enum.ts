import { registerEnumType } from 'type-graphql';
import type { InstallmentStatus } from '../domain/installment-status';

/** GraphQL's view of `InstallmentStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const InstallmentStatusEnum = {
  PENDING: 'PENDING',
  OVERDUE: 'OVERDUE',
  REPAID: 'REPAID',
  SETTLED_EARLY: 'SETTLED_EARLY',
} as const satisfies { [Status in InstallmentStatus]: Status };

registerEnumType(InstallmentStatusEnum, {
  name: 'InstallmentStatus',
  description: 'PENDING until due; OVERDUE while unpaid after the due date; REPAID once settled.',
  valuesConfig: {
    PENDING: { description: 'Not yet collected, and not past its due date.' },
    OVERDUE: { description: 'Unpaid after its due date; penalty interest accrues every day.' },
    REPAID: {
      description: "Collected from the borrower, penalty included; the investors' shares follow as receivables.",
    },
    SETTLED_EARLY: {
      description: "Closed at zero by an early repayment: its principal was paid with the current period's.",
    },
  },
});
