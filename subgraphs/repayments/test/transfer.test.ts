// Proves the claim-transfer market's pure rules (domain/transfer.ts): a holding is worth its outstanding
// principal (Σ of its receivables not yet RECEIVED) plus the interest accrued since the last due date at the
// investor's rate (ACT/365, rounded half up, capped at the current period's interest) — checked by hand on a
// 12-month holding after period 1; the price window is exactly [⌈value × min⌉, ⌊value × max⌋]; the fee is
// round-half-up(price × rate), the half fen going up; a listing is refused for arrears (due and unpaid), a
// holding with no principal left, or one held fewer than the hold days; the transition table allows only
// the market's moves; ratios parse exactly and bad ones are refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildSchedule, daysBetween, RATE_SCALE_MICROS } from '@wanxin/platform';
import type { InstallmentStatus } from '../src/domain/installment-status';
import {
  holdingValue,
  listingCutoffDate,
  listingRefusal,
  parseRatioMicros,
  priceWindow,
  transferFeeFen,
  TRANSFER_TRANSITIONS,
  type HoldingReceivable,
} from '../src/domain/transfer';

const START_DATE = '2026-01-31';
const INVESTOR_RATE_MICROS = 100_000;
const SCHEDULE = buildSchedule({
  principalFen: 1_200_000n,
  annualRateMicros: 150_000,
  termMonths: 12,
  method: 'EQUAL_INSTALLMENT',
  startDate: START_DATE,
});
/** The bid's receivables: half of each installment (a 6,000.00 bid of a 12,000.00 loan), simplified. */
function holding(paidPeriods: number, statusOf: (period: number) => InstallmentStatus = () => 'PENDING') {
  return SCHEDULE.map((row): HoldingReceivable => ({
    period: row.period,
    dueDate: row.dueDate,
    principalFen: row.principalFen / 2n,
    interestFen: row.interestFen / 3n,
    installmentStatus: row.period <= paidPeriods ? 'REPAID' : statusOf(row.period),
    received: row.period <= paidPeriods,
  }));
}
const RULES = { priceMinRatioMicros: 900_000, priceMaxRatioMicros: 1_100_000 };

describe('holding value', () => {
  it('is the outstanding principal plus ACT/365 interest at the investor rate since the last due date', () => {
    const receivables = holding(1);
    const businessDate = '2026-03-15';
    const lastDueDate = SCHEDULE[0].dueDate;
    const principalFen = receivables.slice(1).reduce((sum, receivable) => sum + receivable.principalFen, 0n);
    const days = BigInt(daysBetween(lastDueDate, businessDate));
    const denominator = BigInt(RATE_SCALE_MICROS) * 365n;
    const numerator = principalFen * BigInt(INVESTOR_RATE_MICROS) * days;
    const expectedInterestFen = (numerator * 2n + denominator) / (denominator * 2n);
    const value = holdingValue(receivables, START_DATE, businessDate, INVESTOR_RATE_MICROS);
    assert.equal(value.principalFen, principalFen);
    assert.equal(value.accruedInterestFen, expectedInterestFen);
    assert.equal(value.valueFen, principalFen + expectedInterestFen);
  });

  it('accrues nothing on a due date, and from the payout before period 1', () => {
    const onDueDate = holdingValue(holding(1), START_DATE, SCHEDULE[0].dueDate, INVESTOR_RATE_MICROS);
    assert.equal(onDueDate.accruedInterestFen, 0n);
    const tenDaysIn = holdingValue(holding(0), START_DATE, '2026-02-10', INVESTOR_RATE_MICROS);
    assert.ok(tenDaysIn.accruedInterestFen > 0n);
  });

  it('never accrues more than the current period receivable pays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: RATE_SCALE_MICROS }), (days, rate) => {
        const businessDate = new Date(Date.parse(`${SCHEDULE[0].dueDate}T00:00:00Z`) + days * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const receivables = holding(1);
        const value = holdingValue(receivables, START_DATE, businessDate, rate);
        const current = receivables.find((receivable) => !receivable.received && receivable.dueDate > businessDate);
        assert.ok(value.accruedInterestFen <= (current?.interestFen ?? 0n));
      }),
    );
  });
});

