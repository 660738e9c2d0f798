import { Field, Float, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';

/** `Funding`: how far a loan's bids have come (counting bids still waiting for the bank). */
@ObjectType('Funding')
export class FundingNode {
  @Field(() => MoneyScalar, { name: 'raised' })
  raisedFen!: bigint;

  @Field(() => MoneyScalar, { name: 'remaining' })
  remainingFen!: bigint;

  @Field(() => Int)
  bidCount!: number;

  @Field(() => Float, { description: 'raised / amount, from 0 to 1.' })
  progress!: number;
}
