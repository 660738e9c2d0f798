import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '@wanxin/platform';

/** The repayments subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats')
export class PlatformStatsNode {
  @Field(() => DateScalar, {
    description: 'The business date (the business clock, not the wall clock) whose figures the daily ones count.',
  })
  date!: string;

  @Field(() => Int, { description: 'Installments falling due that day, whatever their status now.' })
  installmentsDueToday!: number;

  @Field(() => Int, { description: 'Installments OVERDUE now.' })
  installmentsOverdue!: number;
}
