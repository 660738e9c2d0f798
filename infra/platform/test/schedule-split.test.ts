// Proves the split of a loan's installments among its bids (domain.md §4): allocateByLargestRemainder
// always sums exactly and never gives a negative part; splitSchedule splits cumulatively, so for random
// loans (every method, terms 1..60, 1..50 bids summing to the loan, investor rate ≤ borrower rate) every
// installment splits exactly (Σ principal parts = its principal, Σ interest parts + commission = its
// interest), no part is negative, and over the loan every bid gets back exactly its amount — the domain.md
// example of 12,000.00 funded 6,000 / 4,000 / 2,000 included, for every method; after an early repayment
// rewrites the remaining periods, continuing the split from what the bids hold keeps all of that true.
// expectedInterestFen (bidPreview) is, for random loans, the very total splitSchedule gives the last bid.
// allocateCumulatively shares penalties installment by installment so that Σ per installment is exact and
// each bid's penalty to date is the largest-remainder share of the loan's penalty to date.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocateByLargestRemainder,
  allocateCumulatively,
  AssertionError,
  buildSchedule,
  expectedInterestFen,
  REPAYMENT_METHODS,
  splitSchedule,
  type BidShare,
  type BidWeight,
  type InstallmentParts,
  type InstallmentSplit,
  type SplitTerms,
} from '../src';

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
      weights: fc
        .array(fc.bigInt({ min: 0n, max: 999_999_999n }), { minLength: 1, maxLength: 200 })
        .filter((weights) => sum(weights) > 0n),
    });
    fc.assert(
      fc.property(cases, ({ totalFen, weights }) => {
        const parts = allocateByLargestRemainder(totalFen, weights);
        assert.equal(sum(parts), totalFen);
        const weightSum = sum(weights);
        parts.forEach((part, index) => {
          const floorFen = (totalFen * weights[index]) / weightSum;
          assert.ok(
            part >= 0n && (part === floorFen || part === floorFen + 1n),
            `part ${index} is ${part}, floor ${floorFen}`,
          );
        });
      }),
      { numRuns: 500 },
    );
  });
});

/** Random bid sets: 1..50 bids of 0.01..999,999.99 yuan; the loan is their sum. */
const bidSets = fc.uniqueArray(
  fc.record({ bidId: fc.string({ minLength: 1, maxLength: 8 }), amountFen: fc.bigInt({ min: 1n, max: 99_999_999n }) }),
  {
    minLength: 1,
    maxLength: 50,
    selector: (bid) => bid.bidId,
  },
);

/** A borrower rate 0..36 % and an investor rate at most as high, exact edges included. */
const rates = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 360_000 }), fc.constantFrom(0, 150_000)),
    fc.integer({ min: 0, max: 360_000 }),
  )
  .map(([first, second]) => ({
    borrowerRateMicros: Math.max(first, second),
    investorRateMicros: Math.min(first, second),
  }));

const loans = fc.record({
  bids: bidSets,
  rates,
  termMonths: fc.integer({ min: 1, max: 60 }),
  method: fc.constantFrom(...REPAYMENT_METHODS),
});

type DrawnLoan = typeof loans extends fc.Arbitrary<infer T> ? T : never;

/** A drawn loan's schedule (the principal is Σ bids, from 2026-01-31) and its split among the bids. */
function splitLoan({ bids, rates: terms, termMonths, method }: DrawnLoan) {
  const rows = buildSchedule({
    principalFen: sum(bids.map((bid) => bid.amountFen)),
    annualRateMicros: terms.borrowerRateMicros,
    termMonths,
    method,
    startDate: '2026-01-31',
  });
  return { rows, splits: splitSchedule(rows, { bids, ...terms }) };
}

/** Σ of each bid's parts over the splits, by bid id. */
function totalsByBid(splits: readonly InstallmentSplit[]): Map<string, BidShare> {
  const totals = new Map<string, BidShare>();
  for (const share of splits.flatMap((split) => split.shares)) {
    const total = totals.get(share.bidId) ?? { bidId: share.bidId, principalFen: 0n, interestFen: 0n };
    totals.set(share.bidId, {
      bidId: share.bidId,
      principalFen: total.principalFen + share.principalFen,
      interestFen: total.interestFen + share.interestFen,
    });
  }
  return totals;
}

