import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { MoneyScalar, type RepaymentMethod } from '@wanxin/platform';
import type { Funding } from '../entities/funding.entity';
import { LoanReference } from './external/loan';

/**
 * `BidPreview`: what a bid of `amount` on the loan would look like, before placing it. An entity so that the
 * depository subgraph adds `availableBalance` (the viewer's own bank balance) without bids reading it.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('BidPreview', { description: 'What a bid on the loan would look like, before placing it.' })
export class BidPreviewNode {
  @Field(() => ID, { description: 'The loan and the investor the preview is for (`loanId:investorId`).' })
  id!: string;

  @Field(() => LoanReference, { description: 'The loan.' })
  loan!: LoanReference;

  @Field(() => MoneyScalar, {
    name: 'remaining',
    description: 'What is still to be raised: the largest bid the loan takes.',
  })
  remainingFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'minBid',
    description: 'The smallest bid accepted; what a bid leaves must be 0 or at least this.',
  })
  minBidFen!: bigint;

  @Field(() => Int, {
    description: 'How many more bids the loan takes; at 1 the next bid must be the whole remaining amount.',
  })
  bidsLeft!: number;

  /**
   * What `expectedInterest` (bid-preview.resolver.ts) reads: the interest is computed only when the field is
   * asked for, as it splits the whole schedule over every counted bid.
   */
  interestQuery!: InterestQuery;
}

/** The bid the preview prices: the funding row as read, the method it holds, the amount asked, and when. */
export interface InterestQuery {
  funding: Funding;
  method: RepaymentMethod;
  amountFen: bigint | null;
  now: Date;
}
