import { ArgsType, Field, ID } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';

/** Declared as classes so the SDL lists `loanId` before `amount`, as the contract does. */
@ArgsType()
export class PlaceBidArgs {
  @Field(() => ID)
  loanId!: string;

  @Field(() => MoneyScalar)
  amount!: bigint;
}

@ArgsType()
export class BidPreviewArgs {
  @Field(() => ID)
  loanId!: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'The amount to preview; without it, no expected interest.' })
  amount?: bigint | null;
}
