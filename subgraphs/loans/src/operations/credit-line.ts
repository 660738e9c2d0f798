import type { EntityData, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@wanxin/platform';
import { giveBackCredit, restoreCredit } from '../domain/credit-line';
import { CreditLine } from '../entities/credit-line.entity';
import { Loan } from '../entities/loan.entity';
import { giveBackToCreditLine } from '../store';

/** The loan no longer matched its conditional UPDATE: the transaction rolls back what it gave back. */
export class LoanNotMoved extends Error {}

/** What a loan gives back: everything it holds (rejected, failed, settled), or one repaid principal. */
export type CreditReturn = { kind: 'ALL' } | { kind: 'PRINCIPAL'; repaidPrincipalFen: bigint };

/**
 * In `tx`: gives back to the borrower's line what `given` says of what `loan` holds (as read), and takes it
 * off the loan by one UPDATE conditional on `where` and on that holding, which also applies `update`. A
 * repaid principal restores at most what the loan still holds. Throws LoanNotMoved when the loan no
 * longer matches, so a concurrent move or a redelivery never gives the same amount back twice.
 */
export async function returnLoanCredit(
  tx: EntityManager,
  loan: Loan,
  given: CreditReturn,
  where: FilterQuery<Loan> & object,
  update: EntityData<Loan> = {},
): Promise<void> {
  const heldFen = loan.creditUsedFen;
  let stillHeldFen = heldFen;
  if (heldFen > 0n) {
    const line = await tx.findOneOrFail(CreditLine, { userId: loan.borrowerId }, { refresh: true });
    const release =
      given.kind === 'ALL'
        ? giveBackCredit(line, heldFen)
        : restoreCredit(line, given.repaidPrincipalFen < heldFen ? given.repaidPrincipalFen : heldFen, heldFen);
    stillHeldFen = release.loanOutstandingUseFen;
    // The line before the loan, the order createLoan locks them in: the two cannot deadlock.
    if (stillHeldFen < heldFen) await giveBackToCreditLine(tx, loan.borrowerId, heldFen - stillHeldFen);
  }
  const moved = await tx.nativeUpdate(
    Loan,
    { ...where, id: loan.id, creditUsedFen: heldFen },
    { ...update, creditUsedFen: stillHeldFen },
  );
  if (moved === 0) throw new LoanNotMoved(`loan ${loan.id} changed since it was read`);
}

/**
 * Moves `loan` (conditionally on `where`) with `update`, giving back all it holds of the credit line, and
 * runs `andThen` (its event) in the same transaction. False, with nothing changed, when the loan no
 * longer matched.
 */
export async function movedGivingBackCredit(
  em: EntityManager,
  loan: Loan,
  where: FilterQuery<Loan> & object,
  update: EntityData<Loan>,
  andThen: (tx: EntityManager) => void = () => {},
): Promise<boolean> {
  try {
    await em.transactional(async (tx) => {
      await returnLoanCredit(tx, loan, { kind: 'ALL' }, where, update);
      andThen(tx);
    });
    return true;
  } catch (error) {
    if (error instanceof LoanNotMoved) return false;
    throw error;
  }
}
