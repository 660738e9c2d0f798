import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { SCHEDULE_TERM_MONTHS_MAX, type SubgraphContext } from '@wanxin/platform';
import { Installment } from '../entities/installment.entity';
import type { RepaymentsServices } from '../services';
import { LoanReference } from './external/loan';
import { InstallmentNode } from './installment.type';

/** What the repayments subgraph adds to `Loan`. */
@Resolver(() => LoanReference)
export class LoanScheduleResolver {
  /** Batched: a page of loans loads every schedule with one query. */
  @FieldResolver(() => [InstallmentNode], { description: 'The repayment schedule, period 1 first; empty before the payout.' })
  schedule(@Root() loan: LoanReference, @Ctx() context: SubgraphContext<RepaymentsServices>): Promise<Installment[]> {
    return context.loaders.allByColumn(Installment, 'loanId', 'period', SCHEDULE_TERM_MONTHS_MAX).load(loan.id);
  }
}
