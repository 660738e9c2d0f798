import { assert, daysBetween, divideRoundHalfUp, RATE_MAX_MICROS, RATE_SCALE_MICROS } from '@wanxin/platform';

// Late payment (domain.md §2 step 11): an installment unpaid after its due date is overdue; penalty
// interest accrues daily on the overdue amount (its principal plus interest), simple, not compounded.

/** Days past due on `businessDate`: 0 on or before the due date. */
export function overdueDaysOn(dueDate: string, businessDate: string): number {
  return businessDate <= dueDate ? 0 : daysBetween(dueDate, businessDate);
}

/**
 * The penalty after `overdueDays` days: round(amount × dailyRate × days), half-up, computed from the
 * start each time so a caught-up day or a re-run never accrues twice.
 */
export function penaltyFen(overdueAmountFen: bigint, dailyRateMicros: number, overdueDays: number): bigint {
  assert(overdueAmountFen >= 0n, `the overdue amount must not be negative, got ${overdueAmountFen}`);
  assert(
    Number.isSafeInteger(dailyRateMicros) && dailyRateMicros >= 0 && dailyRateMicros <= RATE_MAX_MICROS,
    `daily rate ${dailyRateMicros} micros`,
  );
  assert(Number.isSafeInteger(overdueDays) && overdueDays >= 0, `overdue days must be ≥ 0, got ${overdueDays}`);
  const result = divideRoundHalfUp(
    overdueAmountFen * BigInt(dailyRateMicros) * BigInt(overdueDays),
    BigInt(RATE_SCALE_MICROS),
  );
  assert(result >= 0n, 'a penalty is never negative');
  return result;
}

/** The penalty an installment owes: what accrued, less what admins waived (never more than had accrued). */
export function netPenaltyFen(accruedFen: bigint, waivedFen: bigint): bigint {
  assert(waivedFen >= 0n && waivedFen <= accruedFen, `${waivedFen} fen waived of ${accruedFen} accrued`);
  return accruedFen - waivedFen;
}

/** Waivers one installment may have: each lowers a penalty that only grows daily, so a handful suffice. */
export const WAIVERS_PER_INSTALLMENT_MAX = 20;

/**
 * Why a waiver of `amountFen` cannot lower a penalty of `penaltyFen` that has `waiversSoFar` waivers, or
 * null: 0.01 up to all of it.
 */
export function waiverProblem(amountFen: bigint, penaltyFen: bigint, waiversSoFar: number): string | null {
  if (waiversSoFar >= WAIVERS_PER_INSTALLMENT_MAX)
    return `an installment has at most ${WAIVERS_PER_INSTALLMENT_MAX} waivers: waive the rest at once`;
  if (amountFen <= 0n) return 'a waiver lowers the penalty by a positive amount';
  if (amountFen > penaltyFen) return `the penalty is ${penaltyFen} fen: a waiver cannot take it below 0`;
  return null;
}
