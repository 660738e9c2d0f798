import { Directive, Field, ObjectType } from 'type-graphql';
import { DateScalar, MoneyScalar } from '@wanxin/platform';

/** The bids subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats')
export class PlatformStatsNode {
  @Field(() => DateScalar, {
    description: 'The business date (the business clock, not the wall clock) whose figures the daily ones count.',
  })
  date!: string;

  @Field(() => MoneyScalar, {
    name: 'amountRaisedToday',
    description: 'Σ bids still counted (FROZEN or LOANED) placed while the business date was `date`.',
  })
  amountRaisedTodayFen!: bigint;
}
