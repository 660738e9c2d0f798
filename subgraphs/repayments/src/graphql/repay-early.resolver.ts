import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { CommonErrors, isId, requireRole, type SubgraphContext } from '@wanxin/platform';
import { repayEarly } from '../operations/repay-early';
import type { RepaymentsServices } from '../services';
import { LoanReference } from './external/loan';

@Resolver()
export class RepayEarlyResolver {
  @Mutation(() => LoanReference, {
    description:
      'BORROWER: repays the whole loan now — outstanding principal, interest for the days since the last due date (ACT/365), anything overdue with its penalty — in one bank freeze. The loan turns SETTLED moments later (poll or subscribe).',
  })
  async repayEarly(
    @Arg('loanId', () => ID, { description: "The signed-in borrower's REPAYING loan." }) loanId: string,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<LoanReference> {
    const borrower = requireRole(context, ['BORROWER']);
    if (!isId(loanId)) throw CommonErrors.notFound('Loan', loanId);
    await repayEarly(context.em, context.services.bank, loanId, borrower.id, new Date());
    return { id: loanId };
  }
}
