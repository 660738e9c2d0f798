import { assert, AssertionError, unreachable } from '../assert';
import { divideRoundHalfUp, RATE_MAX_MICROS, RATE_SCALE_MICROS } from '../money';
import { addMonthsClamped, daysBetween } from './calendar';
import type { RepaymentMethod } from './repayment-method';

// The repayment formulas of domain.md §4, in exact bigint arithmetic: every rate is an integer of
// millionths, every fraction is kept as numerator / denominator and rounded once, half-up, to the fen.

/** The longest term any schedule may have: 30 years. */
export const SCHEDULE_TERM_MONTHS_MAX = 360;
/** r = R / 12 as a fraction: rateMicros / MONTHLY_RATE_DENOMINATOR. */
const MONTHLY_RATE_DENOMINATOR = BigInt(RATE_SCALE_MICROS) * 12n;
/** DAILY counts interest at ACT/365: rateMicros × days / DAY_COUNT_DENOMINATOR. */
const DAY_COUNT_DENOMINATOR = BigInt(RATE_SCALE_MICROS) * 365n;

export interface ScheduleTerms {
  principalFen: bigint;
  /** The annual rate R in millionths: "0.12" is 120_000. */
  annualRateMicros: number;
  termMonths: number;
  method: RepaymentMethod;
  /** 'YYYY-MM-DD'; period k falls due k months later, clamped to month end. */
  startDate: string;
}

export interface ScheduleRow {
  /** 1 for the first installment. */
  period: number;
  dueDate: string;
  principalFen: bigint;
  interestFen: bigint;
  /** principalFen + interestFen. */
  amountFen: bigint;
  /** Principal still owed once this row is paid; 0 after the last. */
  balanceAfterFen: bigint;
}

/**
 * The equal installment A = round(P·r / (1 − (1+r)^−n)) of 等额本息, computed exactly: with r = a / D,
 * A = P·a·(D+a)^n / (D·((D+a)^n − D^n)), one big numerator over one big denominator, rounded once.
 * A = round(P / n) when the rate is 0, where the formula's limit is P / n.
 */
export function equalInstallmentFen(principalFen: bigint, annualRateMicros: number, termMonths: number): bigint {
  assertTerms(principalFen, annualRateMicros, termMonths);
  if (annualRateMicros === 0) return divideRoundHalfUp(principalFen, BigInt(termMonths));
  const rate = BigInt(annualRateMicros);
  const growth = (MONTHLY_RATE_DENOMINATOR + rate) ** BigInt(termMonths);
  const base = MONTHLY_RATE_DENOMINATOR ** BigInt(termMonths);
  const installmentFen = divideRoundHalfUp(principalFen * rate * growth, MONTHLY_RATE_DENOMINATOR * (growth - base));
  // An annuity pays more than the interest of the first month, or the loan would never shrink.
  assert(
    installmentFen >= monthlyInterestFen(principalFen, annualRateMicros),
    'the installment must cover the first interest',
  );
  return installmentFen;
}

/** One month's interest on `balanceFen`: round(balance · R / 12). */
function monthlyInterestFen(balanceFen: bigint, annualRateMicros: number): bigint {
  return divideRoundHalfUp(balanceFen * BigInt(annualRateMicros), MONTHLY_RATE_DENOMINATOR);
}

function assertTerms(principalFen: bigint, annualRateMicros: number, termMonths: number): void {
  assert(principalFen > 0n, `principal must be positive, got ${principalFen}`);
  assert(
    Number.isSafeInteger(annualRateMicros) && annualRateMicros >= 0 && annualRateMicros <= RATE_MAX_MICROS,
    `annual rate must be 0..${RATE_MAX_MICROS} micros, got ${annualRateMicros}`,
  );
  assert(
    Number.isInteger(termMonths) && termMonths >= 1 && termMonths <= SCHEDULE_TERM_MONTHS_MAX,
    `term must be 1..${SCHEDULE_TERM_MONTHS_MAX} months, got ${termMonths}`,
  );
}

