import { registerEnumType } from 'type-graphql';
import type { ReceivableStatus } from '../domain/receivable-status';

/** GraphQL's view of `ReceivableStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const ReceivableStatusEnum = {
  PENDING: 'PENDING',
  RECEIVED: 'RECEIVED',
  SETTLED_EARLY: 'SETTLED_EARLY',
} as const satisfies { [Status in ReceivableStatus]: Status };

registerEnumType(ReceivableStatusEnum, {
  name: 'ReceivableStatus',
  description: "PENDING until the borrower's payment reaches the investor's account; then RECEIVED.",
  valuesConfig: {
    PENDING: { description: "Not yet in the investor's depository account." },
    RECEIVED: { description: "The bank moved it into the investor's depository account." },
    SETTLED_EARLY: {
      description: 'Zero: an early repayment closed its installment; the principal came with the current period.',
    },
  },
});
