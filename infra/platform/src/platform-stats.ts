import { Field, ObjectType } from 'type-graphql';
import { DateScalar } from './scalars';

/**
 * The key of the admins' `PlatformStats`, which loans, bids and repayments each extend with their own
 * figures (`class PlatformStatsNode extends PlatformStatsKey`, with `@key(fields: "date")`): one business date.
 */
@ObjectType()
export abstract class PlatformStatsKey {
  @Field(() => DateScalar, {
    description: 'The business date (the business clock, not the wall clock) whose figures the daily ones count.',
  })
  date!: string;
}
