// Proves admitBids, the in-memory admission of a round of bids, against the rule it replaced: the
// conditional UPDATE that reserved one bid at a time (status FUNDRAISING, raised + bid ≤ amount, the
// remainder 0 or ≥ the minimum, fewer bids than the cap and the last one the cap allows taking the whole
// remainder), written here again as its own predicate and applied bid after bid. For random fundings and
// rounds (fast-check, 500 cases): the same bids are taken, the refused ones are refused for a rule that
// holds at their turn, and the funding afterwards is the sum of the taken bids. Plus the round's fixed
// cases: a round that fills the loan exactly, and one whose later bids only fit after earlier refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { admitBids, type BidAsk, type BidLimits, type FundingSnapshot } from '../src/domain/bid-rules';

const BORROWER = 'borrower';

/** reserveFunding's WHERE, as it was, plus the checks placeBid made before it (minimum, own loan). */
function reservedAlone(
  funding: FundingSnapshot,
  { investorId, amountFen }: BidAsk,
  { minBidFen, bidsPerLoanMax }: BidLimits,
): boolean {
  const remainderFen = funding.amountFen - funding.raisedFen - amountFen;
  return (
    amountFen >= minBidFen &&
    investorId !== funding.borrowerId &&
    funding.status === 'FUNDRAISING' &&
    remainderFen >= 0n &&
    (remainderFen === 0n || remainderFen >= minBidFen) &&
    funding.bidCount < bidsPerLoanMax &&
    (funding.bidCount + 1 < bidsPerLoanMax || remainderFen === 0n)
  );
}

const fundingArbitrary = fc
  .record({
    status: fc.constantFrom('FUNDRAISING' as const, 'FUNDRAISING' as const, 'FULLY_FUNDED' as const),
    borrowerId: fc.constant(BORROWER),
    amountFen: fc.bigInt(200_000n, 2_000_000n),
    raisedShare: fc.integer({ min: 0, max: 100 }),
    bidCount: fc.integer({ min: 0, max: 12 }),
  })
  .map(({ raisedShare, ...rest }): FundingSnapshot => ({
    ...rest,
    raisedFen: ((rest.amountFen * BigInt(raisedShare)) / 100n / 10_000n) * 10_000n,
  }));

const askArbitrary = fc.record({
  investorId: fc.constantFrom('alice', 'bob', BORROWER),
  amountFen: fc.oneof(
    fc.bigInt(1n, 2_000_000n),
    fc.bigInt(1n, 40n).map((hundreds) => hundreds * 10_000n),
  ),
});

test('a round admits exactly the bids that one-at-a-time reservations would, and counts them', () => {
  fc.assert(
    fc.property(
      fundingArbitrary,
      fc.array(askArbitrary, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 16 }),
      (funding, asks, bidsPerLoanMax) => {
        const limits: BidLimits = { minBidFen: 10_000n, bidsPerLoanMax };
        const { refusals, after } = admitBids(funding, asks, limits);
        let alone = funding;
        asks.forEach((ask, index) => {
          const taken = reservedAlone(alone, ask, limits);
          assert.equal(
            refusals[index] === null,
            taken,
            `bid ${index} of ${ask.amountFen} fen on ${JSON.stringify(alone, (_, value) => (typeof value === 'bigint' ? value.toString() : value))}`,
          );
          if (taken) alone = { ...alone, raisedFen: alone.raisedFen + ask.amountFen, bidCount: alone.bidCount + 1 };
        });
        assert.deepEqual(after, alone);
        const takenFen = asks
          .filter((_, index) => refusals[index] === null)
          .reduce((sum, ask) => sum + ask.amountFen, 0n);
        assert.equal(after!.raisedFen, funding.raisedFen + takenFen);
        assert.ok(after!.raisedFen <= after!.amountFen);
      },
    ),
    { numRuns: 500 },
  );
});

test('a round fills a loan exactly, and a bid refused in it leaves room for the ones after', () => {
  const funding: FundingSnapshot = {
    status: 'FUNDRAISING',
    borrowerId: BORROWER,
    amountFen: 50_000n,
    raisedFen: 0n,
    bidCount: 0,
  };
  const limits: BidLimits = { minBidFen: 10_000n, bidsPerLoanMax: 100 };
  const asks = [20_000n, 40_000n, 25_000n, 5_000n, 10_000n, 10_000n].map((amountFen) => ({
    investorId: 'alice',
    amountFen,
  }));
  const { refusals, after } = admitBids(funding, asks, limits);
  assert.deepEqual(
    refusals.map((refusal) => refusal?.rule ?? 'TAKEN'),
    ['TAKEN', 'ABOVE_REMAINING', 'REMAINDER_BELOW_MINIMUM', 'BELOW_MINIMUM', 'TAKEN', 'TAKEN'],
  );
  assert.deepEqual([after!.raisedFen, after!.bidCount], [40_000n, 3]);
  assert.deepEqual(admitBids(null, asks.slice(0, 1), limits), { refusals: [{ rule: 'LOAN_NOT_FOUND' }], after: null });
  assert.equal(
    admitBids(funding, [{ investorId: 'alice', amountFen: 1n }], limits).after,
    funding,
    'nothing taken, nothing changed',
  );
});
