import { assert, type EntityManager } from '@wanxin/platform';
import { collectionSeverity, collectionStage } from '../domain/collection-case';
import { CollectionCase } from '../entities/collection-case.entity';
import { Installment } from '../entities/installment.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { closeCasesOfCurrentLoans, overdueLoanIdsAfter } from '../store';

/** Overdue loans one transaction opens or advances the cases of. */
export const CASE_PAGE_MAX = 1_000;

export interface CaseReport {
  opened: number;
  advanced: number;
  closed: number;
}

interface OverdueLoan {
  loanId: string;
  overdueDays: number;
  overdueSince: string;
  overdueAmountFen: bigint;
}

/**
 * The nightly collection pass (after the day's collections): every loan with an overdue installment has
 * an OPEN case with the day's figures, stage and severity; every OPEN case of a loan with nothing overdue
 * is CLOSED. Paged by loan id; each page is two reads and one transaction.
 */
export async function updateCollectionCases(em: EntityManager, day: string): Promise<CaseReport> {
  const report: CaseReport = { opened: 0, advanced: 0, closed: 0 };
  for (let afterLoanId = ''; ;) {
    const loanIds = await overdueLoanIdsAfter(em.fork(), afterLoanId, CASE_PAGE_MAX);
    if (loanIds.length > 0) await openOrAdvance(em, await overdueLoans(em, loanIds), day, report);
    if (loanIds.length < CASE_PAGE_MAX) break;
    afterLoanId = loanIds[loanIds.length - 1];
  }
  report.closed = await closeCasesOfCurrentLoans(em.fork(), null, day);
  return report;
}

async function overdueLoans(em: EntityManager, loanIds: string[]): Promise<OverdueLoan[]> {
  const installments = await em
    .fork()
    .find(Installment, { loanId: { $in: loanIds }, status: 'OVERDUE' }, { orderBy: { loanId: 'asc', period: 'asc' } });
  const byLoan = new Map<string, OverdueLoan>();
  for (const installment of installments) {
    const owedFen = installment.principalFen + installment.interestFen + installment.penaltyFen;
    const loan = byLoan.get(installment.loanId);
    if (loan === undefined) {
      // Period order: the first overdue installment is the oldest.
      byLoan.set(installment.loanId, {
        loanId: installment.loanId,
        overdueDays: installment.overdueDays,
        overdueSince: installment.dueDate,
        overdueAmountFen: owedFen,
      });
    } else {
      loan.overdueAmountFen += owedFen;
    }
  }
  return [...byLoan.values()];
}

async function openOrAdvance(em: EntityManager, loans: OverdueLoan[], day: string, report: CaseReport): Promise<void> {
  await em.fork().transactional(async (tx) => {
    const loanIds = loans.map(({ loanId }) => loanId);
    const open = new Map(
      (await tx.find(CollectionCase, { openLoanId: { $in: loanIds } })).map((row) => [row.loanId, row]),
    );
    const borrowers = new Map(
      (await tx.find(RepaymentLoan, { id: { $in: loanIds } }, { fields: ['id', 'borrowerId'] })).map((loan) => [
        loan.id,
        loan.borrowerId,
      ]),
    );
    for (const loan of loans) {
      const figures = {
        stage: collectionStage(loan.overdueDays),
        severity: collectionSeverity(loan.overdueDays),
        overdueDays: loan.overdueDays,
        overdueSince: loan.overdueSince,
        overdueAmountFen: loan.overdueAmountFen,
        updatedOn: day,
      };
      const existing = open.get(loan.loanId);
      if (existing !== undefined) {
        Object.assign(existing, figures);
        report.advanced += 1;
        continue;
      }
      const borrowerId = borrowers.get(loan.loanId);
      assert(borrowerId !== undefined, `overdue loan ${loan.loanId} is known to repayments`);
      tx.create(CollectionCase, {
        ...figures,
        loanId: loan.loanId,
        openLoanId: loan.loanId,
        borrowerId,
        status: 'OPEN',
        openedOn: day,
      });
      report.opened += 1;
    }
  });
}
