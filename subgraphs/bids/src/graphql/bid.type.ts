import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import type { BidStatus } from '../domain/bid-status';
import { BidStatusEnum } from './bid-status.enum';

/**
 * An investor's bid on a loan. Each field reads the `Bid` entity property of the same name (`amount`
 * reads `amountFen`); `loan` and `investor` are resolved in bid.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Bid')
export class BidNode {
  @Field(() => ID)
  id!: string;

  @Field(() => MoneyScalar, { name: 'amount' })
  amountFen!: bigint;

  @Field(() => BidStatusEnum)
  status!: BidStatus;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the bid was placed.' })
  createdAt!: Date;
}
