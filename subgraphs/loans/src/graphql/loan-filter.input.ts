import { Field, InputType, Int } from 'type-graphql';
import { MoneyScalar, RateScalar, RepaymentMethodEnum, type RepaymentMethod } from '@wanxin/platform';
import { SEARCH_TEXT_LENGTH_MAX, SEARCH_TERM_MONTHS_MAX, type LoanFilterRequest } from '../domain/loan-search';

@InputType('LoanFilter', {
  description:
    'Which loans to list: every bound inclusive; a min above its max is BAD_USER_INPUT. All given must hold.',
})
export class LoanFilterInput {
  @Field(() => MoneyScalar, { nullable: true, description: 'Loans of at least this amount.' })
  amountMin?: bigint | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Loans of at most this amount.' })
  amountMax?: bigint | null;

  @Field(() => RateScalar, { nullable: true, description: 'Loans whose annualRate is at least this.' })
  rateMin?: number | null;

  @Field(() => RateScalar, { nullable: true, description: 'Loans whose annualRate is at most this.' })
  rateMax?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Loans of at least this many months, 1 to ${SEARCH_TERM_MONTHS_MAX}.`,
  })
  termMin?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Loans of at most this many months, 1 to ${SEARCH_TERM_MONTHS_MAX}.`,
  })
  termMax?: number | null;

  @Field(() => [RepaymentMethodEnum], { nullable: true, description: 'Loans repaid by one of these (at least one).' })
  methods?: RepaymentMethod[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      `Loans whose title or loan number contains this, ignoring case; at most ${SEARCH_TEXT_LENGTH_MAX} characters. ` +
      '`%` and `_` match themselves; blank matches every loan.',
  })
  text?: string | null;

  /** The domain's request, whose names carry the units. */
  toRequest(): LoanFilterRequest {
    return {
      amountMinFen: this.amountMin,
      amountMaxFen: this.amountMax,
      rateMinMicros: this.rateMin,
      rateMaxMicros: this.rateMax,
      termMinMonths: this.termMin,
      termMaxMonths: this.termMax,
      methods: this.methods,
      text: this.text,
    };
  }
}
