import { Field, ID, Int, ObjectType } from 'type-graphql';
import {
  DateTimeScalar,
  MoneyScalar,
  RateScalar,
  RepaymentMethodEnum,
  isRepaymentMethod,
  type RepaymentMethod,
} from '@wanxin/platform';
import { NEVER_SERVED, type AutoInvestRule } from '../entities/auto-invest-rule.entity';

@ObjectType('AutoInvestRule', {
  description:
    "An investor's auto-invest rule (自动投标): when a loan opens for bids, the platform bids `amountPerLoan` " +
    'for every enabled rule it matches, least recently served first, up to the auto-invest share of the loan.',
})
export class AutoInvestRuleNode {
  @Field(() => ID, { description: "The rule's id: one rule per investor, kept when it is set again." })
  id!: string;

  @Field(() => Boolean, { description: 'Whether the rule bids; a disabled rule keeps its terms and its place.' })
  enabled!: boolean;

  @Field(() => MoneyScalar, {
    name: 'amountPerLoan',
    description: 'The bid per loan; the last auto bid on a loan may be cut down (whole hundreds) to fit the share.',
  })
  amountPerLoanFen!: bigint;

  @Field(() => RateScalar, {
    name: 'rateMin',
    nullable: true,
    description: 'Only loans paying investors at least this (investorRate); null: any.',
  })
  rateMinMicros!: number | null;

  @Field(() => Int, { name: 'termMax', nullable: true, description: 'Only loans of at most this many months.' })
  termMaxMonths!: number | null;

  @Field(() => [RepaymentMethodEnum], { nullable: true, description: 'Only loans repaid by one of these; null: any.' })
  methods!: RepaymentMethod[] | null;

  @Field(() => MoneyScalar, {
    name: 'reserve',
    description: 'Available balance kept untouched: a bid that would leave less is skipped for that loan.',
  })
  reserveFen!: bigint;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Wall-clock audit stamp (UTC): when the rule last bid; null when it never has.',
  })
  lastServedAt!: Date | null;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the rule was last set.' })
  updatedAt!: Date;
}

/** The stored rule as the GraphQL type shows it. */
export function toAutoInvestRuleNode(rule: AutoInvestRule): AutoInvestRuleNode {
  const methods = rule.methods === null ? null : rule.methods.split(',');
  if (methods !== null && !methods.every(isRepaymentMethod))
    throw new Error(`auto-invest rule ${rule.id} holds methods ${rule.methods}`);
  return {
    id: rule.id,
    enabled: rule.enabled,
    amountPerLoanFen: rule.amountPerLoanFen,
    rateMinMicros: rule.rateMinMicros,
    termMaxMonths: rule.termMaxMonths,
    methods,
    reserveFen: rule.reserveFen,
    lastServedAt: rule.lastServedAt.getTime() === NEVER_SERVED.getTime() ? null : rule.lastServedAt,
    updatedAt: rule.updatedAt,
  };
}
