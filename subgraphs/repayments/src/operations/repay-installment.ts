import { CommonErrors, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import { UNPAID_STATUSES } from '../domain/installment-status';
import { Installment } from '../entities/installment.entity';
import { currentBusinessDate } from './business-date';
import { collectInstallments } from './collect';
import { borrowersRepayingLoan, requireCollected } from './repay-early';

/**
 * The borrower pays one due or overdue installment now (主动还款): amount plus the penalty to date, through
 * the same collection as the daily run's, so the two never collect it twice (collect.ts locks the loan).
 */
export async function repayInstallment(
  em: EntityManager,
  bank: InternalBankClient,
  installmentId: string,
  borrowerId: string,
  now: Date,
): Promise<Installment> {
  const installment = await em.findOne(Installment, { id: installmentId });
  if (installment === null) throw CommonErrors.notFound('Installment', installmentId);
  await borrowersRepayingLoan(em, installment.loanId, borrowerId);
  if (!UNPAID_STATUSES.includes(installment.status)) throw RepaymentErrors.alreadyRepaid();
  const businessDate = await currentBusinessDate(em);
  if (installment.dueDate > businessDate) throw RepaymentErrors.notYetDue(installment.dueDate, businessDate);
  const [outcome] = await collectInstallments(em, bank, [installment], businessDate, now);
  const amountFen = installment.principalFen + installment.interestFen + installment.penaltyFen;
  requireCollected(outcome, amountFen, installment.loanId);
  return em.findOneOrFail(Installment, { id: installmentId }, { refresh: true });
}
