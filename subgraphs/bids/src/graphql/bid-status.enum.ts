import { registerDescribedEnum } from '@wanxin/platform';
import type { BidStatus } from '../domain/bid-status';

/** GraphQL's view of `BidStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const BidStatusEnum = registerDescribedEnum<BidStatus>(
  'BidStatus',
  'PENDING waits for the bank (counted, not yet frozen); FROZEN counts toward the loan; LOANED was paid out; REFUNDED was released; FAILED never counted.',
  {
    PENDING: 'Counted toward the loan; the bank has not yet confirmed the freeze.',
    FROZEN: "The bank froze the amount in the investor's account; it counts toward the loan.",
    LOANED: "Paid out to the borrower with the loan; its receivables follow the loan's installments.",
    REFUNDED: 'The freeze was released: the loan failed or was refused at the full review.',
    FAILED: 'The bank refused the freeze (e.g. balance too low); it never counted.',
  },
);
