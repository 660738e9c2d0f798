import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { PlatformStatsKey } from '@wanxin/platform';

/** The repayments subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats')
export class PlatformStatsNode extends PlatformStatsKey {
  @Field(() => Int, { description: 'Installments falling due that day, whatever their status now.' })
  installmentsDueToday!: number;

  @Field(() => Int, { description: 'Installments OVERDUE now.' })
  installmentsOverdue!: number;
}
