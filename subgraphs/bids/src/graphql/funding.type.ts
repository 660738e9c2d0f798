import { Field, Float, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';

/** `Funding`: how far a loan's bids have come (counting bids still waiting for the bank). */
@ObjectType('Funding', {
  description: "How far a loan's bids have come, counting bids the bank has not confirmed yet; public.",
})
export class FundingNode {
  @Field(() => MoneyScalar, { name: 'raised', description: 'Σ bids that count (PENDING, FROZEN or LOANED).' })
  raisedFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'remaining',
    description: "What is still to be raised: the loan's amount − raised.",
  })
  remainingFen!: bigint;

  @Field(() => Int, { description: 'Bids that count.' })
  bidCount!: number;

  @Field(() => Float, { description: 'The share raised, raised / amount: from 0 to 1.' })
  progress!: number;
}
