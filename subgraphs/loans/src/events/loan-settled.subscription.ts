import type { EventSubscription } from '@wanxin/platform';
import { LoanSettled, type LoanSettledPayload } from '@wanxin/platform/contracts';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { Loan } from '../entities/loan.entity';

/**
 * `repayments.loan.settled` → the loan REPAYING → SETTLED. A loan in any other status means the two
 * subgraphs disagree: the message is redelivered and then dead-lettered, with the reason in the log.
 */
export const loanSettled: EventSubscription<LoanSettledPayload> = {
  name: 'loan-settled',
  type: LoanSettled.type,
  version: LoanSettled.version,
  contract: LoanSettled,
  async handle(em, { loanId }) {
    const [from, to] = LOAN_TRANSITIONS.SETTLE;
    if ((await em.nativeUpdate(Loan, { id: loanId, status: from }, { status: to })) === 1) return;
    const loan = await em.findOne(Loan, { id: loanId });
    throw new Error(`repayments.loan.settled: loan ${loanId} is ${loan?.status ?? 'missing'}, not ${from}`);
  },
};
