import type { EntityData } from '@mikro-orm/core';
import { publishEvent, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { newBankRequestNo } from '../domain/loan-rules';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { Loan } from '../entities/loan.entity';
import { LoanFailed } from '@wanxin/platform/contracts';
import { sendToBank } from './bank-instructions';
import { movedGivingBackCredit } from './credit-line';

/** The reason `loans.loan.failed` carries when the funding window closed. */
export const FUNDING_WINDOW_EXPIRED = 'FUNDING_WINDOW_EXPIRED';
/** The reason `loans.loan.failed` carries, and everyone reads, when an admin cancelled the listing. */
export const LISTING_CANCELLED = 'CANCELLED';

/**
 * FUNDRAISING (EXPIRE, CANCEL) or FULLY_FUNDED (REFUSE_PAYOUT) → FAILED, conditionally, with `loans.loan.failed`
 * in the same transaction (bids releases every freeze from it), the loan's use of the credit line given
 * back, and the MODIFY_PROJECT requestNo stored for closing the bank project afterwards. False when the
 * loan was no longer in the `from` status.
 */
export async function failLoan(
  em: EntityManager,
  loanId: string,
  action: 'EXPIRE' | 'REFUSE_PAYOUT' | 'CANCEL',
  reason: string,
  now: Date,
  alsoSet: EntityData<Loan> = {},
): Promise<boolean> {
  const [from, to] = LOAN_TRANSITIONS[action];
  const loan = await em.findOne(Loan, { id: loanId }, { refresh: true });
  if (loan === null || loan.status !== from) return false;
  // A FULLY_FUNDED loan whose payout request was sent may have been paid: it cannot fail here.
  const where = action === 'REFUSE_PAYOUT' ? { status: from, confirmRequestNo: null } : { status: from };
  return movedGivingBackCredit(
    em,
    loan,
    where,
    { ...alsoSet, status: to, failReason: reason, closeRequestNo: newBankRequestNo('CLS') },
    (tx) => publishEvent(tx, LoanFailed, loanId, { loanId, reason }, now),
  );
}

/**
 * Tells the bank the failed loan's project is FAILED (outside any transaction). An UNKNOWN answer or a
 * refusal leaves `bankProjectClosedAt` null and the next expiry run sends the same requestNo again.
 */
export async function closeBankProject(
  em: EntityManager,
  bank: InternalBankClient,
  loan: Loan,
  now: Date,
): Promise<boolean> {
  if (loan.closeRequestNo === null || loan.bankProjectClosedAt !== null) return loan.bankProjectClosedAt !== null;
  const outcome = await sendToBank(bank, 'MODIFY_PROJECT', {
    requestNo: loan.closeRequestNo,
    projectNo: loan.loanNo,
    status: 'FAILED',
  });
  if (outcome.kind !== 'DONE') return false;
  await em.nativeUpdate(
    Loan,
    { id: loan.id, status: 'FAILED', bankProjectClosedAt: null },
    { bankProjectClosedAt: now },
  );
  return true;
}
