// Proves the prepayment rule (domain/early-repayment.ts, domain.md §2 step 10): unpaid installments due
// on or before the business date are paid as they stand, penalty included; the current period's
// installment takes all the outstanding principal plus round(outstanding × R × days / 365), the days
// counted from the previous due date (or the start date for period 1) — none on a due date; every later
// installment is closed at zero; Σ principal paid = the principal still owed; with monthly periods it never
// costs more interest than the current period's schedule. Checked on domain.md's 10,000.00 at 12 %
// equal-installment loan against a hand computation, and over random schedules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AssertionError, buildSchedule, daysBetween, RATE_SCALE_MICROS, type ScheduleRow } from '@wanxin/platform';
import { earlyRepaymentPlan, type EarlyRepaymentRow, type ScheduledInstallment } from '../src/domain/early-repayment';
import type { InstallmentStatus } from '../src/domain/installment-status';
import { repaymentDays, scheduleTerms, sumFen } from './arbitraries';

const START_DATE = '2026-01-31';
const ANNUAL_RATE_MICROS = 120_000;
/** domain.md §4's reference loan: 10,000.00 at 12 % over 12 months in equal installments of 888.49. */
const REFERENCE_ROWS = buildSchedule({
  principalFen: 1_000_000n,
  annualRateMicros: ANNUAL_RATE_MICROS,
  termMonths: 12,
  method: 'EQUAL_INSTALLMENT',
  startDate: START_DATE,
});

/** The stored installments of a schedule, each with the status (and penalty) the test gives it. */
function installments(
  rows: readonly ScheduleRow[],
  stateOf: (row: ScheduleRow) => [InstallmentStatus, bigint?],
): ScheduledInstallment[] {
  return rows.map((row) => {
    const [status, penaltyFen = 0n] = stateOf(row);
    return {
      id: `installment-${row.period}`,
      period: row.period,
      dueDate: row.dueDate,
      principalFen: row.principalFen,
      interestFen: row.interestFen,
      penaltyFen,
      status,
    };
  });
}

/** The first `repaid` periods REPAID, the rest PENDING. */
const repaidUpTo =
  (repaid: number) =>
  (row: ScheduleRow): [InstallmentStatus] => [row.period <= repaid ? 'REPAID' : 'PENDING'];

/** A row of the plan that pays an installment exactly as scheduled. */
function asScheduled(installment: ScheduledInstallment): EarlyRepaymentRow {
  return {
    id: installment.id,
    principalFen: installment.principalFen,
    interestFen: installment.interestFen,
    penaltyFen: installment.penaltyFen,
    rewritten: false,
  };
}

/** The rows closed at zero: periods from..12 of the reference loan. */
function closedFrom(period: number): EarlyRepaymentRow[] {
  return Array.from({ length: 12 - period + 1 }, (_, index) => ({
    id: `installment-${period + index}`,
    principalFen: 0n,
    interestFen: 0n,
    penaltyFen: 0n,
    rewritten: true,
  }));
}

/** Half-up integer division, written out independently of the platform's. */
const roundHalfUp = (numerator: bigint, denominator: bigint) => (2n * numerator + denominator) / (2n * denominator);

