import { subscribeTo } from '@wanxin/platform';
import { LoanSettled } from '@wanxin/platform/contracts';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { Loan } from '../entities/loan.entity';
import { returnLoanCredit } from '../operations/credit-line';

/**
 * `repayments.loan.settled` → the loan REPAYING → SETTLED, giving back whatever it still holds of the
 * credit line (nothing once every repaid principal came back; all of it when the installments' events
 * predate `principalFen`). A loan in any other status means the two subgraphs disagree: the message is
 * redelivered and then dead-lettered, with the reason in the log.
 */
export const loanSettled = subscribeTo(LoanSettled, 'loan-settled', async (em, { loanId }) => {
  const [from, to] = LOAN_TRANSITIONS.SETTLE;
  const loan = await em.findOne(Loan, { id: loanId }, { refresh: true });
  if (loan === null || loan.status !== from)
    throw new Error(`repayments.loan.settled: loan ${loanId} is ${loan?.status ?? 'missing'}, not ${from}`);
  // Throws (LoanNotMoved) if the loan moved since it was read: the redelivery judges it afresh.
  await returnLoanCredit(em, loan, { kind: 'ALL' }, { status: from }, { status: to });
});
