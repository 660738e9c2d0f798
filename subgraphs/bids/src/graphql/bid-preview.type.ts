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

  @Field(() => MoneyScalar, {
    name: 'expectedInterest',
    nullable: true,
    description:
      'Interest the bid of `amount` would be paid over the term: Σ interest of its receivables, ' +
      "split from the borrower's schedule as at payout (the investor rate's part), as if paid out on the " +
      'current business date. Exact to the fen for the loan as it stands: its bids so far, this one, and the ' +
      'rest raised by one more bid; later bids can move it by a fen (largest-remainder rounding). Null ' +
      'without an amount or when more than remains is asked.',
  })
  expectedInterestFen!: bigint | null;
}
