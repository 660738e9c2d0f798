import { assert, CommonErrors, rowLockOptions, type EntityManager } from '@wanxin/platform';
import type { HoldingReceivable } from '../domain/transfer';
import { Receivable } from '../entities/receivable.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { loanSchedule } from './collect';

/**
 * The loan, read afresh under its row lock: the lock collections take (collect.ts openCollections), so a
 * listing or a sale's reservation never interleaves with a collection of the same loan.
 */
export async function lockedLoan(tx: EntityManager, loanId: string): Promise<RepaymentLoan> {
  const loan = await tx.findOne(RepaymentLoan, { id: loanId }, { ...rowLockOptions(tx), refresh: true });
  if (loan === null) throw CommonErrors.notFound('Loan', loanId);
  return loan;
}

/**
 * Every receivable of the bid with its installment's period, due date and status (through the unique
 * (installment, bid) key: the bid's receivables of earlier periods may belong to an earlier holder). The
 * ones not yet RECEIVED are the holding, and belong to `holderId`.
 */
export async function holdingOf(
  tx: EntityManager,
  loanId: string,
  bidId: string,
  holderId: string,
): Promise<HoldingReceivable[]> {
  const schedule = new Map((await loanSchedule(tx, loanId)).map((installment) => [installment.id, installment]));
  const receivables = await tx.find(
    Receivable,
    { installmentId: { $in: [...schedule.keys()] }, bidId },
    { refresh: true },
  );
  assert(receivables.length === schedule.size, `bid ${bidId} has one receivable per installment of loan ${loanId}`);
  return receivables.map((receivable) => {
    const installment = schedule.get(receivable.installmentId)!;
    const held = receivable.status === 'PENDING';
    assert(!held || receivable.investorId === holderId, `receivable ${receivable.id} is held by its bid's holder`);
    return {
      period: installment.period,
      dueDate: installment.dueDate,
      principalFen: receivable.principalFen,
      interestFen: receivable.interestFen,
      installmentStatus: installment.status,
      received: !held,
    };
  });
}
