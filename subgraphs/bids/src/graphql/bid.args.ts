import { ArgsType, Field, ID } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';

/** Declared as classes so the SDL lists `loanId` before `amount`, as the contract does. */
@ArgsType()
export class PlaceBidArgs {
  @Field(() => ID, { description: 'The FUNDRAISING loan to bid on.' })
  loanId!: string;

  @Field(() => MoneyScalar, {
    description: 'At least minBid and at most what remains; what it leaves must be 0 or at least minBid.',
  })
  amount!: bigint;
}

@ArgsType()
export class BidPreviewArgs {
  @Field(() => ID, { description: 'The loan to preview a bid on.' })
  loanId!: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'The amount to preview; without it, no expected interest.' })
  amount?: bigint | null;
}
