// Proves repayments reads loans.loan.disbursed with the platform's one bound on bids per loan: a payout
// of LOAN_BIDS_MAX bids is accepted, one bid more is refused (dead-lettered), as bids and loans refuse it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LOAN_BIDS_MAX, newId } from '@wanxin/platform';
import { decodeLoanDisbursed } from '../src/events/loan-disbursed.subscription';

const BID_FEN = 10_000;

function disbursed(bidCount: number) {
  return {
    loanId: newId(), loanNo: 'LN0001', borrowerId: newId(), amountFen: String(bidCount * BID_FEN), annualRateMicros: 150_000, investorRateMicros: 100_000,
    termMonths: 12, repaymentMethod: 'EQUAL_INSTALLMENT', disbursedAt: '2026-01-15T00:00:00.000Z', feeFen: '0',
    bids: Array.from({ length: bidCount }, () => ({ bidId: newId(), investorId: newId(), amountFen: String(BID_FEN) })),
  };
}

describe('loans.loan.disbursed decoder and the bids per loan', () => {
  it('takes LOAN_BIDS_MAX bids, not one more', () => {
    assert.equal(decodeLoanDisbursed(disbursed(LOAN_BIDS_MAX))?.bids.length, LOAN_BIDS_MAX);
    assert.equal(decodeLoanDisbursed(disbursed(LOAN_BIDS_MAX + 1)), null);
  });
});
