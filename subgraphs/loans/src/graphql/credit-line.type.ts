import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar, RateScalar } from '@wanxin/platform';

/** A borrower's revolving credit line, as the User.creditLine resolver builds it from the `credit_lines` row. */
@ObjectType('CreditLine', {
  description:
    "A borrower's revolving credit line (授信额度), granted when the risk provider approves a credit application: " +
    'publishing a loan uses its amount, a rejected or failed listing gives it back, and repaid principal restores it.',
})
export class CreditLineNode {
  @Field(() => MoneyScalar, { description: 'The most the borrower may hold at once across their loans.' })
  limit!: bigint;

  @Field(() => MoneyScalar, {
    description: "What the borrower's loans hold now; above the limit after a re-approval lowered it.",
  })
  used!: bigint;

  @Field(() => MoneyScalar, {
    description: 'The limit less what is used (0 when used is above it): the largest next loan.',
  })
  available!: bigint;

  @Field(() => Int, { description: "The risk provider's score (300–900) that priced the line." })
  score!: number;

  @Field(() => RateScalar, {
    description: 'The annual rate priced from the score: what a new loan pays by default, and the least it may offer.',
  })
  annualRate!: number;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the current limit was approved.' })
  grantedAt!: Date;
}
