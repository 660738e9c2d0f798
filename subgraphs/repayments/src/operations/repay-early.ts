import {
  CommonErrors,
  type EntityManager,
  type InternalBankClient,
  BANK_INSUFFICIENT_BALANCE_CODE,
  unreachable,
} from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { currentBusinessDate } from './business-date';
import { collectEarly, type CollectOutcome } from './collect';

/** The borrower's own REPAYING loan, or the error that says why not. */
export async function borrowersRepayingLoan(
  em: EntityManager,
  loanId: string,
  borrowerId: string,
): Promise<RepaymentLoan> {
  const loan = await em.findOne(RepaymentLoan, { id: loanId });
  if (loan === null) throw CommonErrors.notFound('Loan', loanId);
  if (loan.borrowerId !== borrowerId) throw RepaymentErrors.notBorrower();
  if (loan.status !== 'REPAYING') throw RepaymentErrors.loanNotRepaying(loanId);
  return loan;
}

/**
 * A borrower's collection answered: frozen, or left to the settle pass when the bank did not answer
 * (the installments are repaid when it does, and nothing is asked twice); anything else is the error.
 */
export function requireCollected(outcome: CollectOutcome, amountFen: bigint, loanId: string): void {
  switch (outcome.kind) {
    case 'REPAID':
    case 'UNKNOWN':
      return;
    case 'BUSY':
      throw RepaymentErrors.collectionInProgress(loanId);
    case 'ALREADY_REPAID':
      throw RepaymentErrors.alreadyRepaid();
    case 'REFUSED':
      throw outcome.code === BANK_INSUFFICIENT_BALANCE_CODE
        ? RepaymentErrors.insufficientFunds(amountFen, outcome.message)
        : RepaymentErrors.bankRefused(outcome.code, outcome.message);
    default:
      unreachable(outcome, 'collection outcome');
  }
}

/** The borrower repays everything on the business date (domain.md §2 step 10): exactly payoffQuote's total. */
export async function repayEarly(
  em: EntityManager,
  bank: InternalBankClient,
  loanId: string,
  borrowerId: string,
  now: Date,
): Promise<void> {
  const loan = await borrowersRepayingLoan(em, loanId, borrowerId);
  const { outcome, amountFen } = await collectEarly(em, bank, loan, await currentBusinessDate(em), now);
  requireCollected(outcome, amountFen, loanId);
}
