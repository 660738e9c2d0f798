import { Field, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, MoneyScalar } from '@wanxin/platform';

/** Reads entities/penalty-waiver.entity.ts: `amount` reads `amountFen`; `waivedBy` is resolved for admins. */
@ObjectType('PenaltyWaiver', { description: "An admin lowered the installment's penalty: by how much and why." })
export class PenaltyWaiverNode {
  @Field(() => MoneyScalar, { name: 'amount', description: 'What was taken off the penalty.' })
  amountFen!: bigint;

  @Field(() => String, { description: "The admin's reason, as written." })
  reason!: string;

  @Field(() => DateScalar, { description: 'The business date it was waived on.' })
  businessDate!: string;

  @Field(() => DateTimeScalar, { description: 'When, by the wall clock.' })
  waivedAt!: Date;
}
