import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import { DepositoryRequestStatusEnum } from './depository-request-status.enum';

/** One instruction to the bank about this user, as the agent recorded it. */
@ObjectType('DepositoryTransaction', {
  description: 'One instruction to the bank about a user, as the platform recorded it.',
})
export class DepositoryTransactionNode {
  @Field(() => String, { description: "The instruction's number, shared with the bank." })
  requestNo!: string;

  @Field(() => String, { description: 'The bank service: PERSONAL_REGISTER, RECHARGE, WITHDRAW, …' })
  serviceName!: string;

  @Field(() => MoneyScalar, {
    name: 'amount',
    nullable: true,
    description: 'The amount it moves or freezes; null for an account opening.',
  })
  amountFen!: bigint | null;

  @Field(() => DepositoryRequestStatusEnum, { description: "What the platform knows of the bank's outcome." })
  status!: string;

  @Field(() => String, { nullable: true, description: 'The bank’s return code, once known.' })
  bankCode!: string | null;

  @Field(() => String, { nullable: true, description: "The bank's message with its return code, once known." })
  message!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the platform recorded it (wall-clock audit stamp).' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When the bank's outcome was recorded (wall-clock audit stamp); null until then.",
  })
  syncedAt!: Date | null;
}