/** The rows of one loan's schedule, period 1 first; Σ principal = P exactly. */
export function buildSchedule(terms: ScheduleTerms): ScheduleRow[] {
  assertTerms(terms.principalFen, terms.annualRateMicros, terms.termMonths);
  const rows = terms.method === 'BULLET' ? [bulletRow(terms)] : periodicRows(terms);
  const principalSumFen = rows.reduce((sum, row) => sum + row.principalFen, 0n);
  assert(principalSumFen === terms.principalFen, `Σ principal ${principalSumFen} must equal ${terms.principalFen}`);
  assert(rows[rows.length - 1].balanceAfterFen === 0n, 'the last row must leave nothing owed');
  return rows;
}

/** 一次性还本付息: one installment at start + n months, with simple interest round(P·R·n/12). */
function bulletRow(terms: ScheduleTerms): ScheduleRow {
  const interestFen = divideRoundHalfUp(
    terms.principalFen * BigInt(terms.annualRateMicros) * BigInt(terms.termMonths),
    MONTHLY_RATE_DENOMINATOR,
  );
  return {
    period: 1,
    dueDate: addMonthsClamped(terms.startDate, terms.termMonths),
    principalFen: terms.principalFen,
    interestFen,
    amountFen: terms.principalFen + interestFen,
    balanceAfterFen: 0n,
  };
}

/** The monthly methods: one row per month, the last one taking whatever principal is left. */
function periodicRows(terms: ScheduleTerms): ScheduleRow[] {
  const plan = periodPlan(terms);
  const rows: ScheduleRow[] = [];
  let balanceFen = terms.principalFen;
  let previousDate = terms.startDate;
  for (let period = 1; period <= terms.termMonths; period += 1) {
    const dueDate = addMonthsClamped(terms.startDate, period);
    const interestFen = plan.interestFen(balanceFen, daysBetween(previousDate, dueDate));
    // A rounded-up fixed part can exhaust a tiny loan before its term ends; what is left is the cap.
    const principalFen = period === terms.termMonths ? balanceFen : minFen(plan.principalFen(interestFen), balanceFen);
    assert(principalFen >= 0n && interestFen >= 0n, `period ${period} must not have a negative part`);
    balanceFen -= principalFen;
    rows.push({
      period,
      dueDate,
      principalFen,
      interestFen,
      amountFen: principalFen + interestFen,
      balanceAfterFen: balanceFen,
    });
    previousDate = dueDate;
  }
  return rows;
}

interface PeriodPlan {
  /** The interest of a period that starts owing `balanceFen` and lasts `days` days. */
  interestFen(balanceFen: bigint, days: number): bigint;
  /** The principal the method asks for, before the cap at the balance and the last-period rule. */
  principalFen(interestFen: bigint): bigint;
}

/** The per-period rule of each monthly method (domain.md §4's table), chosen once per schedule. */
function periodPlan(terms: ScheduleTerms): PeriodPlan {
  const method = terms.method;
  const principalFen = terms.principalFen;
  const rateMicros = terms.annualRateMicros;
  const equalPrincipalFen = divideRoundHalfUp(principalFen, BigInt(terms.termMonths));
  switch (method) {
    case 'EQUAL_INSTALLMENT': {
      const installmentFen = equalInstallmentFen(principalFen, rateMicros, terms.termMonths);
      return {
        interestFen: (balanceFen) => monthlyInterestFen(balanceFen, rateMicros),
        principalFen: (interestFen) => installmentFen - interestFen,
      };
    }
    case 'EQUAL_PRINCIPAL':
      return {
        interestFen: (balanceFen) => monthlyInterestFen(balanceFen, rateMicros),
        principalFen: () => equalPrincipalFen,
      };
    case 'INTEREST_FIRST': {
      // Interest is on P throughout: the principal is only repaid in the last period.
      const interestFen = monthlyInterestFen(principalFen, rateMicros);
      return { interestFen: () => interestFen, principalFen: () => 0n };
    }
    case 'DAILY':
      return {
        interestFen: (balanceFen, days) =>
          divideRoundHalfUp(balanceFen * BigInt(rateMicros) * BigInt(days), DAY_COUNT_DENOMINATOR),
        principalFen: () => equalPrincipalFen,
      };
    case 'BULLET':
      // buildSchedule never asks: a bullet loan has a single row, built by bulletRow.
      throw new AssertionError('BULLET has a single row and no period plan');
    default:
      return unreachable(method, 'repayment method');
  }
}

function minFen(left: bigint, right: bigint): bigint {
  return left < right ? left : right;
}
