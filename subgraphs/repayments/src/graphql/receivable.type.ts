import { Field, ID, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';
import type { ReceivableStatus } from '../domain/receivable-status';
import { ReceivableStatusEnum } from './receivable-status.enum';

/**
 * One investor's share of one installment, for one bid. Each field reads the `Receivable` entity
 * property of the same name; `bid` and `installment` are resolved in receivable.resolver.ts.
 */
@ObjectType('Receivable')
export class ReceivableNode {
  @Field(() => ID)
  id!: string;

  @Field(() => MoneyScalar, { name: 'principal' })
  principalFen!: bigint;

  @Field(() => MoneyScalar, { name: 'interest' })
  interestFen!: bigint;

  @Field(() => MoneyScalar, { name: 'penalty', description: "Its share of a late installment's penalty." })
  penaltyFen!: bigint;

  @Field(() => ReceivableStatusEnum)
  status!: ReceivableStatus;
}