/** Every installment splits exactly, no part or commission is negative, and the shares come in bidId order. */
function assertSplitsExact(installments: readonly InstallmentParts[], splits: readonly InstallmentSplit[]): void {
  assert.equal(splits.length, installments.length);
  installments.forEach((installment, index) => {
    const { shares, commissionFen } = splits[index];
    assert.equal(
      sum(shares.map((share) => share.principalFen)),
      installment.principalFen,
      `period ${index + 1} principal`,
    );
    assert.equal(
      sum(shares.map((share) => share.interestFen)) + commissionFen,
      installment.interestFen,
      `period ${index + 1} interest`,
    );
    assert.ok(
      commissionFen >= 0n && shares.every((share) => share.principalFen >= 0n && share.interestFen >= 0n),
      `period ${index + 1} has a negative part`,
    );
    assert.deepEqual(
      shares.map((share) => share.bidId),
      [...shares.map((share) => share.bidId)].sort(),
    );
  });
}

/** Every bid got back exactly its amount. */
function assertBidsRepaid(bids: readonly BidWeight[], splits: readonly InstallmentSplit[]): void {
  const totals = totalsByBid(splits);
  for (const bid of bids) assert.equal(totals.get(bid.bidId)?.principalFen, bid.amountFen, `bid ${bid.bidId}`);
}

/** The investors' interest over the splits: Σ interest × investor / borrower rate, rounded half-up once. */
function assertInvestorsInterest(
  installments: readonly InstallmentParts[],
  splits: readonly InstallmentSplit[],
  terms: SplitTerms,
): void {
  const interestFen = sum(installments.map((installment) => installment.interestFen));
  const investorsFen = sum(splits.flatMap((split) => split.shares.map((share) => share.interestFen)));
  const expectedFen =
    terms.borrowerRateMicros === 0
      ? 0n
      : (2n * interestFen * BigInt(terms.investorRateMicros) + BigInt(terms.borrowerRateMicros)) /
        (2n * BigInt(terms.borrowerRateMicros));
  assert.equal(investorsFen, expectedFen);
}

