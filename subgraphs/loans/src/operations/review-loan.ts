import {
  bankUserNoFor,
  knownBusinessDate,
  publishEvent,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import { LoanErrors } from '../domain/errors';
import { businessTimeOf, newBankRequestNo } from '../domain/loan-rules';
import { LOAN_TRANSITIONS, nextLoanStatus, type LoanAction } from '../domain/loan-status';
import { BusinessDay } from '../entities/business-day.entity';
import { Loan } from '../entities/loan.entity';
import { LoanOpened, type LoanTermsPayload } from '@wanxin/platform/contracts';
import { sendToBank } from './bank-instructions';
import { movedGivingBackCredit } from './credit-line';

/** The loan's terms in the fields (and order) the loan events carry them. */
export function loanTermsPayload(loan: Loan): LoanTermsPayload {
  return {
    loanId: loan.id,
    loanNo: loan.loanNo,
    borrowerId: loan.borrowerId,
    amountFen: loan.amountFen.toString(),
    annualRateMicros: loan.annualRateMicros,
    investorRateMicros: loan.investorRateMicros,
    termMonths: loan.termMonths,
    repaymentMethod: loan.repaymentMethod,
  };
}

/** The loan, or NOT_FOUND; CONFLICT when its status does not allow `action`. */
export async function loanAllowing(em: EntityManager, loanId: string, action: LoanAction): Promise<Loan> {
  const loan = await em.findOne(Loan, { id: loanId }, { refresh: true });
  if (loan === null) throw LoanErrors.notFound(loanId);
  if (nextLoanStatus(loan.status, action) === null) throw LoanErrors.transitionRefused(loanId, loan.status, action);
  return loan;
}

/**
 * PENDING_REVIEW → REJECTED, giving the loan's use of the credit line back. Refused while an approval's
 * CREATE_PROJECT is unresolved (see approveLoan).
 */
export async function rejectLoan(em: EntityManager, loanId: string, reason: string): Promise<Loan> {
  const loan = await loanAllowing(em, loanId, 'REJECT');
  const [from, to] = LOAN_TRANSITIONS.REJECT;
  const moved = await movedGivingBackCredit(
    em,
    loan,
    { status: from, projectRequestNo: null },
    { status: to, rejectReason: reason, underReviewBorrowerId: null },
  );
  if (!moved) {
    const now = await loanAllowing(em, loanId, 'REJECT');
    throw now.projectRequestNo !== null
      ? LoanErrors.approvalInProgress(loanId)
      : LoanErrors.transitionRefused(loanId, loan.status, 'REJECT');
  }
  return em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
}

/** Stores the CREATE_PROJECT requestNo once (the first approval attempt wins) and returns the stored one. */
async function projectRequestNoOf(em: EntityManager, loan: Loan): Promise<string> {
  if (loan.projectRequestNo !== null) return loan.projectRequestNo;
  await em.nativeUpdate(
    Loan,
    { id: loan.id, status: 'PENDING_REVIEW', projectRequestNo: null },
    { projectRequestNo: newBankRequestNo('PRJ') },
  );
  const stored = await loanAllowing(em, loan.id, 'APPROVE');
  if (stored.projectRequestNo === null) throw LoanErrors.transitionRefused(loan.id, stored.status, 'APPROVE');
  return stored.projectRequestNo;
}

/**
 * PENDING_REVIEW → FUNDRAISING: register the project at the bank (projectNo = loanNo), then open the loan.
 * The bank call is outside any transaction, with its requestNo stored on the loan first:
 * - UNKNOWN answer: the loan stays PENDING_REVIEW, the admin gets a retryable error, and approving again
 *   sends the same requestNo (the bank answers a repeat from its records, never creating two projects).
 *   Meanwhile the loan cannot be rejected, so a project cannot outlive a rejected loan.
 * - Refusal (e.g. the borrower has no bank account): nothing exists at the bank; the loan stays
 *   PENDING_REVIEW and the stored requestNo is cleared, so the admin may fix the cause and approve again
 *   (with a new requestNo, since the bank would repeat its stored refusal) or reject with a reason. We do
 *   not reject automatically: a bank refusal is an operational problem, not a verdict on the loan.
 * - Success: one transaction moves the loan (conditionally) and records `loans.loan.opened`.
 */
export async function approveLoan(
  em: EntityManager,
  bank: InternalBankClient,
  loanId: string,
  now: Date = new Date(),
): Promise<Loan> {
  const loan = await loanAllowing(em, loanId, 'APPROVE');
  const requestNo = await projectRequestNoOf(em, loan);
  const outcome = await sendToBank(bank, 'CREATE_PROJECT', {
    requestNo,
    projectNo: loan.loanNo,
    borrowerUserNo: bankUserNoFor(loan.borrowerId),
    amountFen: loan.amountFen.toString(),
    name: loan.title,
  });
  switch (outcome.kind) {
    case 'UNKNOWN':
      throw LoanErrors.bankUnanswered(loanId, 'CREATE_PROJECT', requestNo);
    case 'REFUSED':
      await em.nativeUpdate(
        Loan,
        { id: loanId, status: 'PENDING_REVIEW', projectRequestNo: requestNo },
        { projectRequestNo: null },
      );
      throw LoanErrors.bankRefused(loanId, 'CREATE_PROJECT', outcome.code, outcome.message);
    case 'DONE':
      return openLoan(em, loanId, now);
    default:
      throw new Error(`unexpected bank outcome ${JSON.stringify(outcome satisfies never)}`);
  }
}

async function openLoan(em: EntityManager, loanId: string, now: Date): Promise<Loan> {
  const [from, to] = LOAN_TRANSITIONS.APPROVE;
  await em.transactional(async (tx) => {
    const [latestDay] = await tx.find(BusinessDay, {}, { orderBy: { date: 'desc' }, fields: ['date'], limit: 1 });
    const openedBusinessAt = businessTimeOf(now, latestDay?.date ?? null);
    const openedBusinessDate = await knownBusinessDate(tx, BusinessDay, undefined, now);
    const moved = await tx.nativeUpdate(
      Loan,
      { id: loanId, status: from },
      { status: to, openedAt: now, openedBusinessAt, openedBusinessDate, underReviewBorrowerId: null },
    );
    // A concurrent approval with the same requestNo got the same answer and opened it first.
    if (moved === 0)
      throw LoanErrors.transitionRefused(
        loanId,
        (await tx.findOneOrFail(Loan, { id: loanId }, { refresh: true })).status,
        'APPROVE',
      );
    const loan = await tx.findOneOrFail(Loan, { id: loanId }, { refresh: true });
    publishEvent(
      tx,
      LoanOpened,
      loan.id,
      { ...loanTermsPayload(loan), openedAt: now.toISOString(), businessDate: openedBusinessDate },
      now,
    );
  });
  return em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
}
