// Proves late payment (domain/overdue.ts, domain.md §2 step 11): overdue days are 0 on or before the due
// date and whole calendar days after it (across month and year ends and leap days); the penalty after k
// days is round(amount × daily rate × k) half-up, computed from the start — not a sum of daily rounded
// amounts — so it is the same however the days were caught up; bad arguments are broken invariants.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AssertionError, RATE_MAX_MICROS, RATE_SCALE_MICROS } from '@wanxin/platform';
import {
  netPenaltyFen,
  overdueDaysOn,
  penaltyFen,
  waiverProblem,
  WAIVERS_PER_INSTALLMENT_MAX,
} from '../src/domain/overdue';

/** PENALTY_DAILY_RATE's default, 0.0005 a day. */
const DAILY_RATE_MICROS = 500;
/** The reference equal installment: 10,000.00 at 12 % over 12 months pays 888.49. */
const REFERENCE_INSTALLMENT_FEN = 88_849n;

describe('overdue days', () => {
  it('are 0 before and on the due date, then count whole days', () => {
    assert.equal(overdueDaysOn('2026-03-31', '2026-03-01'), 0);
    assert.equal(overdueDaysOn('2026-03-31', '2026-03-30'), 0);
    assert.equal(overdueDaysOn('2026-03-31', '2026-03-31'), 0);
    assert.equal(overdueDaysOn('2026-03-31', '2026-04-01'), 1);
    assert.equal(overdueDaysOn('2026-03-31', '2026-04-30'), 30);
  });

  it('cross month and year ends', () => {
    assert.equal(overdueDaysOn('2026-01-31', '2026-02-01'), 1);
    assert.equal(overdueDaysOn('2026-02-28', '2026-03-01'), 1);
    assert.equal(overdueDaysOn('2026-12-31', '2027-01-01'), 1);
    assert.equal(overdueDaysOn('2026-12-15', '2027-01-15'), 31);
    assert.equal(overdueDaysOn('2026-11-30', '2027-11-30'), 365);
  });

  it('count the leap day', () => {
    assert.equal(overdueDaysOn('2028-02-28', '2028-03-01'), 2);
    assert.equal(overdueDaysOn('2027-02-28', '2027-03-01'), 1);
    assert.equal(overdueDaysOn('2028-02-29', '2028-03-01'), 1);
    assert.equal(overdueDaysOn('2100-02-28', '2100-03-01'), 1, '2100 is not a leap year');
    assert.equal(overdueDaysOn('2028-01-31', '2029-01-31'), 366);
  });

  it('refuse a date that is not a calendar day', () => {
    assert.throws(() => overdueDaysOn('2027-02-29', '2027-03-15'), AssertionError);
    assert.throws(() => overdueDaysOn('2026-03-31', '2026-4-1'), AssertionError);
  });
});

