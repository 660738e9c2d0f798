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
  description: 'PENDING waits for the bank (counted, not yet frozen); FROZEN counts toward the loan; LOANED was paid out; REFUNDED was released; FAILED never counted.',
});
