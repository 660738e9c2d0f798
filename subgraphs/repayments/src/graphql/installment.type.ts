import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import type { InstallmentStatus } from '../domain/installment-status';
import { InstallmentStatusEnum } from './installment-status.enum';

/**
 * One period of a loan's repayment schedule. Each field reads the `Installment` entity property of the
 * same name (`principal` reads `principalFen`); `amount` is resolved in installment.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Installment', {
  description:
    "One period of a loan's repayment schedule: what the borrower owes on `dueDate`, collected by the custodian " +
    "bank and split among the loan's investors. scheduleQuote's rows are the same, unsaved.",
})
export class InstallmentNode {
  @Field(() => ID, { description: "The installment's id; scheduleQuote's rows carry a synthetic one." })
  id!: string;

  @Field(() => Int, { description: '1 for the first installment.' })
  period!: number;

  @Field(() => DateScalar, {
    description: "The business day it falls due: the start plus `period` months, clamped to the month's end.",
  })
  dueDate!: string;

  @Field(() => MoneyScalar, { name: 'principal', description: 'The principal due this period.' })
  principalFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'interest',
    description: "The interest due this period, at the loan's annual rate.",
  })
  interestFen!: bigint;

  @Field(() => InstallmentStatusEnum, { description: 'Whether it is paid, due or overdue.' })
  status!: InstallmentStatus;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Business time of the repayment: the business date the money was collected on, with the UTC time of day; null while unpaid.',
  })
  repaidAt!: Date | null;

  @Field(() => Int, {
    description: 'Days past the due date it has stayed unpaid, by the business date; 0 if never overdue.',
  })
  overdueDays!: number;

  @Field(() => MoneyScalar, {
    name: 'penalty',
    description: 'Penalty interest owed: accrued while overdue, less what admins waived.',
  })
  penaltyFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'penaltyWaived',
    description: 'What admins waived of the penalty (waivePenalty); `penaltyWaivers` says when and why.',
  })
  penaltyWaivedFen!: bigint;
}
