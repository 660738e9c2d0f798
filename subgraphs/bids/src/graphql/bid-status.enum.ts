import { registerEnumType } from 'type-graphql';
import type { BidStatus } from '../domain/bid-status';

/** GraphQL's view of `BidStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const BidStatusEnum = {
  PENDING: 'PENDING',
  FROZEN: 'FROZEN',
  LOANED: 'LOANED',
  REFUNDED: 'REFUNDED',
  FAILED: 'FAILED',
} as const satisfies { [Status in BidStatus]: Status };

registerEnumType(BidStatusEnum, {
  name: 'BidStatus',
  description:
    'PENDING waits for the bank (counted, not yet frozen); FROZEN counts toward the loan; LOANED was paid out; REFUNDED was released; FAILED never counted.',
  valuesConfig: {
    PENDING: { description: 'Counted toward the loan; the bank has not yet confirmed the freeze.' },
    FROZEN: { description: "The bank froze the amount in the investor's account; it counts toward the loan." },
    LOANED: { description: "Paid out to the borrower with the loan; its receivables follow the loan's installments." },
    REFUNDED: { description: 'The freeze was released: the loan failed or was refused at the full review.' },
    FAILED: { description: 'The bank refused the freeze (e.g. balance too low); it never counted.' },
  },
});