describe('an early repayment of the reference loan', () => {
  // By hand: each month's interest is round(balance × 1 %), its principal 888.49 less that interest.
  const INSTALLMENT_FEN = 88_849n;
  let balanceFen = 1_000_000n;
  const principalsFen: bigint[] = [];
  for (let period = 1; period <= 3; period += 1) {
    const principalFen = INSTALLMENT_FEN - roundHalfUp(balanceFen, 100n);
    principalsFen.push(principalFen);
    balanceFen -= principalFen;
  }
  const OUTSTANDING_AFTER_3_FEN = balanceFen;

  it('after 3 installments repaid, on 2026-05-15: 7,610.80 principal + 15 days of interest', () => {
    // 10,000.00 − 788.49 − 796.37 − 804.34 = 7,610.80; 7,610.80 × 12 % × 15 / 365 = 37.5327… → 37.53.
    assert.deepEqual(principalsFen, [78_849n, 79_637n, 80_434n]);
    assert.equal(OUTSTANDING_AFTER_3_FEN, 761_080n);
    const interestFen = roundHalfUp(OUTSTANDING_AFTER_3_FEN * 12n * 15n, 100n * 365n);
    assert.equal(interestFen, 3_753n);
    assert.equal(daysBetween('2026-04-30', '2026-05-15'), 15);

    const plan = earlyRepaymentPlan(
      installments(REFERENCE_ROWS, repaidUpTo(3)),
      START_DATE,
      '2026-05-15',
      ANNUAL_RATE_MICROS,
    );
    assert.deepEqual(plan, {
      rows: [
        { id: 'installment-4', principalFen: OUTSTANDING_AFTER_3_FEN, interestFen, penaltyFen: 0n, rewritten: true },
        ...closedFrom(5),
      ],
      totalFen: OUTSTANDING_AFTER_3_FEN + interestFen,
      interestDays: 15,
    });
    assert.equal(plan.totalFen, 764_833n, '7,648.33');
  });

  it('pays an overdue installment as it stands, penalty included, then the current period', () => {
    // Period 3 (due 2026-04-30) is 15 days overdue: round(888.49 × 0.0005 × 15) = 6.66 of penalty.
    const schedule = installments(REFERENCE_ROWS, (row) =>
      row.period <= 2 ? ['REPAID'] : row.period === 3 ? ['OVERDUE', 666n] : ['PENDING'],
    );
    const plan = earlyRepaymentPlan(schedule, START_DATE, '2026-05-15', ANNUAL_RATE_MICROS);
    assert.deepEqual(plan.rows, [
      asScheduled(schedule[2]),
      { id: 'installment-4', principalFen: 761_080n, interestFen: 3_753n, penaltyFen: 0n, rewritten: true },
      ...closedFrom(5),
    ]);
    assert.equal(plan.totalFen, 88_849n + 666n + 761_080n + 3_753n);
    assert.equal(plan.interestDays, 15);
  });

  it('on a due date pays that installment as it stands and no interest for the next period', () => {
    const schedule = installments(REFERENCE_ROWS, repaidUpTo(2));
    const plan = earlyRepaymentPlan(schedule, START_DATE, '2026-04-30', ANNUAL_RATE_MICROS);
    assert.deepEqual(plan.rows, [
      asScheduled(schedule[2]),
      { id: 'installment-4', principalFen: 761_080n, interestFen: 0n, penaltyFen: 0n, rewritten: true },
      ...closedFrom(5),
    ]);
    assert.equal(plan.interestDays, 0);
    assert.equal(plan.totalFen, 88_849n + 761_080n);
  });

  it('in the first period counts the days from the start date', () => {
    const plan = earlyRepaymentPlan(
      installments(REFERENCE_ROWS, repaidUpTo(0)),
      START_DATE,
      '2026-02-10',
      ANNUAL_RATE_MICROS,
    );
    // 10,000.00 × 12 % × 10 / 365 = 32.876… → 32.88.
    assert.equal(plan.interestDays, 10);
    assert.deepEqual(plan.rows[0], {
      id: 'installment-1',
      principalFen: 1_000_000n,
      interestFen: 3_288n,
      penaltyFen: 0n,
      rewritten: true,
    });
    assert.deepEqual(plan.rows.slice(1), closedFrom(2));
    assert.equal(plan.totalFen, 1_003_288n);
  });

  it('charges no interest on the start date or before it', () => {
    for (const businessDate of [START_DATE, '2026-01-20']) {
      const plan = earlyRepaymentPlan(
        installments(REFERENCE_ROWS, repaidUpTo(0)),
        START_DATE,
        businessDate,
        ANNUAL_RATE_MICROS,
      );
      assert.equal(plan.interestDays, 0, businessDate);
      assert.equal(plan.totalFen, 1_000_000n, businessDate);
    }
  });

  it('when every remaining installment is already due, pays them all as they stand and rewrites nothing', () => {
    const penalties = new Map([
      [10, 2_000n],
      [11, 1_000n],
      [12, 444n],
    ]);
    const schedule = installments(REFERENCE_ROWS, (row) =>
      row.period <= 9 ? ['REPAID'] : ['OVERDUE', penalties.get(row.period)],
    );
    const plan = earlyRepaymentPlan(schedule, START_DATE, '2027-02-10', ANNUAL_RATE_MICROS);
    assert.deepEqual(plan, {
      rows: schedule.slice(9).map(asScheduled),
      totalFen: 2n * 88_849n + 88_847n + 3_444n,
      interestDays: 0,
    });
  });

  it("never charges more than the period's scheduled interest: a 6-month BULLET repaid the day before it is due", () => {
    // 183 days at ACT/365 is more than 6/12 of a year: 601.64 by days, 600.00 as scheduled.
    const bullet = buildSchedule({
      principalFen: 1_000_000n,
      annualRateMicros: ANNUAL_RATE_MICROS,
      termMonths: 6,
      method: 'BULLET',
      startDate: '2026-07-31',
    });
    const plan = earlyRepaymentPlan(
      installments(bullet, () => ['PENDING']),
      '2026-07-31',
      '2027-01-30',
      ANNUAL_RATE_MICROS,
    );
    assert.equal(plan.interestDays, 183);
    assert.deepEqual(
      plan.rows.map((row) => [row.principalFen, row.interestFen]),
      [[1_000_000n, 60_000n]],
    );
    assert.equal(plan.totalFen, 1_060_000n);
  });

  it('refuses an empty schedule, one out of period order, and a loan with nothing owed', () => {
    assert.throws(() => earlyRepaymentPlan([], START_DATE, '2026-05-15', ANNUAL_RATE_MICROS), AssertionError);
    const schedule = installments(REFERENCE_ROWS, repaidUpTo(3));
    assert.throws(
      () =>
        earlyRepaymentPlan(
          [schedule[1], schedule[0], ...schedule.slice(2)],
          START_DATE,
          '2026-05-15',
          ANNUAL_RATE_MICROS,
        ),
      AssertionError,
    );
    assert.throws(
      () => earlyRepaymentPlan(schedule.slice(1), START_DATE, '2026-05-15', ANNUAL_RATE_MICROS),
      AssertionError,
    );
    assert.throws(
      () =>
        earlyRepaymentPlan(installments(REFERENCE_ROWS, repaidUpTo(12)), START_DATE, '2026-05-15', ANNUAL_RATE_MICROS),
      AssertionError,
    );
  });
});

