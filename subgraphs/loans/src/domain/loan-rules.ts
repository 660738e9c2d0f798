import { randomBytes } from 'node:crypto';
import {
  assert,
  daysBetween,
  divideRoundHalfUp,
  formatMoney,
  RATE_SCALE_MICROS,
  utcDateOf,
  type RepaymentMethod,
} from '@wanxin/platform';
import { newBankRequestNo as bankRequestNo } from '@wanxin/platform/bank-protocol';
import { termMonthsRange } from './repayment-method';

/** The smallest loan: 2,000.00 (domain.md §2 step 4). */
export const LOAN_AMOUNT_MIN_FEN = 200_000n;
/** Loan amounts go in steps of 100.00. */
export const LOAN_AMOUNT_STEP_FEN = 10_000n;
export const MILLISECONDS_PER_DAY = 86_400_000;

/**
 * Why an amount is refused, or null when it is a valid loan amount up to the largest single loan; the
 * borrower's credit line bounds it further (CREDIT_LIMIT_EXCEEDED).
 */
export function loanAmountProblem(amountFen: bigint, loanMaxFen: bigint): string | null {
  assert(loanMaxFen >= LOAN_AMOUNT_MIN_FEN, 'the largest loan is at least the smallest loan');
  if (amountFen < LOAN_AMOUNT_MIN_FEN) return 'must be at least 2000.00';
  if (amountFen > loanMaxFen) return `must be at most ${formatMoney(loanMaxFen)}, the largest loan`;
  if (amountFen % LOAN_AMOUNT_STEP_FEN !== 0n) return 'must be a multiple of 100.00';
  return null;
}

/** Why a term is refused for this method, or null. */
export function termMonthsProblem(termMonths: number, method: RepaymentMethod): string | null {
  const { minMonths, maxMonths } = termMonthsRange(method);
  if (!Number.isInteger(termMonths) || termMonths < minMonths || termMonths > maxMonths) {
    return `must be ${minMonths} to ${maxMonths} months for ${method}`;
  }
  return null;
}

/** The platform's rate configuration: the borrower pays `borrowerRateMicros`, investors earn `investorRateMicros`. */
export interface LoanRates {
  borrowerRateMicros: number;
  investorRateMicros: number;
}

/** Why a rate pair is inconsistent, or null: the platform's commission (the difference) may not be negative. */
export function loanRatesProblem(rates: LoanRates): string | null {
  if (rates.investorRateMicros > rates.borrowerRateMicros) return 'the investor rate may not exceed the borrower rate';
  return null;
}

/** The platform's commission: what the default borrower rate pays above the default investor rate. */
export function commissionMicrosOf(rates: LoanRates): number {
  const commissionMicros = rates.borrowerRateMicros - rates.investorRateMicros;
  assert(commissionMicros >= 0, 'the loan rates are validated at start (loanRatesProblem)');
  return commissionMicros;
}

/** The platform's service fee at payout: amount × rate, rounded half-up to the fen. */
export function serviceFeeFen(amountFen: bigint, feeRateMicros: number): bigint {
  assert(amountFen > 0n, 'a loan amount is positive');
  assert(
    Number.isSafeInteger(feeRateMicros) && feeRateMicros >= 0 && feeRateMicros <= RATE_SCALE_MICROS,
    'fee rate is 0–1',
  );
  const feeFen = divideRoundHalfUp(amountFen * BigInt(feeRateMicros), BigInt(RATE_SCALE_MICROS));
  assert(feeFen <= amountFen, 'the fee never exceeds the loan');
  return feeFen;
}

/** When a loan opened at `openedAt` stops taking bids: `fundingDays` whole days later. */
export function fundingDeadline(openedAt: Date, fundingDays: number): Date {
  assert(Number.isInteger(fundingDays) && fundingDays >= 1, 'the funding window is at least one day');
  return new Date(openedAt.getTime() + fundingDays * MILLISECONDS_PER_DAY);
}

/** Whether the funding window of a loan opened at `openedAt` has closed at `now` (the deadline itself included). */
export function isFundingWindowClosed(openedAt: Date, fundingDays: number, now: Date): boolean {
  return now.getTime() >= fundingDeadline(openedAt, fundingDays).getTime();
}

/** The latest opening time whose window has closed at `now`: the expiry job's query bound. */
export function openedOnOrBeforeForExpiry(now: Date, fundingDays: number): Date {
  return new Date(now.getTime() - fundingDays * MILLISECONDS_PER_DAY);
}

/**
 * `now` in business time: moved forward by the days the latest announced business date is ahead of
 * now's UTC date (not at all when it is not ahead). In production the two agree.
 */
export function businessTimeOf(now: Date, latestBusinessDate: string | null): Date {
  const today = utcDateOf(now);
  if (latestBusinessDate === null || latestBusinessDate <= today) return now;
  const result = new Date(now.getTime() + daysBetween(today, latestBusinessDate) * MILLISECONDS_PER_DAY);
  assert(
    utcDateOf(result) === latestBusinessDate,
    `business time ${result.toISOString()} falls on ${latestBusinessDate}`,
  );
  return result;
}

export const LOAN_NO_PATTERN = /^LN[0-9]{8}[0-9A-F]{8}$/;

/** A readable loan number: `LN`, the UTC date, 8 random hex digits (LN20261122A1B2C3D4). It is also the bank's projectNo. */
export function newLoanNo(now: Date = new Date()): string {
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const loanNo = `LN${date}${randomBytes(4).toString('hex').toUpperCase()}`;
  assert(LOAN_NO_PATTERN.test(loanNo), `loan number ${loanNo}`);
  return loanNo;
}

/** A fresh bank requestNo for creating (PRJ), paying out (PAY) or closing (CLS) a project. Stored before it is sent. */
export function newBankRequestNo(prefix: 'PRJ' | 'PAY' | 'CLS'): string {
  return bankRequestNo(prefix);
}
