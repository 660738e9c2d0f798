import { isId, type EventSubscription, type JsonObject } from '@wanxin/platform';
import { LOAN_TRANSITIONS } from '../domain/loan-status';
import { Loan } from '../entities/loan.entity';

/** Reads the loan id of `repayments.loan.settled`. */
export function decodeLoanSettled(payload: JsonObject): { loanId: string } | null {
  return typeof payload.loanId === 'string' && isId(payload.loanId) ? { loanId: payload.loanId } : null;
}

/**
 * `repayments.loan.settled` → the loan REPAYING → SETTLED. A loan in any other status means the two
 * subgraphs disagree: the message is redelivered and then dead-lettered, with the reason in the log.
 */
export const loanSettled: EventSubscription<{ loanId: string }> = {
  name: 'loan-settled',
  type: 'repayments.loan.settled',
  version: 1,
  decode: decodeLoanSettled,
  async handle(em, { loanId }) {
    const [from, to] = LOAN_TRANSITIONS.SETTLE;
    if ((await em.nativeUpdate(Loan, { id: loanId, status: from }, { status: to })) === 1) return;
    const loan = await em.findOne(Loan, { id: loanId });
    throw new Error(`repayments.loan.settled: loan ${loanId} is ${loan?.status ?? 'missing'}, not ${from}`);
  },
};