describe('price window and fee', () => {
  it('is exact at both ends', () => {
    assert.deepEqual(priceWindow(1_000_001n, RULES), { minFen: 900_001n, maxFen: 1_100_001n });
    assert.deepEqual(priceWindow(10n, RULES), { minFen: 9n, maxFen: 11n });
    // 0.9 × 11 = 9.9 → at least 10; 1.1 × 11 = 12.1 → at most 12.
    assert.deepEqual(priceWindow(11n, RULES), { minFen: 10n, maxFen: 12n });
  });

  it('holds every price in it within the ratios', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 11n }), (valueFen) => {
        const { minFen, maxFen } = priceWindow(valueFen, RULES);
        assert.ok(minFen * 1_000_000n >= valueFen * 900_000n && (minFen - 1n) * 1_000_000n < valueFen * 900_000n);
        assert.ok(maxFen * 1_000_000n <= valueFen * 1_100_000n && (maxFen + 1n) * 1_000_000n > valueFen * 1_100_000n);
      }),
    );
  });

  it('rounds the fee half up', () => {
    assert.equal(transferFeeFen(100n, 5_000), 1n); // 0.5 fen → 1
    assert.equal(transferFeeFen(99n, 5_000), 0n); // 0.495 → 0
    assert.equal(transferFeeFen(300n, 5_000), 2n); // 1.5 → 2
    assert.equal(transferFeeFen(1_000_000n, 5_000), 5_000n);
    assert.throws(() => transferFeeFen(0n, 5_000), /positive/);
  });
});

describe('listing', () => {
  it('is refused for arrears, nothing left, or too short a hold', () => {
    assert.deepEqual(
      listingRefusal(
        holding(1, (period) => (period === 2 ? 'OVERDUE' : 'PENDING')),
        START_DATE,
        '2026-04-02',
        7,
      ),
      {
        kind: 'OVERDUE',
      },
    );
    // Due today and not collected counts as arrears too.
    assert.deepEqual(listingRefusal(holding(0), START_DATE, SCHEDULE[0].dueDate, 7), { kind: 'OVERDUE' });
    assert.deepEqual(listingRefusal(holding(12), START_DATE, '2027-02-01', 7), { kind: 'NOTHING_LEFT' });
    assert.deepEqual(listingRefusal(holding(0), START_DATE, '2026-02-06', 7), {
      kind: 'HELD_TOO_SHORT',
      heldDays: 6,
      holdDays: 7,
    });
    assert.equal(listingRefusal(holding(0), START_DATE, '2026-02-07', 7), null);
  });

  it('expires its listing days after the listing day', () => {
    assert.equal(listingCutoffDate('2026-03-10', 5), '2026-03-05');
    assert.throws(() => listingCutoffDate('2026-03-10', 0), /at least a day/);
  });

  it('moves only along the transition table', () => {
    assert.deepEqual(TRANSFER_TRANSITIONS.RESERVE, [['LISTED'], 'SELLING']);
    assert.deepEqual(TRANSFER_TRANSITIONS.SELL, [['SELLING'], 'SOLD']);
    assert.deepEqual(TRANSFER_TRANSITIONS.RELEASE, [['SELLING'], 'LISTED']);
    assert.ok(!TRANSFER_TRANSITIONS.CANCEL[0].includes('SELLING'), 'a sale at the bank is not cancelled');
    assert.ok(!TRANSFER_TRANSITIONS.EXPIRE[0].includes('SELLING'), 'a sale at the bank is not expired');
  });

  it('reads ratios exactly', () => {
    assert.equal(parseRatioMicros('0.90'), 900_000);
    assert.equal(parseRatioMicros('1.10'), 1_100_000);
    assert.equal(parseRatioMicros('0.005'), 5_000);
    for (const bad of ['', '1.1234567', '-0.5', '10', 'abc']) assert.equal(parseRatioMicros(bad), null, bad);
  });
});