describe('splitSchedule', () => {
  it('shares the reference installment: 15 % borrower, 10 % investors, one third to the platform', () => {
    const terms = {
      bids: [
        { bidId: 'b', amountFen: 2n },
        { bidId: 'a', amountFen: 1n },
      ],
      borrowerRateMicros: 150_000,
      investorRateMicros: 100_000,
    };
    assert.deepEqual(splitSchedule([{ principalFen: 100n, interestFen: 30n }], terms), [
      {
        shares: [
          { bidId: 'a', principalFen: 33n, interestFen: 7n },
          { bidId: 'b', principalFen: 67n, interestFen: 13n },
        ],
        commissionFen: 10n,
      },
    ]);
  });

  it('refuses an investor rate above the borrower rate, duplicate bids, and held shares that do not add up', () => {
    const bids = [{ bidId: 'a', amountFen: 1n }];
    const installments = [{ principalFen: 1n, interestFen: 1n }];
    assert.throws(
      () => splitSchedule(installments, { bids, borrowerRateMicros: 100_000, investorRateMicros: 100_001 }),
      AssertionError,
    );
    assert.throws(
      () =>
        splitSchedule(installments, {
          bids: [...bids, ...bids],
          borrowerRateMicros: 100_000,
          investorRateMicros: 100_000,
        }),
      AssertionError,
    );
    const terms = { bids, borrowerRateMicros: 100_000, investorRateMicros: 100_000 };
    const soFar = { principalFen: 5n, interestFen: 2n, shares: [{ bidId: 'a', principalFen: 4n, interestFen: 1n }] };
    assert.throws(() => splitSchedule(installments, terms, soFar), AssertionError);
    assert.throws(
      () =>
        splitSchedule(installments, terms, { ...soFar, shares: [{ bidId: 'z', principalFen: 5n, interestFen: 1n }] }),
      AssertionError,
    );
  });

  // domain.md §4: split per installment on its own, the first investor got 6,000.01 back.
  for (const method of REPAYMENT_METHODS) {
    it(`returns 6,000.00 / 4,000.00 / 2,000.00 of a 12,000.00 ${method} loan over 12 months, to the fen`, () => {
      const bids = [
        { bidId: 'bid-1', amountFen: 600_000n },
        { bidId: 'bid-2', amountFen: 400_000n },
        { bidId: 'bid-3', amountFen: 200_000n },
      ];
      const terms = { bids, borrowerRateMicros: 150_000, investorRateMicros: 100_000 };
      const rows = buildSchedule({
        principalFen: 1_200_000n,
        annualRateMicros: 150_000,
        termMonths: 12,
        method,
        startDate: '2026-01-31',
      });
      const splits = splitSchedule(rows, terms);
      assertSplitsExact(rows, splits);
      const totals = totalsByBid(splits);
      assert.deepEqual(
        [...totals.values()].map((total) => total.principalFen),
        [600_000n, 400_000n, 200_000n],
      );
      assertInvestorsInterest(rows, splits, terms);
      // The interest too is shared 3 : 2 : 1 over the loan, within a fen of the exact share.
      const investorsFen = sum([...totals.values()].map((total) => total.interestFen));
      [3n, 2n, 1n].forEach((weight, index) => {
        const interestFen = [...totals.values()][index].interestFen;
        assert.ok(
          interestFen * 6n - investorsFen * weight > -6n && interestFen * 6n - investorsFen * weight < 6n,
          `bid ${index + 1} earns ${interestFen}`,
        );
      });
    });
  }

  it('takes back no fen when largest remainder would (the Alabama paradox): 10 then 11 fen over bids of 6, 6 and 2', () => {
    // Alone, largest remainder gives 10 fen as 4 / 4 / 2 and 11 fen as 5 / 5 / 1: the third bid would lose one.
    assert.deepEqual(allocateByLargestRemainder(10n, [6n, 6n, 2n]), [4n, 4n, 2n]);
    assert.deepEqual(allocateByLargestRemainder(11n, [6n, 6n, 2n]), [5n, 5n, 1n]);
    const bids = [
      { bidId: 'a', amountFen: 6n },
      { bidId: 'b', amountFen: 6n },
      { bidId: 'c', amountFen: 2n },
    ];
    const installments = [
      { principalFen: 10n, interestFen: 0n },
      { principalFen: 1n, interestFen: 0n },
      { principalFen: 3n, interestFen: 0n },
    ];
    const splits = splitSchedule(installments, { bids, borrowerRateMicros: 0, investorRateMicros: 0 });
    assert.deepEqual(
      splits.map((split) => split.shares.map((share) => share.principalFen)),
      [
        [4n, 4n, 2n],
        [1n, 0n, 0n],
        [1n, 2n, 0n],
      ],
    );
    assertBidsRepaid(bids, splits);
  });

  it('for random loans splits every installment exactly and returns every bid exactly, whatever the bid order', () => {
    fc.assert(
      fc.property(loans, ({ bids, rates: terms, termMonths, method }) => {
        const { rows, splits } = splitLoan({ bids, rates: terms, termMonths, method });
        assertSplitsExact(rows, splits);
        assertBidsRepaid(bids, splits);
        assertInvestorsInterest(rows, splits, { bids, ...terms });
        assert.deepEqual(splitSchedule(rows, { bids: [...bids].reverse(), ...terms }), splits);
        // Cumulative: the first k installments split alone give what the whole schedule's first k do.
        const k = Math.ceil(rows.length / 2);
        assert.deepEqual(splitSchedule(rows.slice(0, k), { bids, ...terms }), splits.slice(0, k));
      }),
      { numRuns: 300 },
    );
  });

  it('after an early repayment at a random period re-splits the rest so the sums still hold and every bid is repaid exactly', () => {
    const cases = fc.record({
      loan: loans,
      periodRatio: fc.double({ min: 0, max: 1, noNaN: true }),
      interestRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(cases, ({ loan: { bids, rates: terms, termMonths, method }, periodRatio, interestRatio }) => {
        const { rows, splits } = splitLoan({ bids, rates: terms, termMonths, method });
        // Periods before `current` stay as split; `current` takes all the principal left and part of its interest; later ones close at zero.
        const current = Math.min(rows.length - 1, Math.floor(periodRatio * rows.length));
        const outstandingFen = sum(rows.slice(current).map((row) => row.principalFen));
        const accruedFen = (rows[current].interestFen * BigInt(Math.round(interestRatio * 1000))) / 1000n;
        const rewritten = rows
          .slice(current)
          .map((_, index) =>
            index === 0
              ? { principalFen: outstandingFen, interestFen: accruedFen }
              : { principalFen: 0n, interestFen: 0n },
          );
        const before = splits.slice(0, current);
        const soFar = {
          principalFen: sum(rows.slice(0, current).map((row) => row.principalFen)),
          interestFen: sum(rows.slice(0, current).map((row) => row.interestFen)),
          shares: [...totalsByBid(before).values()],
        };
        const resplit = splitSchedule(rewritten, { bids, ...terms }, current === 0 ? undefined : soFar);
        assertSplitsExact(rewritten, resplit);
        assertBidsRepaid(bids, [...before, ...resplit]);
        assertInvestorsInterest([...rows.slice(0, current), ...rewritten], [...before, ...resplit], { bids, ...terms });
        // Continuing from what the bids hold is the same as splitting the rewritten schedule whole.
        assert.deepEqual(
          [...before, ...resplit],
          splitSchedule([...rows.slice(0, current), ...rewritten], { bids, ...terms }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('continues from a history it did not produce without a negative part: held shares off by a few fen', () => {
    const bids = [
      { bidId: 'a', amountFen: 600_000n },
      { bidId: 'b', amountFen: 400_000n },
      { bidId: 'c', amountFen: 200_000n },
    ];
    // Per-installment rounding left the first bid 3 fen ahead of its share and the investors 2 fen of interest ahead.
    const soFar = {
      principalFen: 600_000n,
      interestFen: 9_000n,
      shares: [
        { bidId: 'a', principalFen: 300_003n, interestFen: 3_002n },
        { bidId: 'b', principalFen: 199_999n, interestFen: 2_001n },
        { bidId: 'c', principalFen: 99_998n, interestFen: 999n },
      ],
    };
    // The first fen repaid would, by largest remainder, go to the first bid, which already holds more than its share.
    const rewritten = [
      { principalFen: 1n, interestFen: 0n },
      { principalFen: 599_999n, interestFen: 0n },
      { principalFen: 0n, interestFen: 0n },
    ];
    const splits = splitSchedule(rewritten, { bids, borrowerRateMicros: 150_000, investorRateMicros: 100_000 }, soFar);
    assertSplitsExact(rewritten, splits);
    assertBidsRepaid(bids, [{ shares: soFar.shares, commissionFen: 0n }, ...splits]);
  });
});

describe('expectedInterestFen', () => {
  it('for random loans is the Σ interest splitSchedule gives the bid that fills the loan, or one more for the rest', () => {
    fc.assert(
      fc.property(loans, fc.integer({ min: 0, max: 49 }), ({ bids, rates: terms, termMonths, method }, cut) => {
        // Ids sort like the platform's: a bid placed later sorts after the earlier ones.
        const ordered = bids.map((bid, index) => ({ ...bid, bidId: `bid-${String(index).padStart(2, '0')}` }));
        const loanAmountFen = sum(ordered.map((bid) => bid.amountFen));
        const startDate = '2028-02-29';
        const rows = buildSchedule({
          principalFen: loanAmountFen,
          annualRateMicros: terms.borrowerRateMicros,
          termMonths,
          method,
          startDate,
        });
        const totals = totalsByBid(splitSchedule(rows, { bids: ordered, ...terms }));
        const last = ordered[ordered.length - 1];
        const preview = (placed: readonly BidWeight[], amountFen: bigint) =>
          expectedInterestFen({
            loanAmountFen,
            ...terms,
            bids: placed,
            amountFen,
            termMonths,
            method,
            startDate,
          });
        assert.equal(preview(ordered.slice(0, -1), last.amountFen), totals.get(last.bidId)!.interestFen);
        // A bid that leaves a rest: exact when one more bid raises the rest.
        const placedCount = Math.min(cut, ordered.length - 1);
        if (placedCount < ordered.length - 1) {
          const next = ordered[placedCount];
          const restFen = loanAmountFen - sum(ordered.slice(0, placedCount + 1).map((bid) => bid.amountFen));
          const filled = [...ordered.slice(0, placedCount + 1), { bidId: 'zz-rest', amountFen: restFen }];
          const filledTotals = totalsByBid(splitSchedule(rows, { bids: filled, ...terms }));
          assert.equal(
            preview(ordered.slice(0, placedCount), next.amountFen),
            filledTotals.get(next.bidId)!.interestFen,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('allocateCumulatively (penalties)', () => {
  /** Per-installment largest remainder, as penalties were shared before: the residues pile up. */
  const alone = (penaltyFen: bigint, weights: readonly bigint[]) => allocateByLargestRemainder(penaltyFen, weights);
  const cumulative = (penalties: readonly bigint[], weights: readonly bigint[], share = allocateCumulatively) => {
    let heldFen = weights.map(() => 0n);
    for (const penaltyFen of penalties) {
      const parts = share(penaltyFen, weights, heldFen);
      assert.equal(sum(parts), penaltyFen, 'Σ of one installment exact');
      assert.ok(
        parts.every((part) => part >= 0n),
        'no fen taken back',
      );
      heldFen = heldFen.map((held, index) => held + parts[index]);
    }
    return heldFen;
  };

  /** Whether largest remainder of the running totals never gives any part less than the step before. */
  const largestRemainderNeverShrinks = (penalties: readonly bigint[], weights: readonly bigint[]) => {
    let runningFen = 0n;
    let before = weights.map(() => 0n);
    return penalties.every((penaltyFen) => {
      runningFen += penaltyFen;
      const now = allocateByLargestRemainder(runningFen, weights);
      const grows = now.every((part, index) => part >= before[index]);
      before = now;
      return grows;
    });
  };

  it('gives 1 fen penalties over three equal bids round, not all to the first bid', () => {
    const weights = [100n, 100n, 100n];
    assert.deepEqual(cumulative([1n, 1n, 1n, 1n, 1n, 1n], weights), [2n, 2n, 2n]);
    assert.deepEqual(cumulative([1n, 1n, 1n, 1n, 1n, 1n], weights, alone), [6n, 0n, 0n], 'per installment alone');
  });

  it('for random loans, 1..50 bids and many overdue installments: each bid within a fen of its share, largest remainder of the total', () => {
    const cases = fc.record({
      bids: bidSets,
      penalties: fc.array(fc.bigInt({ min: 0n, max: 50_000n }), { minLength: 1, maxLength: 200 }),
    });
    fc.assert(
      fc.property(cases, ({ bids, penalties }) => {
        const weights = bids.map((bid) => bid.amountFen);
        const heldFen = cumulative(penalties, weights);
        const totalFen = sum(penalties);
        // Equal to largest remainder of the total unless, at some step, largest remainder itself would take a
        // fen back (the Alabama paradox): then keeping the fen wins, and the quota below still holds.
        if (largestRemainderNeverShrinks(penalties, weights))
          assert.deepEqual(heldFen, allocateByLargestRemainder(totalFen, weights));
        const weightSum = sum(weights);
        heldFen.forEach((held, index) => {
          const exactTimesWeights = totalFen * weights[index];
          assert.ok(
            held * weightSum - exactTimesWeights < weightSum && exactTimesWeights - held * weightSum < weightSum,
            `bid ${index}`,
          );
        });
      }),
      { numRuns: 300 },
    );
  });
});
