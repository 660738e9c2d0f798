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
  valuesConfig: {
    NOT_OPENED: { description: 'No opening started yet.' },
    PENDING: {
      description: "Opening started: waiting for the user to complete the bank's page and for the bank's notification.",
    },
    OPENED: { description: 'Open: the user may recharge, withdraw, bid and borrow.' },
    FAILED: { description: 'The bank refused the opening; it may be started again.' },
  },
});
