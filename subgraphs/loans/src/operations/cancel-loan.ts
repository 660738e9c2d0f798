import type { InternalBankClient, EntityManager, Viewer } from '@wanxin/platform';
import { LoanErrors } from '../domain/errors';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { canSeeLoan } from '../domain/loan-visibility';
import { Loan } from '../entities/loan.entity';
import { movedGivingBackCredit } from './credit-line';
import { closeBankProject, failLoan, LISTING_CANCELLED } from './fail-loan';

/**
 * cancelLoan: its borrower withdraws it before review; an admin withdraws it before review or cancels its
 * listing while it is fundraising (FAILED with `loans.loan.failed`: bids releases every freeze, the bank
 * project is closed). Either way the loan gives its use of the credit line back. Anything else is CONFLICT.
 */
export async function cancelLoan(
  em: EntityManager,
  bank: InternalBankClient,
  loanId: string,
  canceller: Viewer,
  reason: string,
  now: Date = new Date(),
): Promise<Loan> {
  const loan = await em.findOne(Loan, { id: loanId }, { refresh: true });
  if (loan === null || !canSeeLoan(canceller, loan)) throw LoanErrors.notFound(loanId);
  const byAdmin = canceller.role === 'ADMIN';
  if (!byAdmin && loan.borrowerId !== canceller.id) throw LoanErrors.notYourLoan();
  const cancelled = { cancelReason: reason, cancelledBy: canceller.id };
  if (loan.status === 'FUNDRAISING' && byAdmin) {
    if (!(await failLoan(em, loanId, 'CANCEL', LISTING_CANCELLED, now, cancelled)))
      throw await refusal(em, loanId, 'CANCEL');
    await closeBankProject(em, bank, await em.findOneOrFail(Loan, { id: loanId }, { refresh: true }), now);
  } else if (loan.status === 'PENDING_REVIEW') {
    const [from, to] = LOAN_TRANSITIONS.WITHDRAW;
    // Not while an approval's CREATE_PROJECT is unresolved: a project must not outlive a withdrawn loan.
    const where = { status: from, projectRequestNo: null };
    if (!(await movedGivingBackCredit(em, loan, where, { ...cancelled, status: to, underReviewBorrowerId: null })))
      throw await refusal(em, loanId, 'WITHDRAW');
  } else {
    throw byAdmin ? LoanErrors.notCancellable(loanId, loan.status) : LoanErrors.notWithdrawable(loanId, loan.status);
  }
  return em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
}

/** Why a move that matched no row was refused: an approval at the bank, or the loan moved on meanwhile. */
async function refusal(em: EntityManager, loanId: string, action: 'WITHDRAW' | 'CANCEL'): Promise<Error> {
  const current = await em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
  if (current.status === 'PENDING_REVIEW' && current.projectRequestNo !== null)
    return LoanErrors.approvalInProgress(loanId);
  return LoanErrors.transitionRefused(loanId, current.status, action);
}
