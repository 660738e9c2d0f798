import { Directive, Field, ObjectType } from 'type-graphql';
import { DateScalar, MoneyScalar } from '@wanxin/platform';

/** The bids subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats')
export class PlatformStatsNode {
  @Field(() => DateScalar, { description: 'The UTC calendar day the daily figures count.' })
  date!: string;

  @Field(() => MoneyScalar, { name: 'amountRaisedToday', description: 'Σ bids placed that day and still counted (FROZEN or LOANED).' })
  amountRaisedTodayFen!: bigint;
}
