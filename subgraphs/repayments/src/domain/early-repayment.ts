import { assert, daysBetween, divideRoundHalfUp, RATE_SCALE_MICROS } from '@wanxin/platform';
import { UNPAID_STATUSES, type InstallmentStatus } from './installment-status';

// Prepayment (随借随还, domain.md §2 step 10): the borrower repays everything now. Installments already
// due (on or before the business date) are paid as they stand, penalty included; of the rest, the
// current period's installment takes all outstanding principal plus interest for the days since the last
// due date (ACT/365 at the borrower's rate, capped at the period's scheduled interest) and every later one
// is closed at zero.

export interface ScheduledInstallment {
  id: string;
  period: number;
  dueDate: string;
  principalFen: bigint;
  interestFen: bigint;
  penaltyFen: bigint;
  status: InstallmentStatus;
}

/** What one installment is repaid with. */
export interface EarlyRepaymentRow {
  id: string;
  principalFen: bigint;
  interestFen: bigint;
  penaltyFen: bigint;
  /** Whether its amounts differ from the schedule (its receivables must be split again). */
  rewritten: boolean;
}

export interface EarlyRepaymentPlan {
  rows: EarlyRepaymentRow[];
  totalFen: bigint;
  /** The days of interest charged on the outstanding principal. */
  interestDays: number;
}

const DAY_COUNT_DENOMINATOR = BigInt(RATE_SCALE_MICROS) * 365n;

/**
 * Interest on `principalFen` for `days` at `annualRateMicros` (ACT/365, rounded half up), never more than
 * `capFen`, the period's scheduled interest: a long period (BULLET's whole term) counted in days can exceed
 * it, and repaying early (or buying a holding) must not cost more than waiting.
 */
export function accruedInterestFen(
  principalFen: bigint,
  annualRateMicros: number,
  days: number,
  capFen: bigint,
): bigint {
  assert(Number.isInteger(days) && days >= 0, `interest accrues over whole days, got ${days}`);
  const accruedFen = divideRoundHalfUp(principalFen * BigInt(annualRateMicros) * BigInt(days), DAY_COUNT_DENOMINATOR);
  return accruedFen < capFen ? accruedFen : capFen;
}

export function earlyRepaymentPlan(
  schedule: readonly ScheduledInstallment[],
  startDate: string,
  businessDate: string,
  annualRateMicros: number,
): EarlyRepaymentPlan {
  assert(schedule.length >= 1, 'a loan has at least one installment');
  schedule.forEach((row, index) =>
    assert(row.period === index + 1, `the schedule must be in period order, got ${row.period} at ${index}`),
  );
  const unpaid = schedule.filter((row) => UNPAID_STATUSES.includes(row.status));
  assert(unpaid.length >= 1, 'nothing is owed');
  const due = unpaid.filter((row) => row.dueDate <= businessDate);
  const future = unpaid.filter((row) => row.dueDate > businessDate);
  const rows: EarlyRepaymentRow[] = due.map((row) => ({
    id: row.id,
    principalFen: row.principalFen,
    interestFen: row.interestFen,
    penaltyFen: row.penaltyFen,
    rewritten: false,
  }));
  let interestDays = 0;
  if (future.length > 0) {
    const current = future[0];
    const lastDueDate = current.period === 1 ? startDate : schedule[current.period - 2].dueDate;
    interestDays = businessDate > lastDueDate ? daysBetween(lastDueDate, businessDate) : 0;
    const outstandingFen = future.reduce((sum, row) => sum + row.principalFen, 0n);
    const interestFen = accruedInterestFen(outstandingFen, annualRateMicros, interestDays, current.interestFen);
    rows.push({ id: current.id, principalFen: outstandingFen, interestFen, penaltyFen: 0n, rewritten: true });
    for (const later of future.slice(1))
      rows.push({ id: later.id, principalFen: 0n, interestFen: 0n, penaltyFen: 0n, rewritten: true });
  }
  const totalFen = rows.reduce((sum, row) => sum + row.principalFen + row.interestFen + row.penaltyFen, 0n);
  const owedPrincipalFen = unpaid.reduce((sum, row) => sum + row.principalFen, 0n);
  assert(
    rows.reduce((sum, row) => sum + row.principalFen, 0n) === owedPrincipalFen,
    'an early repayment pays exactly the principal still owed',
  );
  return { rows, totalFen, interestDays };
}

/** What a payoff takes, by component: payoffQuote shows it, repayEarly freezes exactly `totalFen`. */
export interface PayoffTotals {
  principalFen: bigint;
  interestFen: bigint;
  penaltyFen: bigint;
  totalFen: bigint;
}

export function payoffTotals(plan: EarlyRepaymentPlan): PayoffTotals {
  const sumOf = (part: (row: EarlyRepaymentRow) => bigint) => plan.rows.reduce((sum, row) => sum + part(row), 0n);
  const totals = {
    principalFen: sumOf((row) => row.principalFen),
    interestFen: sumOf((row) => row.interestFen),
    penaltyFen: sumOf((row) => row.penaltyFen),
    totalFen: plan.totalFen,
  };
  assert(
    totals.principalFen + totals.interestFen + totals.penaltyFen === totals.totalFen,
    'a payoff is its principal, interest and penalty',
  );
  return totals;
}
