import { Directive, Field, ObjectType } from 'type-graphql';
import { MoneyScalar, PlatformStatsKey } from '@wanxin/platform';

/** The bids subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats')
export class PlatformStatsNode extends PlatformStatsKey {
  @Field(() => MoneyScalar, {
    name: 'amountRaisedToday',
    description: 'Σ bids still counted (FROZEN or LOANED) placed while the business date was `date`.',
  })
  amountRaisedTodayFen!: bigint;
}
