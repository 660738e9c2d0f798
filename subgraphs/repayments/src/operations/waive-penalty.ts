import { CommonErrors, retryingLockConflicts, rowLockOptions, type EntityManager } from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import { UNPAID_STATUSES } from '../domain/installment-status';
import { waiverProblem } from '../domain/overdue';
import { BusinessClock, BUSINESS_CLOCK_ID } from '../entities/business-clock.entity';
import { Collection } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { PenaltyWaiver } from '../entities/penalty-waiver.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';

export interface WaiverRequest {
  installmentId: string;
  amountFen: bigint;
  reason: string;
  adminId: string;
}

/**
 * An admin lowers an unpaid installment's penalty, recorded with who, when and why. Under the clock's and
 * the loan's locks: not while a daily run holds the clock (it would accrue from the amount it read) nor
 * while a collection of the loan waits for the bank (its freeze holds the penalty as it was). The
 * investors' shares follow: a repayment splits the penalty the installment then owes.
 */
export async function waivePenalty(em: EntityManager, request: WaiverRequest, now: Date): Promise<Installment> {
  const { installmentId, amountFen, reason, adminId } = request;
  await retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      const lock = { ...rowLockOptions(tx), disableIdentityMap: true };
      const [clock] = await tx.find(BusinessClock, { id: BUSINESS_CLOCK_ID }, lock);
      if (clock.runId !== null) throw RepaymentErrors.runInProgress();
      const installment = await tx.findOne(Installment, { id: installmentId }, { refresh: true });
      if (installment === null) throw CommonErrors.notFound('Installment', installmentId);
      await tx.find(RepaymentLoan, { id: installment.loanId }, { ...lock, fields: ['id'] });
      const current = await tx.findOneOrFail(Installment, { id: installmentId }, { refresh: true });
      if (!UNPAID_STATUSES.includes(current.status)) throw RepaymentErrors.alreadyRepaid();
      if ((await tx.count(Collection, { loanId: current.loanId, status: 'SENT' })) > 0)
        throw RepaymentErrors.collectionInProgress(current.loanId);
      const waiversSoFar = await tx.count(PenaltyWaiver, { installmentId });
      const problem = waiverProblem(amountFen, current.penaltyFen, waiversSoFar);
      if (problem !== null) throw CommonErrors.badInput('amount', problem);
      current.penaltyFen -= amountFen;
      current.penaltyWaivedFen += amountFen;
      tx.create(PenaltyWaiver, {
        installmentId,
        loanId: current.loanId,
        amountFen,
        reason,
        waivedBy: adminId,
        businessDate: clock.businessDate,
        waivedAt: now,
      });
    }),
  );
  return em.findOneOrFail(Installment, { id: installmentId }, { refresh: true });
}
