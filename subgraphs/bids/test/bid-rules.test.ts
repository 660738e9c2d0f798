// Proves the pure bid rules: the check order of domain.md §2 step 6 (amount ≥ minimum, loan known and
// FUNDRAISING, investor not the borrower, amount ≤ remaining, remainder 0 or ≥ minimum — the first broken
// rule is the one reported), the remainder rule on its own, funding progress, the bank reference formats
// and the error codes each refusal becomes.
import { bankUserNoFor } from '@wanxin/platform';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bidRefusal, fundingProgress, leavesValidRemainder, newBankRequestNo, type FundingSnapshot } from '../src/domain/bid-rules';
import { BidErrors } from '../src/domain/errors';

const MIN = 10_000n;
const BORROWER = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const INVESTOR = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
const open = (raisedFen: bigint, fields: Partial<FundingSnapshot> = {}): FundingSnapshot => ({ status: 'FUNDRAISING', borrowerId: BORROWER, amountFen: 200_000n, raisedFen, ...fields });

describe('the bid check order', () => {
  it('accepts a bid that breaks no rule, including one that takes exactly the remainder', () => {
    assert.equal(bidRefusal(open(0n), INVESTOR, 10_000n, MIN), null);
    assert.equal(bidRefusal(open(190_000n), INVESTOR, 10_000n, MIN), null);
    assert.equal(bidRefusal(open(0n), INVESTOR, 200_000n, MIN), null);
  });

  it('reports the minimum first, even on an unknown, closed or own loan', () => {
    assert.equal(bidRefusal(null, INVESTOR, 9_999n, MIN)?.rule, 'BELOW_MINIMUM');
    assert.equal(bidRefusal(open(0n, { status: 'CLOSED', borrowerId: INVESTOR }), INVESTOR, 9_999n, MIN)?.rule, 'BELOW_MINIMUM');
  });

  it('then the loan: unknown, then not FUNDRAISING (before the borrower rule)', () => {
    assert.equal(bidRefusal(null, INVESTOR, MIN, MIN)?.rule, 'LOAN_NOT_FOUND');
    assert.equal(bidRefusal(open(0n, { status: 'FULLY_FUNDED', borrowerId: INVESTOR }), INVESTOR, MIN, MIN)?.rule, 'NOT_FUNDRAISING');
  });

  it('then the borrower, before the amounts', () => {
    assert.equal(bidRefusal(open(195_000n, { borrowerId: INVESTOR }), INVESTOR, 900_000n, MIN)?.rule, 'OWN_LOAN');
  });

  it('then amount ≤ remaining, then the remainder rule', () => {
    assert.deepEqual(bidRefusal(open(150_000n), INVESTOR, 60_000n, MIN), { rule: 'ABOVE_REMAINING', remainingFen: 50_000n });
    assert.deepEqual(bidRefusal(open(150_000n), INVESTOR, 45_000n, MIN), { rule: 'REMAINDER_BELOW_MINIMUM', remainderFen: 5_000n, minBidFen: MIN });
  });

  it('turns each refusal into the contract error code', () => {
    const codes = [
      bidRefusal(open(0n), INVESTOR, 1n, MIN), bidRefusal(null, INVESTOR, MIN, MIN), bidRefusal(open(0n, { status: 'CLOSED' }), INVESTOR, MIN, MIN),
      bidRefusal(open(0n, { borrowerId: INVESTOR }), INVESTOR, MIN, MIN), bidRefusal(open(150_000n), INVESTOR, 60_000n, MIN), bidRefusal(open(150_000n), INVESTOR, 45_000n, MIN),
    ].map((refusal) => BidErrors.refused(refusal!, BORROWER).extensions.code);
    assert.deepEqual(codes, ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    assert.equal(BidErrors.insufficientFunds('no').extensions.code, 'INSUFFICIENT_FUNDS');
  });
});

describe('the remainder rule', () => {
  it('allows nothing left or at least the minimum, nothing in between', () => {
    assert.equal(leavesValidRemainder(50_000n, 50_000n, MIN), true);
    assert.equal(leavesValidRemainder(50_000n, 40_000n, MIN), true);
    assert.equal(leavesValidRemainder(50_000n, 40_001n, MIN), false);
    assert.equal(leavesValidRemainder(50_000n, 49_999n, MIN), false);
  });
});

describe('funding progress and bank references', () => {
  it('is raised / amount from 0 to 1', () => {
    assert.equal(fundingProgress(0n, 200_000n), 0);
    assert.equal(fundingProgress(50_000n, 200_000n), 0.25);
    assert.equal(fundingProgress(200_000n, 200_000n), 1);
    assert.throws(() => fundingProgress(200_001n, 200_000n));
  });

  it('builds requestNos of at most 40 bank characters and the userNo rule', () => {
    assert.match(newBankRequestNo('BD'), /^BD[0-9A-F]{32}$/);
    assert.equal(bankUserNoFor(INVESTOR), '0190A1B2C3D47E5F8A9B0C1D2E3F4A5C');
  });
});
