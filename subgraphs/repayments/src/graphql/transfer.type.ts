import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '@wanxin/platform';

/**
 * A holding offered on the claim-transfer market (债权转让). Each field reads the `Transfer` entity property
 * of the same name (`price` reads `priceFen`); `status`, `bid`, `seller` and `buyer` are resolved in
 * transfer.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Transfer', {
  description:
    "An investor's holding (a LOANED bid's receivables not yet RECEIVED) offered to other investors at a price; " +
    'bought atomically at the custodian bank: the buyer pays `price`, the seller gets `price - fee`, the platform `fee`.',
})
export class TransferNode {
  @Field(() => ID, { description: "The transfer's id." })
  id!: string;

  @Field(() => MoneyScalar, {
    name: 'principal',
    description: "The holding's outstanding principal when listed: what the buyer is paid back.",
  })
  principalFen!: bigint;

  @Field(() => MoneyScalar, { name: 'price', description: 'What the buyer pays.' })
  priceFen!: bigint;

  @Field(() => MoneyScalar, { name: 'fee', description: "The platform's part of the price." })
  feeFen!: bigint;

  @Field(() => DateTimeScalar, { description: 'When it was listed (audit stamp, wall clock).' })
  listedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was sold (audit stamp, wall clock).' })
  soldAt!: Date | null;
}
