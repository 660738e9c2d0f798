import { registerDescribedEnum } from '@wanxin/platform';
import type { ReceivableStatus } from '../domain/receivable-status';

/** GraphQL's view of `ReceivableStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const ReceivableStatusEnum = registerDescribedEnum<ReceivableStatus>(
  'ReceivableStatus',
  "PENDING until the borrower's payment reaches the investor's account; then RECEIVED.",
  {
    PENDING: "Not yet in the investor's depository account.",
    RECEIVED: "The bank moved it into the investor's depository account.",
    SETTLED_EARLY: 'Zero: an early repayment closed its installment; the principal came with the current period.',
  },
);
