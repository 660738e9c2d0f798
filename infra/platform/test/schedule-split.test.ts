// Proves the split of an installment among a loan's bids (domain.md §4): for random bid sets (1..200
// bids) and rates (investor ≤ borrower), Σ investors' principal = installment principal and Σ investors'
// interest + platform commission = installment interest, exactly, for every installment of random
// schedules; shares follow the bid amounts and do not depend on bid order; allocateByLargestRemainder
// always sums exactly and never gives a negative part.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocateByLargestRemainder, AssertionError, buildSchedule, REPAYMENT_METHODS, splitInstallment } from '../src';

const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);

describe('allocateByLargestRemainder', () => {
  it('gives the leftover fen to the largest remainders, ties to the lower index', () => {
    assert.deepEqual(allocateByLargestRemainder(100n, [1n, 1n, 1n]), [34n, 33n, 33n]);
    assert.deepEqual(allocateByLargestRemainder(10n, [1n, 2n, 3n]), [2n, 3n, 5n]);
    assert.deepEqual(allocateByLargestRemainder(0n, [5n, 7n]), [0n, 0n]);
    assert.deepEqual(allocateByLargestRemainder(7n, [0n, 3n]), [0n, 7n]);
  });

  it('refuses negative totals or weights and all-zero weights', () => {
    assert.throws(() => allocateByLargestRemainder(-1n, [1n]), AssertionError);
    assert.throws(() => allocateByLargestRemainder(1n, [1n, -1n]), AssertionError);
    assert.throws(() => allocateByLargestRemainder(1n, [0n, 0n]), AssertionError);
    assert.throws(() => allocateByLargestRemainder(1n, []), AssertionError);
  });

  it('sums exactly, never goes negative, and stays within one fen of the exact share', () => {
    const cases = fc.record({
      totalFen: fc.bigInt({ min: 0n, max: 999_999_999_999n }),
      weights: fc.array(fc.bigInt({ min: 0n, max: 999_999_999n }), { minLength: 1, maxLength: 200 }).filter((weights) => sum(weights) > 0n),
    });
    fc.assert(
      fc.property(cases, ({ totalFen, weights }) => {
        const parts = allocateByLargestRemainder(totalFen, weights);
        assert.equal(sum(parts), totalFen);
        const weightSum = sum(weights);
        parts.forEach((part, index) => {
          const floorFen = (totalFen * weights[index]) / weightSum;
          assert.ok(part >= 0n && (part === floorFen || part === floorFen + 1n), `part ${index} is ${part}, floor ${floorFen}`);
        });
      }),
      { numRuns: 500 },
    );
  });
});

const bidSets = fc
  .uniqueArray(fc.record({ bidId: fc.string({ minLength: 1, maxLength: 8 }), amountFen: fc.bigInt({ min: 1n, max: 99_999_999n }) }), {
    minLength: 1,
    maxLength: 200,
    selector: (bid) => bid.bidId,
  });

const rates = fc
  .tuple(fc.integer({ min: 0, max: 360_000 }), fc.integer({ min: 0, max: 360_000 }))
  .map(([first, second]) => ({ borrowerRateMicros: Math.max(first, second), investorRateMicros: Math.min(first, second) }));

describe('splitInstallment', () => {
  it('shares the reference installment: 15 % borrower, 10 % investors, one third to the platform', () => {
    const split = splitInstallment({ principalFen: 100n, interestFen: 30n }, [{ bidId: 'b', amountFen: 2n }, { bidId: 'a', amountFen: 1n }], 150_000, 100_000);
    assert.deepEqual(split, {
      shares: [{ bidId: 'a', principalFen: 33n, interestFen: 7n }, { bidId: 'b', principalFen: 67n, interestFen: 13n }],
      commissionFen: 10n,
    });
  });

  it('refuses an investor rate above the borrower rate and duplicate bids', () => {
    const bids = [{ bidId: 'a', amountFen: 1n }];
    assert.throws(() => splitInstallment({ principalFen: 1n, interestFen: 1n }, bids, 100_000, 100_001), AssertionError);
    assert.throws(() => splitInstallment({ principalFen: 1n, interestFen: 1n }, [...bids, ...bids], 100_000, 100_000), AssertionError);
  });

  it('adds up exactly for every installment of random schedules and bid sets, whatever the bid order', () => {
    const cases = fc.record({
      bids: bidSets,
      rates,
      termMonths: fc.integer({ min: 1, max: 36 }),
      method: fc.constantFrom(...REPAYMENT_METHODS),
    });
    fc.assert(
      fc.property(cases, ({ bids, rates: { borrowerRateMicros, investorRateMicros }, termMonths, method }) => {
        const principalFen = sum(bids.map((bid) => bid.amountFen));
        const rows = buildSchedule({ principalFen, annualRateMicros: borrowerRateMicros, termMonths, method, startDate: '2026-01-31' });
        for (const row of rows) {
          const split = splitInstallment(row, bids, borrowerRateMicros, investorRateMicros);
          assert.equal(sum(split.shares.map((share) => share.principalFen)), row.principalFen);
          assert.equal(sum(split.shares.map((share) => share.interestFen)) + split.commissionFen, row.interestFen);
          assert.ok(split.commissionFen >= 0n && split.shares.every((share) => share.principalFen >= 0n && share.interestFen >= 0n));
          assert.deepEqual(splitInstallment(row, [...bids].reverse(), borrowerRateMicros, investorRateMicros), split);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('pays the investors nothing above their rate: their interest is installment interest × investor / borrower rate', () => {
    fc.assert(
      fc.property(bidSets, rates, fc.bigInt({ min: 0n, max: 99_999_999n }), (bids, { borrowerRateMicros, investorRateMicros }, interestFen) => {
        const split = splitInstallment({ principalFen: 0n, interestFen }, bids, borrowerRateMicros, investorRateMicros);
        const investorsFen = sum(split.shares.map((share) => share.interestFen));
        if (borrowerRateMicros === 0) return assert.equal(investorsFen, 0n);
        // Half-up rounding: investorsFen is the nearest fen to the exact share.
        const exactTwiceFen = 2n * interestFen * BigInt(investorRateMicros);
        assert.ok(2n * investorsFen * BigInt(borrowerRateMicros) <= exactTwiceFen + BigInt(borrowerRateMicros));
        assert.ok(2n * investorsFen * BigInt(borrowerRateMicros) > exactTwiceFen - BigInt(borrowerRateMicros));
      }),
      { numRuns: 300 },
    );
  });
});
