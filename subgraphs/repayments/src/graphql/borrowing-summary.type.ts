import { Field, Int, ObjectType } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';

/**
 * A borrower's summary: sums over the unpaid installments of their loans, each field reading the domain's
 * `BorrowingSummary` property of the same name with `Fen`; `nextDue` is resolved in user.resolver.ts.
 */
@ObjectType('BorrowingSummary', {
  description:
    "A borrower's summary (我的借款), summed to the fen over the unpaid (PENDING or OVERDUE) installments of " +
    'their paid-out loans. Read through User.borrowing: the borrower themself or an admin.',
})
export class BorrowingSummaryNode {
  /** Whose summary: nextDue reads it. */
  borrowerId!: string;

  @Field(() => MoneyScalar, {
    name: 'outstandingPrincipal',
    description:
      'Principal of the installments not yet repaid, overdue ones included: what repayEarly would settle, ' +
      'before interest and penalty.',
  })
  outstandingPrincipalFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'overdueAmount',
    description:
      'What the OVERDUE installments owe now: their principal and interest plus the penalty accrued to the ' +
      'business date, less what admins waived — exactly what repayInstallment takes for all of them today.',
  })
  overdueAmountFen!: bigint;

  @Field(() => MoneyScalar, {
    name: 'overduePenalty',
    description: 'The penalty part of overdueAmount: accrued daily on the overdue installments, less waivers.',
  })
  overduePenaltyFen!: bigint;

  @Field(() => Int, { description: 'Installments OVERDUE now.' })
  overdueInstallments!: number;

  @Field(() => Int, { description: 'Paid-out loans still REPAYING.' })
  loansRepaying!: number;
}
