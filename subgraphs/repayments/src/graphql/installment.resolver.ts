import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { MoneyScalar, type SubgraphContext } from '@wanxin/platform';
import { installmentAmountFen } from '../domain/installment-amount';
import { WAIVERS_PER_INSTALLMENT_MAX } from '../domain/overdue';
import { Installment } from '../entities/installment.entity';
import { PenaltyWaiver } from '../entities/penalty-waiver.entity';
import { LoanReference } from './external/loan';
import { InstallmentNode } from './installment.type';
import { PenaltyWaiverNode } from './penalty-waiver.type';

@Resolver(() => InstallmentNode)
export class InstallmentResolver {
  @FieldResolver(() => MoneyScalar, { description: 'Principal plus interest; the penalty is separate.' })
  amount(@Root() installment: Installment): bigint {
    return installmentAmountFen(installment.principalFen, installment.interestFen);
  }

  @FieldResolver(() => LoanReference, { nullable: true, description: "Its loan; null on scheduleQuote's rows." })
  loan(@Root() installment: Installment): LoanReference | null {
    return installment.loanId === undefined ? null : { id: installment.loanId };
  }

  /** Batched: a schedule's waivers in one query. */
  @FieldResolver(() => [PenaltyWaiverNode], { description: 'Every waiver of its penalty, oldest first.' })
  penaltyWaivers(@Root() installment: Installment, @Ctx() context: SubgraphContext<unknown>): Promise<PenaltyWaiver[]> {
    return context.loaders
      .allByColumn(PenaltyWaiver, 'installmentId', 'waivedAt', WAIVERS_PER_INSTALLMENT_MAX)
      .load(installment.id);
  }
}
