import { registerEnumType } from 'type-graphql';
import type { DepositoryStatus } from '../domain/account-status';

/** GraphQL's view of `DepositoryStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const DepositoryStatusEnum = {
  NOT_OPENED: 'NOT_OPENED',
  PENDING: 'PENDING',
  OPENED: 'OPENED',
  FAILED: 'FAILED',
} as const satisfies { [Status in DepositoryStatus]: Status };

registerEnumType(DepositoryStatusEnum, {
  name: 'DepositoryStatus',
  description: "PENDING while the bank handles the opening; OPENED or FAILED as the bank's notification says.",
});
