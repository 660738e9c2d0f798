import { Field, InputType, Int } from 'type-graphql';
import { MoneyScalar, RateScalar, RepaymentMethodEnum, type RepaymentMethod } from '@wanxin/platform';
import { AUTO_INVEST_TERM_MONTHS_MAX, type AutoInvestRequest } from '../domain/auto-invest';

@InputType('AutoInvestInput', { description: "The investor's auto-invest rule, replacing the one they had." })
export class AutoInvestInput {
  @Field(() => Boolean, { nullable: true, description: 'Whether the rule bids (default true).' })
  enabled?: boolean | null;

  @Field(() => MoneyScalar, { description: 'The bid per loan: at least the minimum bid, in whole hundreds.' })
  amountPerLoan!: bigint;

  @Field(() => RateScalar, { nullable: true, description: 'Only loans whose investorRate is at least this, 0 to 1.' })
  rateMin?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Only loans of at most this many months, 1 to ${AUTO_INVEST_TERM_MONTHS_MAX}.`,
  })
  termMax?: number | null;

  @Field(() => [RepaymentMethodEnum], {
    nullable: true,
    description: 'Only loans repaid by one of these (at least one).',
  })
  methods?: RepaymentMethod[] | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Available balance to keep untouched (default 0.00).' })
  reserve?: bigint | null;

  /** The domain's request, whose names carry the units. */
  toRequest(): AutoInvestRequest {
    return {
      enabled: this.enabled ?? true,
      amountPerLoanFen: this.amountPerLoan,
      rateMinMicros: this.rateMin ?? null,
      termMaxMonths: this.termMax ?? null,
      methods: this.methods ?? null,
      reserveFen: this.reserve ?? null,
    };
  }
}
