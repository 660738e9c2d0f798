// Proves the schedule engine reproduces domain.md §4's reference cases to the fen (10,000.00 at 12 % over
// 12 months for every method; 12,000.00 at 24 % over 4 months in equal installments), that due dates are
// start + k months clamped to month end (leap years included), that DAILY counts the actual days at
// ACT/365, and that out-of-range terms are refused as broken invariants.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addMonthsClamped,
  AssertionError,
  buildSchedule,
  daysBetween,
  equalInstallmentFen,
  expectedInterestFen,
  formatMoney,
  type RepaymentMethod,
  type ScheduleRow,
} from '../src';

const TEN_THOUSAND_FEN = 1_000_000n;

function schedule(
  method: RepaymentMethod,
  principalFen = TEN_THOUSAND_FEN,
  annualRateMicros = 120_000,
  termMonths = 12,
  startDate = '2026-01-15',
): ScheduleRow[] {
  return buildSchedule({ principalFen, annualRateMicros, termMonths, method, startDate });
}
const money = (rows: ScheduleRow[], pick: (row: ScheduleRow) => bigint) => rows.map((row) => formatMoney(pick(row)));
const totalInterest = (rows: ScheduleRow[]) => formatMoney(rows.reduce((sum, row) => sum + row.interestFen, 0n));

describe('reference cases of domain.md §4', () => {
  it('equal installment: 888.49 ×11 then 888.47, total interest 661.86', () => {
    const rows = schedule('EQUAL_INSTALLMENT');
    assert.deepEqual(
      money(rows, (row) => row.amountFen),
      [...Array(11).fill('888.49'), '888.47'],
    );
    assert.equal(totalInterest(rows), '661.86');
    assert.equal(equalInstallmentFen(TEN_THOUSAND_FEN, 120_000, 12), 88_849n);
  });

  it('equal principal: first 933.33, last 841.70, total interest 650.00', () => {
    const rows = schedule('EQUAL_PRINCIPAL');
    assert.equal(formatMoney(rows[0].amountFen), '933.33');
    assert.equal(formatMoney(rows[11].amountFen), '841.70');
    assert.equal(totalInterest(rows), '650.00');
    assert.deepEqual(
      money(rows.slice(0, 11), (row) => row.principalFen),
      Array(11).fill('833.33'),
    );
    assert.equal(formatMoney(rows[11].principalFen), '833.37');
  });

  it('interest first: 100.00 ×11 then 10,100.00', () => {
    const rows = schedule('INTEREST_FIRST');
    assert.deepEqual(
      money(rows, (row) => row.amountFen),
      [...Array(11).fill('100.00'), '10100.00'],
    );
    assert.deepEqual(
      money(rows, (row) => row.balanceAfterFen),
      [...Array(11).fill('10000.00'), '0.00'],
    );
  });

  it('12,000.00 at 24 % over 4 months in equal installments', () => {
    const rows = schedule('EQUAL_INSTALLMENT', 1_200_000n, 240_000, 4);
    assert.deepEqual(
      money(rows, (row) => row.principalFen),
      ['2911.49', '2969.72', '3029.11', '3089.68'],
    );
    assert.deepEqual(
      money(rows, (row) => row.interestFen),
      ['240.00', '181.77', '122.38', '61.79'],
    );
    assert.deepEqual(
      money(rows, (row) => row.amountFen),
      ['3151.49', '3151.49', '3151.49', '3151.47'],
    );
  });

  it('bullet: one installment at start + n months with simple interest', () => {
    const rows = schedule('BULLET');
    assert.equal(rows.length, 1);
    assert.deepEqual(
      {
        period: rows[0].period,
        dueDate: rows[0].dueDate,
        amount: formatMoney(rows[0].amountFen),
        interest: formatMoney(rows[0].interestFen),
      },
      { period: 1, dueDate: '2027-01-15', amount: '11200.00', interest: '1200.00' },
    );
  });

  it('a zero rate repays round(P / n) a month and charges nothing', () => {
    const rows = schedule('EQUAL_INSTALLMENT', 1_000_000n, 0, 3);
    assert.deepEqual(
      money(rows, (row) => row.amountFen),
      ['3333.33', '3333.33', '3333.34'],
    );
    assert.equal(totalInterest(rows), '0.00');
  });
});

describe('DAILY interest: actual days at ACT/365', () => {
  it('charges the outstanding balance for the days of each period', () => {
    const rows = schedule('DAILY', TEN_THOUSAND_FEN, 120_000, 3, '2026-01-31');
    assert.deepEqual(
      rows.map((row) => row.dueDate),
      ['2026-02-28', '2026-03-31', '2026-04-30'],
    );
    // 10,000.00 × 12 % × 28 / 365 = 92.054…; 6,666.67 × 12 % × 31 / 365 = 67.945…; 3,333.34 × 12 % × 30 / 365 = 32.877…
    assert.deepEqual(
      money(rows, (row) => row.interestFen),
      ['92.05', '67.95', '32.88'],
    );
    assert.deepEqual(
      money(rows, (row) => row.principalFen),
      ['3333.33', '3333.33', '3333.34'],
    );
  });
});

