import { registerDescribedEnum } from '@wanxin/platform';
import type { DepositoryStatus } from '../domain/account-status';

/** GraphQL's view of `DepositoryStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const DepositoryStatusEnum = registerDescribedEnum<DepositoryStatus>(
  'DepositoryStatus',
  "PENDING while the bank handles the opening; OPENED or FAILED as the bank's notification says.",
  {
    NOT_OPENED: 'No opening started yet.',
    PENDING: "Opening started: waiting for the user to complete the bank's page and for the bank's notification.",
    OPENED: 'Open: the user may recharge, withdraw, bid and borrow.',
    FAILED: 'The bank refused the opening; it may be started again.',
  },
);
