import { ArgsType, Field, Int } from 'type-graphql';
import { DateScalar, MoneyScalar, RateScalar, type RepaymentMethod } from '@wanxin/platform';
import { RepaymentMethodEnum } from '@wanxin/platform';

/**
 * The arguments of `scheduleQuote`, in the contract's order (an args class keeps the SDL in field order).
 * type-graphql fills args by their GraphQL names, so the properties carry those names, not unit suffixes.
 */
@ArgsType()
export class ScheduleQuoteArgs {
  /** In fen. */
  @Field(() => MoneyScalar, { description: 'The principal; any positive amount.' })
  amount!: bigint;

  /** In millionths. */
  @Field(() => RateScalar, { description: 'The annual rate, 0 to 1.' })
  annualRate!: number;

  @Field(() => Int, { description: '1 to 360.' })
  termMonths!: number;

  @Field(() => RepaymentMethodEnum, { description: 'How the installments spread principal and interest.' })
  method!: RepaymentMethod;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Period k falls due k months later; defaults to today (UTC).',
  })
  startDate?: string | null;
}
