import { Field, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';

/**
 * An investor's portfolio: sums over their receivables (one per bid and installment), each field reading
 * the domain's `Portfolio` property of the same name with `Fen`.
 */
@ObjectType('Portfolio', {
  description:
    "An investor's portfolio (我的出借), summed to the fen over their receivables: one per paid-out bid and " +
    "installment, split from the loan's schedule at the investor rate (a receivable is RECEIVED once the " +
    "borrower's payment for its installment is collected; the bank credits the investor's account within " +
    'seconds). An early repayment rewrites the remaining receivables (the current period takes all the principal ' +
    'left and the interest for the days elapsed, later periods close at zero), so interestExpected falls and ' +
    'invested stays. Read through User.portfolio: the investor themself or an admin.',
})
export class PortfolioNode {
  @Field(() => MoneyScalar, {
    name: 'invested',
    description:
      "Principal lent in loans that were paid out: the sum of the principal of all the investor's receivables, " +
      "whatever their status — over a whole loan a bid's receivables return exactly its amount, so this is the " +
      'sum of the LOANED bids. Always principalReceived + outstandingPrincipal. Bids still FROZEN (loan not paid ' +
      'out yet) do not count.',
  })
  investedFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'principalReceived',
    description: 'Principal of the receivables RECEIVED: paid back by borrowers, on time, late or early.',
  })
  principalReceivedFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'outstandingPrincipal',
    description: 'Principal of the receivables not yet RECEIVED (PENDING), overdue ones included: still owed.',
  })
  outstandingPrincipalFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'interestReceived',
    description: "Interest (at the loan's investor rate) of the receivables RECEIVED.",
  })
  interestReceivedFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'interestExpected',
    description:
      'Interest of the receivables not yet RECEIVED, overdue ones included, as the schedule stands: an early ' +
      'repayment lowers it to what the payoff pays. Penalty accruing on overdue installments is not in it.',
  })
  interestExpectedFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'penaltyReceived',
    description:
      "The investor's share (pro rata to the bid, largest remainder) of the penalty interest that borrowers paid " +
      'on late installments; what admins waived is not paid, so not in it.',
  })
  penaltyReceivedFen!: bigint;

  @Field(() => Int, {
    description:
      'Holdings with principal outstanding: paid-out bids with a receivable not yet RECEIVED that holds principal.',
  })
  holdings!: number;
}
