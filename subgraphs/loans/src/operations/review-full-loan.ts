import {
  assert,
  knownBusinessDate,
  LOAN_BIDS_MAX,
  publishEvent,
  type EntityManager,
  type InternalBankClient,
} from '@wanxin/platform';
import { BusinessDay } from '../entities/business-day.entity';
import { LoanErrors } from '../domain/errors';
import { newBankRequestNo, serviceFeeFen } from '../domain/loan-rules';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { LoanBid } from '../entities/loan-bid.entity';
import { Loan } from '../entities/loan.entity';
import { LoanDisbursed } from '@wanxin/platform/contracts';
import { sendToBank } from './bank-instructions';
import { closeBankProject, failLoan } from './fail-loan';
import { loanAllowing, loanTermsPayload } from './review-loan';

/** Stores the CONFIRM_LOAN requestNo and the fee once (the first attempt wins); a retry resends exactly them. */
async function payoutRequestOf(
  em: EntityManager,
  loan: Loan,
  feeRateMicros: number,
): Promise<{ requestNo: string; feeFen: bigint }> {
  if (loan.confirmRequestNo === null) {
    const fresh = { confirmRequestNo: newBankRequestNo('PAY'), feeFen: serviceFeeFen(loan.amountFen, feeRateMicros) };
    await em.nativeUpdate(Loan, { id: loan.id, status: 'FULLY_FUNDED', confirmRequestNo: null }, fresh);
  }
  const stored = await loanAllowing(em, loan.id, 'DISBURSE');
  if (stored.confirmRequestNo === null || stored.feeFen === null)
    throw LoanErrors.transitionRefused(loan.id, stored.status, 'DISBURSE');
  return { requestNo: stored.confirmRequestNo, feeFen: stored.feeFen };
}

/**
 * FULLY_FUNDED → REPAYING: CONFIRM_LOAN settles every TENDER freeze of the project into the borrower's
 * account less the fee, all or nothing at the bank, outside any transaction, its requestNo stored first.
 * - UNKNOWN: the loan stays FULLY_FUNDED and cannot be refused; approving again resends the same
 *   requestNo and fee, so the borrower is paid at most once.
 * - Refusal: nothing moved at the bank (all-or-nothing); the requestNo is cleared so the admin may
 *   approve again once the cause is fixed, or refuse the payout.
 * - Success: one transaction moves the loan and records `loans.loan.disbursed` with every bid.
 */
export async function disburseLoan(
  em: EntityManager,
  bank: InternalBankClient,
  loanId: string,
  feeRateMicros: number,
  now: Date = new Date(),
): Promise<Loan> {
  const loan = await loanAllowing(em, loanId, 'DISBURSE');
  const { requestNo, feeFen } = await payoutRequestOf(em, loan, feeRateMicros);
  const outcome = await sendToBank(bank, 'CONFIRM_LOAN', {
    requestNo,
    projectNo: loan.loanNo,
    feeFen: feeFen.toString(),
  });
  switch (outcome.kind) {
    case 'UNKNOWN':
      throw LoanErrors.bankUnanswered(loanId, 'CONFIRM_LOAN', requestNo);
    case 'REFUSED':
      await em.nativeUpdate(
        Loan,
        { id: loanId, status: 'FULLY_FUNDED', confirmRequestNo: requestNo },
        { confirmRequestNo: null, feeFen: null },
      );
      throw LoanErrors.bankRefused(loanId, 'CONFIRM_LOAN', outcome.code, outcome.message);
    case 'DONE':
      return recordDisbursement(em, loanId, now);
    default:
      throw new Error(`unexpected bank outcome ${JSON.stringify(outcome satisfies never)}`);
  }
}

async function recordDisbursement(em: EntityManager, loanId: string, now: Date): Promise<Loan> {
  const [from, to] = LOAN_TRANSITIONS.DISBURSE;
  await em.transactional(async (tx) => {
    const disbursedBusinessDate = await knownBusinessDate(tx, BusinessDay, undefined, now);
    const moved = await tx.nativeUpdate(
      Loan,
      { id: loanId, status: from },
      { status: to, disbursedAt: now, disbursedBusinessDate },
    );
    if (moved === 0)
      throw LoanErrors.transitionRefused(
        loanId,
        (await tx.findOneOrFail(Loan, { id: loanId }, { refresh: true })).status,
        'DISBURSE',
      );
    const loan = await tx.findOneOrFail(Loan, { id: loanId }, { refresh: true });
    const bids = await tx.find(LoanBid, { loanId }, { orderBy: { bidId: 'asc' }, limit: LOAN_BIDS_MAX });
    assert(
      bids.reduce((sum, bid) => sum + bid.amountFen, 0n) === loan.amountFen,
      `loan ${loanId}: its bids do not add up to its amount`,
    );
    publishEvent(
      tx,
      LoanDisbursed,
      loan.id,
      {
        ...loanTermsPayload(loan),
        disbursedAt: now.toISOString(),
        businessDate: disbursedBusinessDate,
        feeFen: (loan.feeFen ?? 0n).toString(),
        bids: bids.map((bid) => ({
          bidId: bid.bidId,
          investorId: bid.investorId,
          amountFen: bid.amountFen.toString(),
        })),
      },
      now,
    );
  });
  return em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
}

/**
 * FULLY_FUNDED → FAILED with the admin's reason and `loans.loan.failed` (bids releases the freezes);
 * then the bank project is closed outside the transaction (retried by the expiry job if that fails).
 * Refused while a payout request is unresolved: approving again settles it first.
 */
export async function refusePayout(
  em: EntityManager,
  bank: InternalBankClient,
  loanId: string,
  reason: string,
  now: Date = new Date(),
): Promise<Loan> {
  const loan = await loanAllowing(em, loanId, 'REFUSE_PAYOUT');
  if (loan.confirmRequestNo !== null || !(await failLoan(em, loanId, 'REFUSE_PAYOUT', reason, now))) {
    const current = await loanAllowing(em, loanId, 'REFUSE_PAYOUT');
    throw current.confirmRequestNo !== null
      ? LoanErrors.payoutInProgress(loanId)
      : LoanErrors.transitionRefused(loanId, current.status, 'REFUSE_PAYOUT');
  }
  const failed = await em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
  await closeBankProject(em, bank, failed, now);
  return em.findOneOrFail(Loan, { id: loanId }, { refresh: true });
}
