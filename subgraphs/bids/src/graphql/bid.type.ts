import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import type { BidStatus } from '../domain/bid-status';
import { BidStatusEnum } from './bid-status.enum';

/**
 * An investor's bid on a loan. Each field reads the `Bid` entity property of the same name (`amount`
 * reads `amountFen`); `loan` and `investor` are resolved in bid.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Bid', {
  description:
    "An investor's bid on a loan: the bank freezes the amount in the investor's account until the payout or a " +
    "refund. A loan's bids are public; a user's own list (User.bids) is theirs and admins' only.",
})
export class BidNode {
  @Field(() => ID, { description: "The bid's id." })
  id!: string;

  @Field(() => MoneyScalar, {
    name: 'amount',
    description: "The amount bid; the investor's share of the repayments is in proportion to it.",
  })
  amountFen!: bigint;

  @Field(() => BidStatusEnum, { description: 'Where the bid stands with the bank.' })
  status!: BidStatus;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the bid was placed.' })
  createdAt!: Date;
}
