import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import type { InstallmentStatus } from '../domain/installment-status';
import { InstallmentStatusEnum } from './installment-status.enum';

/**
 * One period of a loan's repayment schedule. Each field reads the `Installment` entity property of the
 * same name (`principal` reads `principalFen`); `amount` is resolved in installment.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Installment')
export class InstallmentNode {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: '1 for the first installment.' })
  period!: number;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => MoneyScalar, { name: 'principal' })
  principalFen!: bigint;

  @Field(() => MoneyScalar, { name: 'interest' })
  interestFen!: bigint;

  @Field(() => InstallmentStatusEnum)
  status!: InstallmentStatus;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Business time of the repayment: the business date the money was collected on, with the UTC time of day; null while unpaid.',
  })
  repaidAt!: Date | null;

  @Field(() => Int)
  overdueDays!: number;

  @Field(() => MoneyScalar, { name: 'penalty', description: 'Penalty interest accrued while overdue.' })
  penaltyFen!: bigint;
}
