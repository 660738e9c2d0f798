// Random loans for the repayments' property tests: schedule terms the engine accepts (every method, rates
// 0–36 %, terms up to 5 years, any start day of this century), bid sets and borrower/investor rates.
import fc from 'fast-check';
import { addDays, daysBetween, REPAYMENT_METHODS, type ScheduleRow, type ScheduleTerms } from '@wanxin/platform';

/** The days of 2000-01-01 .. 2099-12-31. */
const CENTURY_DAYS = 36_524;

export const calendarDays = fc.integer({ min: 0, max: CENTURY_DAYS }).map((offset) => addDays('2000-01-01', offset));

export const scheduleTerms: fc.Arbitrary<ScheduleTerms> = fc.record({
  principalFen: fc.bigInt({ min: 100n, max: 999_999_999n }),
  annualRateMicros: fc.oneof(fc.integer({ min: 0, max: 360_000 }), fc.constantFrom(0, 120_000, 360_000)),
  termMonths: fc.integer({ min: 1, max: 60 }),
  method: fc.constantFrom(...REPAYMENT_METHODS),
  startDate: calendarDays,
});

export const bidSets = fc.uniqueArray(
  fc.record({ bidId: fc.string({ minLength: 1, maxLength: 8 }), amountFen: fc.bigInt({ min: 1n, max: 99_999_999n }) }),
  { minLength: 1, maxLength: 50, selector: (bid) => bid.bidId },
);

/** A borrower rate and an investor rate at most as high. */
export const loanRates = fc
  .tuple(fc.integer({ min: 0, max: 360_000 }), fc.integer({ min: 0, max: 360_000 }))
  .map(([first, second]) => ({
    borrowerRateMicros: Math.max(first, second),
    investorRateMicros: Math.min(first, second),
  }));

/**
 * A business date from the start to two months past the last due date of `rows`, and how many installments
 * are repaid by then: in order and only once due, with at least one still owed.
 */
export function repaymentDays(
  rows: readonly ScheduleRow[],
  startDate: string,
): fc.Arbitrary<{ businessDate: string; repaid: number }> {
  const daysToLastDue = daysBetween(startDate, rows[rows.length - 1].dueDate);
  return fc.integer({ min: 0, max: daysToLastDue + 60 }).chain((offset) => {
    const businessDate = addDays(startDate, offset);
    const dueCount = rows.filter((row) => row.dueDate <= businessDate).length;
    return fc.record({
      businessDate: fc.constant(businessDate),
      repaid: fc.integer({ min: 0, max: Math.min(dueCount, rows.length - 1) }),
    });
  });
}

export const sumFen = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
