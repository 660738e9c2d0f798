import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { PlatformStatsKey } from '@wanxin/platform';

/** The loans subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats', {
  description: "ADMIN: the platform's figures for a dashboard; the daily ones count the business day `date`.",
})
export class PlatformStatsNode extends PlatformStatsKey {
  @Field(() => Int, { description: 'Loans open for bids now.' })
  loansFundraising!: number;
}
