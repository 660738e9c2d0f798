import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import { DepositoryRequestStatusEnum } from './depository-request-status.enum';

/** One instruction to the bank about this user, as the agent recorded it. */
@ObjectType('DepositoryTransaction')
export class DepositoryTransactionNode {
  @Field(() => String)
  requestNo!: string;

  @Field(() => String, { description: 'The bank service: PERSONAL_REGISTER, RECHARGE, WITHDRAW, …' })
  serviceName!: string;

  @Field(() => MoneyScalar, { name: 'amount', nullable: true })
  amountFen!: bigint | null;

  @Field(() => DepositoryRequestStatusEnum)
  status!: string;

  @Field(() => String, { nullable: true, description: 'The bank’s return code, once known.' })
  bankCode!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the request was made.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Wall-clock audit stamp (UTC): when the bank\'s result was recorded; null until then.' })
  syncedAt!: Date | null;
}
