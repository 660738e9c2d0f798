import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '@wanxin/platform';

/** The loans subgraph's part of the admins' `PlatformStats` (loans, bids and repayments each add theirs). */
@Directive('@key(fields: "date")')
@ObjectType('PlatformStats', {
  description: "ADMIN: the platform's figures for a dashboard; the daily ones count the business day `date`.",
})
export class PlatformStatsNode {
  @Field(() => DateScalar, {
    description: 'The business date (the business clock, not the wall clock) whose figures the daily ones count.',
  })
  date!: string;

  @Field(() => Int, { description: 'Loans open for bids now.' })
  loansFundraising!: number;
}
