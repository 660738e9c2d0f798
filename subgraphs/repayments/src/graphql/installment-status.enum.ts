import { registerEnumType } from 'type-graphql';
import type { InstallmentStatus } from '../domain/installment-status';

/** GraphQL's view of `InstallmentStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const InstallmentStatusEnum = {
  PENDING: 'PENDING',
  OVERDUE: 'OVERDUE',
  REPAID: 'REPAID',
} as const satisfies { [Status in InstallmentStatus]: Status };

registerEnumType(InstallmentStatusEnum, {
  name: 'InstallmentStatus',
  description: 'PENDING until due; OVERDUE while unpaid after the due date; REPAID once settled.',
});
