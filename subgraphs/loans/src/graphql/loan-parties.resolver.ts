import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '@wanxin/platform';
import { LoanBid } from '../entities/loan-bid.entity';
import type { Loan } from '../entities/loan.entity';
import type { LoansServices } from '../services';
import { LoanNode } from './loan.type';

/** Who takes part in a loan: what the gateway asks before it lets someone follow the loan's repayments. */
@Resolver(() => LoanNode)
export class LoanPartiesResolver {
  @FieldResolver(() => Boolean, {
    description:
      "Whether the signed-in user is this loan's borrower, one of its funded investors, or an admin (who may follow repaymentStatus).",
  })
  async viewerIsParty(@Root() loan: Loan, @Ctx() context: SubgraphContext<LoansServices>): Promise<boolean> {
    const viewer = context.viewer;
    if (viewer === null) return false;
    if (viewer.role === 'ADMIN' || viewer.id === loan.borrowerId) return true;
    return (await context.em.count(LoanBid, { loanId: loan.id, investorId: viewer.id })) > 0;
  }
}
