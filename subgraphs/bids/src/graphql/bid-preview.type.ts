import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';
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
    name: 'remaining', description: 'What is still to be raised: the largest bid the loan takes.',
  })
  remainingFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'minBid', description: 'The smallest bid accepted; what a bid leaves must be 0 or at least this.',
  })
  minBidFen!: bigint;

  @Field(() => Int, { description: 'How many more bids the loan takes; at 1 the next bid must be the whole remaining amount.' })
  bidsLeft!: number;


  @Field(() => MoneyScalar, {
    name: 'expectedInterest', nullable: true,
    description: 'Interest over the term for `amount` at the investor rate, as if paid out on the current business ' +
      'date; null without an amount.',
  })
  expectedInterestFen!: bigint | null;
}
