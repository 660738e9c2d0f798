import { Field, ObjectType } from 'type-graphql';
import { DateScalar, MoneyScalar } from '@wanxin/platform';

/** Reads operations/payoff-quote.ts's PayoffQuote: `principal` reads `principalFen`, and so on. */
@ObjectType('PayoffQuote', {
  description: 'What repayEarly would take on the business date `asOf`, to the fen: the same rule computes both.',
})
export class PayoffQuoteNode {
  @Field(() => MoneyScalar, { name: 'principal', description: 'All principal still owed.' })
  principalFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'interest',
    description: "Due installments' interest, plus the days since the last due date on the rest (ACT/365).",
  })
  interestFen!: bigint;

  @Field(() => MoneyScalar, { name: 'penalty', description: "Overdue installments' penalty to date." })
  penaltyFen!: bigint;

  @Field(() => MoneyScalar, { name: 'total', description: 'Principal + interest + penalty: what one freeze takes.' })
  totalFen!: bigint;

  @Field(() => DateScalar, { description: 'The business date the quote holds for.' })
  asOf!: string;
}