describe('the penalty', () => {
  it('rounds amount × rate × days half-up to the fen', () => {
    // 88,849 × 0.0005 = 44.4245 fen; × 2 = 88.849; × 3 = 133.2735.
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 1), 44n);
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 2), 89n);
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 3), 133n);
    // Exactly half a fen goes up; just below half goes down.
    assert.equal(penaltyFen(1_000n, DAILY_RATE_MICROS, 1), 1n, '0.5 fen');
    assert.equal(penaltyFen(999n, DAILY_RATE_MICROS, 1), 0n, '0.4995 fen');
    assert.equal(penaltyFen(3_000n, DAILY_RATE_MICROS, 1), 2n, '1.5 fen');
    assert.equal(penaltyFen(2_999n, DAILY_RATE_MICROS, 1), 1n, '1.4995 fen');
  });

  it('is computed from the start, not summed from daily rounded amounts', () => {
    const dailyRoundedSumFen = 3n * penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 1);
    assert.equal(dailyRoundedSumFen, 132n);
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 3), 133n);
    // 30 days: 1,332.735 fen, where 30 daily roundings would give 1,320.
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 30), 1_333n);
  });

  it('is nothing on day 0, at a zero rate or on nothing owed', () => {
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, DAILY_RATE_MICROS, 0), 0n);
    assert.equal(penaltyFen(REFERENCE_INSTALLMENT_FEN, 0, 30), 0n);
    assert.equal(penaltyFen(0n, DAILY_RATE_MICROS, 30), 0n);
  });

  it('stays exact on the largest amounts and rates', () => {
    // 999,999,999,999 fen × 1 a day × 36,500 days, far beyond a float's 53 bits.
    assert.equal(penaltyFen(999_999_999_999n, RATE_MAX_MICROS, 36_500), 36_499_999_999_963_500n);
  });

  it('refuses bad arguments as broken invariants', () => {
    assert.throws(() => penaltyFen(-1n, DAILY_RATE_MICROS, 1), AssertionError);
    assert.throws(() => penaltyFen(1n, -1, 1), AssertionError);
    assert.throws(() => penaltyFen(1n, RATE_MAX_MICROS + 1, 1), AssertionError);
    assert.throws(() => penaltyFen(1n, 0.5, 1), AssertionError);
    assert.throws(() => penaltyFen(1n, Number.NaN, 1), AssertionError);
    assert.throws(() => penaltyFen(1n, DAILY_RATE_MICROS, -1), AssertionError);
    assert.throws(() => penaltyFen(1n, DAILY_RATE_MICROS, 1.5), AssertionError);
    assert.throws(() => penaltyFen(1n, DAILY_RATE_MICROS, Number.POSITIVE_INFINITY), AssertionError);
  });

  it('is the nearest fen to the exact penalty, never falls as days pass, and differs from k daily roundings by at most (k + 1) / 2 fen', () => {
    const cases = fc.record({
      amountFen: fc.bigInt({ min: 0n, max: 999_999_999_999n }),
      dailyRateMicros: fc.integer({ min: 0, max: RATE_MAX_MICROS }),
      days: fc.integer({ min: 0, max: 3_650 }),
    });
    fc.assert(
      fc.property(cases, ({ amountFen, dailyRateMicros, days }) => {
        const penalty = penaltyFen(amountFen, dailyRateMicros, days);
        // Half-up: the exact value e = amount × rate × days / scale lies in [penalty − ½, penalty + ½).
        const exactTimesScale = amountFen * BigInt(dailyRateMicros) * BigInt(days);
        const scale = BigInt(RATE_SCALE_MICROS);
        assert.ok(
          2n * exactTimesScale >= (2n * penalty - 1n) * scale,
          `${penalty} is more than half a fen above the exact penalty`,
        );
        assert.ok(
          2n * exactTimesScale < (2n * penalty + 1n) * scale,
          `${penalty} is half a fen or more below the exact penalty`,
        );
        assert.ok(penaltyFen(amountFen, dailyRateMicros, days + 1) >= penalty);
        // Each daily rounding is off by at most ½ fen, the penalty itself by at most ½.
        const gapFen = penalty - penaltyFen(amountFen, dailyRateMicros, 1) * BigInt(days);
        assert.ok(
          2n * (gapFen < 0n ? -gapFen : gapFen) <= BigInt(days) + 1n,
          `${gapFen} fen from the daily sum after ${days} days`,
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('penalty waivers', () => {
  it('take 0.01 up to all of the penalty, and at most WAIVERS_PER_INSTALLMENT_MAX times', () => {
    assert.equal(waiverProblem(1n, 205n, 0), null);
    assert.equal(waiverProblem(205n, 205n, WAIVERS_PER_INSTALLMENT_MAX - 1), null);
    assert.match(waiverProblem(0n, 205n, 0)!, /positive/);
    assert.match(waiverProblem(-1n, 205n, 0)!, /positive/);
    assert.match(waiverProblem(206n, 205n, 0)!, /below 0/);
    assert.match(waiverProblem(1n, 0n, 0)!, /below 0/);
    assert.match(waiverProblem(1n, 205n, WAIVERS_PER_INSTALLMENT_MAX)!, /at most/);
  });

  it('leave the penalty owed as accrued less waived, never negative', () => {
    assert.equal(netPenaltyFen(410n, 100n), 310n);
    assert.equal(netPenaltyFen(100n, 100n), 0n);
    assert.throws(() => netPenaltyFen(99n, 100n), /waived/);
    assert.throws(() => netPenaltyFen(99n, -1n), /waived/);
  });
});
