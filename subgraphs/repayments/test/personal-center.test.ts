// Proves the personal center's figures as the domain derives and checks them: invested is what was received
// plus what is outstanding; a sum that breaks an invariant (receivables closed early holding money,
// holdings without principal outstanding, an overdue amount without an overdue installment) is a crash with
// a clear message, never a silently wrong figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { borrowingSummaryOf, portfolioOf, type ReceivableSums } from '../src/domain/personal-center';

const SUMS: ReceivableSums = {
  principalReceivedFen: 1_000_00n,
  outstandingPrincipalFen: 2_500_00n,
  interestReceivedFen: 12_34n,
  interestExpectedFen: 45_67n,
  penaltyReceivedFen: 89n,
  holdings: 2,
  settledEarlyFen: 0n,
};

test('invested is the principal received plus the principal outstanding; the other figures pass through', () => {
  const { settledEarlyFen: _closed, ...figures } = SUMS;
  assert.deepEqual(portfolioOf(SUMS), { investedFen: 3_500_00n, ...figures });
  const none = { ...SUMS, principalReceivedFen: 0n, outstandingPrincipalFen: 0n, holdings: 0 };
  assert.equal(portfolioOf(none).investedFen, 0n, 'an investor whose bids are not paid out yet');
});

test('a portfolio that breaks an invariant is refused', () => {
  assert.throws(() => portfolioOf({ ...SUMS, settledEarlyFen: 1n }), /closed early hold 1 fen/);
  assert.throws(() => portfolioOf({ ...SUMS, holdings: 0 }), /0 holdings with 250000 fen/);
  assert.throws(() => portfolioOf({ ...SUMS, outstandingPrincipalFen: 0n }), /2 holdings with 0 fen/);
  assert.throws(() => portfolioOf({ ...SUMS, interestExpectedFen: -1n }), /interestExpectedFen is -1/);
});

test("a borrower's summary: the overdue amount includes its penalty and needs an overdue installment", () => {
  const summary = {
    outstandingPrincipalFen: 2_000_00n,
    overdueAmountFen: 1_020_00n,
    overduePenaltyFen: 5_00n,
    overdueInstallments: 1,
    loansRepaying: 1,
  };
  assert.deepEqual(borrowingSummaryOf(summary), summary);
  assert.throws(() => borrowingSummaryOf({ ...summary, overduePenaltyFen: 2_000_00n }), /includes its penalty/);
  assert.throws(() => borrowingSummaryOf({ ...summary, overdueInstallments: 0 }), /no installment overdue/);
  assert.throws(() => borrowingSummaryOf({ ...summary, loansRepaying: 0 }), /overdue on no repaying loan/);
});