describe('due dates', () => {
  it('clamp to month end and count each period from the start: Jan 31 → Feb 28 → Mar 31 → Apr 30', () => {
    const rows = schedule('EQUAL_PRINCIPAL', 100_000n, 100_000, 4, '2027-01-31');
    assert.deepEqual(
      rows.map((row) => row.dueDate),
      ['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31'],
    );
    assert.deepEqual(
      rows.map((row) => row.period),
      [1, 2, 3, 4],
    );
  });

  it('know leap years: Feb 29 in 2028, Feb 28 in 2100, Feb 29 in 2000', () => {
    assert.equal(addMonthsClamped('2028-01-31', 1), '2028-02-29');
    assert.equal(addMonthsClamped('2028-01-30', 1), '2028-02-29');
    assert.equal(addMonthsClamped('2099-12-31', 2), '2100-02-28');
    assert.equal(addMonthsClamped('1999-12-31', 2), '2000-02-29');
    assert.equal(addMonthsClamped('2028-02-29', 12), '2029-02-28');
    assert.equal(addMonthsClamped('2028-02-29', 48), '2032-02-29');
  });

  it('cross years and keep days that exist', () => {
    assert.equal(addMonthsClamped('2026-11-30', 3), '2027-02-28');
    assert.equal(addMonthsClamped('2026-08-31', 1), '2026-09-30');
    assert.equal(addMonthsClamped('2026-01-15', 360), '2056-01-15');
    assert.equal(addMonthsClamped('2026-05-31', 0), '2026-05-31');
  });

  it('count whole days between dates, leap day included', () => {
    assert.equal(daysBetween('2028-02-01', '2028-03-01'), 29);
    assert.equal(daysBetween('2027-02-01', '2027-03-01'), 28);
    assert.equal(daysBetween('2026-01-01', '2027-01-01'), 365);
    assert.throws(() => daysBetween('2026-01-02', '2026-01-01'), AssertionError);
    assert.throws(() => addMonthsClamped('2026-02-30', 1), AssertionError);
  });
});

describe('terms outside the engine range', () => {
  const terms = {
    principalFen: 100n,
    annualRateMicros: 100_000,
    termMonths: 12,
    method: 'EQUAL_INSTALLMENT' as const,
    startDate: '2026-01-01',
  };
  it('are broken invariants', () => {
    assert.throws(() => buildSchedule({ ...terms, principalFen: 0n }), AssertionError);
    assert.throws(() => buildSchedule({ ...terms, annualRateMicros: -1 }), AssertionError);
    assert.throws(() => buildSchedule({ ...terms, annualRateMicros: 1_000_001 }), AssertionError);
    assert.throws(() => buildSchedule({ ...terms, termMonths: 0 }), AssertionError);
    assert.throws(() => buildSchedule({ ...terms, termMonths: 361 }), AssertionError);
    assert.throws(() => buildSchedule({ ...terms, termMonths: 1.5 }), AssertionError);
  });

  it('accept the extremes: a rate of 1 over 360 months', () => {
    const rows = buildSchedule({
      ...terms,
      principalFen: 99_999_999_999n,
      annualRateMicros: 1_000_000,
      termMonths: 360,
    });
    assert.equal(rows.length, 360);
    assert.equal(
      rows.reduce((sum, row) => sum + row.principalFen, 0n),
      99_999_999_999n,
    );
  });
});

describe('expected interest', () => {
  it("is a bid's Σ interest as splitSchedule shares the borrower's schedule, not a schedule at the investor rate", () => {
    const loan = {
      loanAmountFen: TEN_THOUSAND_FEN,
      borrowerRateMicros: 150_000,
      investorRateMicros: 100_000,
      termMonths: 12,
      startDate: '2026-01-15',
    };
    const rows = schedule('EQUAL_INSTALLMENT', TEN_THOUSAND_FEN, 150_000);
    // The whole loan to one bid: two thirds of the borrower's interest, rounded half-up once.
    const borrowerInterestFen = rows.reduce((sum, row) => sum + row.interestFen, 0n);
    const wholeFen = expectedInterestFen({
      ...loan,
      method: 'EQUAL_INSTALLMENT',
      bids: [],
      amountFen: TEN_THOUSAND_FEN,
    });
    assert.equal(wholeFen, (borrowerInterestFen * 2n + 1n) / 3n);
    // A schedule at 10 % over the same amount earns less: equal installments' interest is not proportional to the rate.
    const atInvestorRate = schedule('EQUAL_INSTALLMENT', TEN_THOUSAND_FEN, 100_000);
    assert.ok(atInvestorRate.reduce((sum, row) => sum + row.interestFen, 0n) < wholeFen);
    // Interest-first and bullet interest is proportional to the rate: both ways agree.
    assert.equal(expectedInterestFen({ ...loan, method: 'BULLET', bids: [], amountFen: TEN_THOUSAND_FEN }), 100_000n);
    assert.throws(
      () =>
        expectedInterestFen({
          ...loan,
          method: 'BULLET',
          bids: [{ bidId: 'a', amountFen: 1n }],
          amountFen: TEN_THOUSAND_FEN,
        }),
      AssertionError,
    );
  });
});
