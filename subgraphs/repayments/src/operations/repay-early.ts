import {
  CommonErrors,
  type EntityManager,
  type InternalBankClient,
  BANK_INSUFFICIENT_BALANCE_CODE,
  unreachable,
} from '@wanxin/platform';
import { RepaymentErrors } from '../domain/errors';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { currentBusinessDate } from '../jobs/daily-run';
import { collectEarly } from './collect';

/**
 * The borrower repays everything on the business date (domain.md §2 step 10). A bank that does not
 * answer leaves the freeze to the settle pass: the loan settles when it does, and nothing is asked twice.
 */
export async function repayEarly(
  em: EntityManager,
  bank: InternalBankClient,
  loanId: string,
  borrowerId: string,
  now: Date,
): Promise<void> {
  const loan = await em.findOne(RepaymentLoan, { id: loanId });
  if (loan === null) throw CommonErrors.notFound('Loan', loanId);
  if (loan.borrowerId !== borrowerId) throw RepaymentErrors.notBorrower();
  if (loan.status !== 'REPAYING') throw RepaymentErrors.loanNotRepaying(loanId);
  const { outcome, amountFen } = await collectEarly(em, bank, loan, await currentBusinessDate(em), now);
  switch (outcome.kind) {
    case 'REPAID':
    case 'UNKNOWN':
      return;
    case 'BUSY':
      throw RepaymentErrors.collectionInProgress(loanId);
    case 'REFUSED':
      throw outcome.code === BANK_INSUFFICIENT_BALANCE_CODE
        ? RepaymentErrors.insufficientFunds(amountFen, outcome.message)
        : RepaymentErrors.bankRefused(outcome.code, outcome.message);
    default:
      unreachable(outcome, 'collection outcome');
  }
}
