import { CommonErrors, type EntityManager, type Viewer } from '@wanxin/platform';
import { earlyRepaymentPlan, payoffTotals, type PayoffTotals } from '../domain/early-repayment';
import { RepaymentErrors } from '../domain/errors';
import { UNPAID_STATUSES } from '../domain/installment-status';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import { currentBusinessDate } from './business-date';
import { loanSchedule } from './collect';

export interface PayoffQuote extends PayoffTotals {
  /** The business date the quote holds for: repayEarly on that day freezes exactly `totalFen`. */
  asOf: string;
}

/** What repayEarly would take today, by the same plan (collect.ts collectEarly): the borrower's or an admin's. */
export async function quotePayoff(em: EntityManager, loanId: string, viewer: Viewer): Promise<PayoffQuote> {
  const loan = await em.findOne(RepaymentLoan, { id: loanId });
  if (loan === null) throw CommonErrors.notFound('Loan', loanId);
  if (viewer.role !== 'ADMIN' && loan.borrowerId !== viewer.id)
    throw CommonErrors.forbidden("a payoff quote is for the loan's borrower and admins");
  const schedule = await loanSchedule(em, loan.id);
  if (loan.status !== 'REPAYING' || !schedule.some((row) => UNPAID_STATUSES.includes(row.status)))
    throw RepaymentErrors.loanNotRepaying(loanId);
  const asOf = await currentBusinessDate(em);
  return { ...payoffTotals(earlyRepaymentPlan(schedule, loan.startDate, asOf, loan.annualRateMicros)), asOf };
}