describe('early repayments of random loans', () => {
  // A business date from the start to two months past the last due date; installments are repaid in
  // order and only once due, and at least one is still owed.
  const cases = scheduleTerms.chain((terms) => {
    const rows = buildSchedule(terms);
    return fc
      .record({
        terms: fc.constant(terms),
        rows: fc.constant(rows),
        days: repaymentDays(rows, terms.startDate),
        penaltyFen: fc.bigInt({ min: 0n, max: 99_999_999n }),
      })
      .map(({ days, ...rest }) => ({ ...rest, ...days }));
  });

  it('pay exactly the principal still owed: due rows as they stand, the current period all the rest with its days of interest, later rows nothing', () => {
    fc.assert(
      fc.property(cases, ({ terms, rows, repaid, businessDate, penaltyFen }) => {
        const schedule = installments(rows, (row) =>
          row.period <= repaid ? ['REPAID'] : row.dueDate < businessDate ? ['OVERDUE', penaltyFen] : ['PENDING'],
        );
        const plan = earlyRepaymentPlan(schedule, terms.startDate, businessDate, terms.annualRateMicros);
        const unpaid = schedule.filter((row) => row.status !== 'REPAID');
        assert.deepEqual(
          plan.rows.map((row) => row.id),
          unpaid.map((row) => row.id),
        );
        assert.equal(sumFen(plan.rows.map((row) => row.principalFen)), sumFen(unpaid.map((row) => row.principalFen)));
        assert.equal(
          plan.totalFen,
          sumFen(plan.rows.map((row) => row.principalFen + row.interestFen + row.penaltyFen)),
        );

        const due = unpaid.filter((row) => row.dueDate <= businessDate);
        assert.deepEqual(plan.rows.slice(0, due.length), due.map(asScheduled));
        const future = unpaid.slice(due.length);
        if (future.length === 0) return assert.equal(plan.interestDays, 0);
        const current = plan.rows[due.length];
        const previousDueDate = future[0].period === 1 ? terms.startDate : rows[future[0].period - 2].dueDate;
        assert.equal(plan.interestDays, daysBetween(previousDueDate, businessDate));
        assert.equal(current.principalFen, sumFen(future.map((row) => row.principalFen)));
        const accruedFen = roundHalfUp(
          current.principalFen * BigInt(terms.annualRateMicros) * BigInt(plan.interestDays),
          BigInt(RATE_SCALE_MICROS) * 365n,
        );
        const scheduledFen = future[0].interestFen;
        assert.equal(current.interestFen, accruedFen < scheduledFen ? accruedFen : scheduledFen);
        assert.equal(current.penaltyFen, 0n);
        assert.ok(current.rewritten);
        for (const later of plan.rows.slice(due.length + 1))
          assert.deepEqual(
            [later.principalFen, later.interestFen, later.penaltyFen, later.rewritten],
            [0n, 0n, 0n, true],
          );
        // Before a monthly due date at most 30 days have passed, and 30 / 365 < 1 / 12 (DAILY charges the
        // whole period's days), so the cap never binds: only BULLET's one period of n months, charged
        // n / 12 of a year, can accrue more by days (183 days of a 184-day half year cost more than 6 / 12).
        if (terms.method !== 'BULLET') assert.equal(current.interestFen, accruedFen, 'the cap bound a monthly period');
      }),
      { numRuns: 300 },
    );
  });
});
