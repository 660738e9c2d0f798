import { registerEnumType } from 'type-graphql';
import type { LoanStatus } from '../domain/loan-status';

/** GraphQL's view of `LoanStatus`: the compiler checks that it lists exactly the domain's statuses. */
export const LoanStatusEnum = {
  PENDING_REVIEW: 'PENDING_REVIEW',
  REJECTED: 'REJECTED',
  FUNDRAISING: 'FUNDRAISING',
  FULLY_FUNDED: 'FULLY_FUNDED',
  REPAYING: 'REPAYING',
  SETTLED: 'SETTLED',
  FAILED: 'FAILED',
} as const satisfies { [Status in LoanStatus]: Status };

registerEnumType(LoanStatusEnum, {
  name: 'LoanStatus',
  description: 'PENDING_REVIEW and REJECTED loans are visible to their borrower and admins only; the rest are public.',
});
