// Proves, with fast-check over random principals (1.00 .. 9,999,999.99), rates (0 .. 36 %), terms (1 .. 60,
// and a share up to 360), start dates and all five methods, that every schedule: repays exactly P
// (Σ principal = P), has amount = principal + interest on every row, never lets the balance go negative
// or rise, and falls due on start + k months clamped to month end; and that equal-installment rows all
// pay A except the last, which absorbs the accumulated rounding. "A fen or two" is true of the reference
// case (2 fen) but not a law: rounding each month's interest drifts the balance, so the last row may
// stray by up to Σ (1 + r)^k fen (9 fen the worst seen over 12 months at ≤ 12 %, tens of fen at 36 % over
// 60 months).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addMonthsClamped,
  buildSchedule,
  daysInMonth,
  equalInstallmentFen,
  REPAYMENT_METHODS,
  type ScheduleTerms,
} from '../src';

const RUNS = 1000;

const startDates = fc
  .record({
    year: fc.integer({ min: 2000, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ year, month, day }) => {
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
  });

const termsArbitrary: fc.Arbitrary<ScheduleTerms> = fc.record({
  principalFen: fc.bigInt({ min: 100n, max: 999_999_999n }),
  annualRateMicros: fc.oneof(fc.integer({ min: 0, max: 360_000 }), fc.constantFrom(0, 120_000, 360_000)),
  termMonths: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 1, max: 60 }) },
    { weight: 1, arbitrary: fc.integer({ min: 61, max: 360 }) },
  ),
  method: fc.constantFrom(...REPAYMENT_METHODS),
  startDate: startDates,
});

describe('every schedule', () => {
  it('repays exactly P, row by row consistent, with a balance that never rises or goes negative', () => {
    fc.assert(
      fc.property(termsArbitrary, (terms) => {
        const rows = buildSchedule(terms);
        assert.equal(rows.length, terms.method === 'BULLET' ? 1 : terms.termMonths);
        assert.equal(
          rows.reduce((sum, row) => sum + row.principalFen, 0n),
          terms.principalFen,
        );
        let balanceFen = terms.principalFen;
        rows.forEach((row, index) => {
          assert.equal(row.period, index + 1);
          assert.equal(row.amountFen, row.principalFen + row.interestFen);
          assert.ok(row.principalFen >= 0n && row.interestFen >= 0n, `period ${row.period} has a negative part`);
          assert.equal(row.balanceAfterFen, balanceFen - row.principalFen);
          assert.ok(
            row.balanceAfterFen >= 0n && row.balanceAfterFen <= balanceFen,
            `balance rose or went negative at ${row.period}`,
          );
          const monthsAfterStart = terms.method === 'BULLET' ? terms.termMonths : row.period;
          assert.equal(row.dueDate, addMonthsClamped(terms.startDate, monthsAfterStart));
          balanceFen = row.balanceAfterFen;
        });
        assert.equal(balanceFen, 0n);
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * How far the last equal installment may stray from A: each period the rounding of A and of the interest
 * moves the balance by at most one fen, and an error in the balance grows by (1 + r) a month, so the
 * last row is off by at most Σ (1 + r)^k fen for k < n, plus one. A float is fine here: it is a test bound.
 */
function lastInstallmentToleranceFen(annualRateMicros: number, termMonths: number): bigint {
  const monthlyRate = annualRateMicros / 12_000_000;
  const sum = monthlyRate === 0 ? termMonths : ((1 + monthlyRate) ** termMonths - 1) / monthlyRate;
  return BigInt(Math.ceil(sum)) + 1n;
}

describe('equal installments', () => {
  it('pay A on every row but the last; the last is within the accumulated-rounding bound', () => {
    fc.assert(
      fc.property(termsArbitrary, (terms) => {
        const rows = buildSchedule({ ...terms, method: 'EQUAL_INSTALLMENT' });
        const installmentFen = equalInstallmentFen(terms.principalFen, terms.annualRateMicros, terms.termMonths);
        let balanceBeforeFen = terms.principalFen;
        for (const row of rows.slice(0, -1)) {
          // A loan tiny beside its term can be paid off early by a rounded-up A; then it owes what is left.
          const capped = balanceBeforeFen < installmentFen - row.interestFen;
          assert.equal(row.amountFen, capped ? balanceBeforeFen + row.interestFen : installmentFen);
          balanceBeforeFen = row.balanceAfterFen;
        }
        const last = rows[rows.length - 1];
        const straysFen =
          last.amountFen > installmentFen ? last.amountFen - installmentFen : installmentFen - last.amountFen;
        const exhaustedEarly = rows.length > 1 && rows[rows.length - 2].balanceAfterFen === 0n;
        assert.ok(
          exhaustedEarly || straysFen <= lastInstallmentToleranceFen(terms.annualRateMicros, terms.termMonths),
          `last strays ${straysFen} fen`,
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('due dates', () => {
  it('land k months on, on the start day or, when that month is shorter, on its last day', () => {
    fc.assert(
      fc.property(startDates, fc.integer({ min: 0, max: 360 }), (startDate, months) => {
        const [year, month, day] = startDate.split('-').map(Number);
        const [dueYear, dueMonth, dueDay] = addMonthsClamped(startDate, months).split('-').map(Number);
        assert.equal(dueYear * 12 + dueMonth, year * 12 + month + months);
        assert.equal(dueDay, Math.min(day, daysInMonth(dueYear, dueMonth)));
      }),
      { numRuns: RUNS },
    );
  });
});
