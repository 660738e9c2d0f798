import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CommonErrors, isId, requireRole, type SubgraphContext } from '@wanxin/platform';
import type { Installment } from '../entities/installment.entity';
import { quotePayoff, type PayoffQuote } from '../operations/payoff-quote';
import { repayEarly } from '../operations/repay-early';
import { repayInstallment } from '../operations/repay-installment';
import type { RepaymentsServices } from '../services';
import { LoanReference } from './external/loan';
import { InstallmentNode } from './installment.type';
import { PayoffQuoteNode } from './payoff-quote.type';

type Context = SubgraphContext<RepaymentsServices>;

/** What a borrower does about their own loan: pay one installment now, ask what a payoff costs, pay off. */
@Resolver()
export class BorrowerRepaymentResolver {
  @Mutation(() => LoanReference, {
    description:
      'BORROWER: repays the whole loan now — outstanding principal, interest for the days since the last due date (ACT/365), anything overdue with its penalty — in one bank freeze: exactly payoffQuote.total. The loan turns SETTLED moments later (poll or subscribe).',
  })
  async repayEarly(
    @Arg('loanId', () => ID, { description: "The signed-in borrower's REPAYING loan." }) loanId: string,
    @Ctx() context: Context,
  ): Promise<LoanReference> {
    const borrower = requireRole(context, ['BORROWER']);
    if (!isId(loanId)) throw CommonErrors.notFound('Loan', loanId);
    await repayEarly(context.em, context.services.bank, loanId, borrower.id, new Date());
    return { id: loanId };
  }

  @Mutation(() => InstallmentNode, {
    description:
      'BORROWER (主动还款): pays one installment due or overdue by the business date now — its amount plus the penalty to date — in one bank freeze, as the daily run would. Not yet due is CONFLICT; too little money INSUFFICIENT_FUNDS.',
  })
  async repayInstallment(
    @Arg('installmentId', () => ID, { description: "An installment of the signed-in borrower's loan." })
    installmentId: string,
    @Ctx() context: Context,
  ): Promise<Installment> {
    const borrower = requireRole(context, ['BORROWER']);
    if (!isId(installmentId)) throw CommonErrors.notFound('Installment', installmentId);
    return repayInstallment(context.em, context.services.bank, installmentId, borrower.id, new Date());
  }

  @Query(() => PayoffQuoteNode, {
    description: "The loan's borrower or ADMIN: what repayEarly would take on the business date, by component.",
  })
  async payoffQuote(
    @Arg('loanId', () => ID, { description: "The borrower's REPAYING loan." }) loanId: string,
    @Ctx() context: Context,
  ): Promise<PayoffQuote> {
    const viewer = requireRole(context, ['BORROWER', 'ADMIN']);
    if (!isId(loanId)) throw CommonErrors.notFound('Loan', loanId);
    return quotePayoff(context.em, loanId, viewer);
  }
}
