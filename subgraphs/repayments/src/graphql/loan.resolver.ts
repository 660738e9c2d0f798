import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { SCHEDULE_TERM_MONTHS_MAX, type SubgraphContext } from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import { repaymentRecordRefusal } from '../domain/repayment-record';
import { Installment } from '../entities/installment.entity';
import { LoanShare } from '../entities/loan-share.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import type { RepaymentsServices } from '../services';
import { LoanReference } from './external/loan';
import { InstallmentNode } from './installment.type';

type Context = SubgraphContext<RepaymentsServices>;

/** Whether the signed-in viewer holds a paid-out bid of each loan: one query for a page of loans. */
function viewerInvested(context: Context, investorId: string, loanId: string): Promise<boolean> {
  // One viewer per request, so the loader's key need not name them.
  return context.loaders
    .get<string, boolean>('viewer-invested', async (loanIds, em) => {
      const shares = await em.find(LoanShare, { loanId: { $in: [...loanIds] }, investorId }, { fields: ['loanId'] });
      const invested = new Set(shares.map((share) => share.loanId));
      return loanIds.map((id) => invested.has(id));
    })
    .load(loanId);
}

/** What the repayments subgraph adds to `Loan`. */
@Resolver(() => LoanReference)
export class LoanScheduleResolver {
  /** Batched: a page of loans loads every schedule, and what the viewer may read, with a few queries. */
  @FieldResolver(() => [InstallmentNode], {
    nullable: true,
    description:
      "The repayment schedule, period 1 first; empty before the payout. Once paid out it is the borrower's repayment record: " +
      'its borrower, its investors and admins only; null (with an error) for anyone else.',
  })
  async schedule(@Root() loan: LoanReference, @Ctx() context: Context): Promise<Installment[]> {
    const paidOut = await context.loaders.byId(RepaymentLoan).load(loan.id);
    // Nothing is paid out yet: an empty schedule tells no one anything.
    if (paidOut === null) return [];
    const invested = context.viewer === null ? false : await viewerInvested(context, context.viewer.id, loan.id);
    const refusal = repaymentRecordRefusal(context.viewer, paidOut.borrowerId, invested);
    if (refusal !== null) throw RepaymentErrors.recordRefused(refusal);
    return context.loaders.allByColumn(Installment, 'loanId', 'period', SCHEDULE_TERM_MONTHS_MAX).load(loan.id);
  }
}
