// Proves the pure bid rules: the check order of domain.md §2 step 6 (amount ≥ minimum, loan known and
// FUNDRAISING, investor not the borrower, amount ≤ remaining, remainder 0 or ≥ minimum, then the bound on
// bids per loan: fewer than the cap, and the last bid the cap allows takes the whole remainder — the
// first broken rule is the one reported), the remainder rule on its own, funding progress, the bank
// reference formats and the error codes each refusal becomes.
import { bankUserNoFor, LOAN_BIDS_MAX } from '@wanxin/platform';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bidRefusal,
  bidsLeft,
  fundingProgress,
  leavesValidRemainder,
  newBankRequestNo,
  type BidLimits,
  type FundingSnapshot,
} from '../src/domain/bid-rules';
import { BidErrors } from '../src/domain/errors';

const MIN = 10_000n;
const CAP = 3;
const LIMITS: BidLimits = { minBidFen: MIN, bidsPerLoanMax: CAP };
const BORROWER = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const INVESTOR = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
const open = (raisedFen: bigint, fields: Partial<FundingSnapshot> = {}): FundingSnapshot => ({
  status: 'FUNDRAISING',
  borrowerId: BORROWER,
  amountFen: 200_000n,
  raisedFen,
  bidCount: 0,
  ...fields,
});

describe('the bid check order', () => {
  it('accepts a bid that breaks no rule, including one that takes exactly the remainder', () => {
    assert.equal(bidRefusal(open(0n), INVESTOR, 10_000n, LIMITS), null);
    assert.equal(bidRefusal(open(190_000n), INVESTOR, 10_000n, LIMITS), null);
    assert.equal(bidRefusal(open(0n), INVESTOR, 200_000n, LIMITS), null);
  });

  it('reports the minimum first, even on an unknown, closed or own loan', () => {
    assert.equal(bidRefusal(null, INVESTOR, 9_999n, LIMITS)?.rule, 'BELOW_MINIMUM');
    assert.equal(
      bidRefusal(open(0n, { status: 'CLOSED', borrowerId: INVESTOR }), INVESTOR, 9_999n, LIMITS)?.rule,
      'BELOW_MINIMUM',
    );
  });

  it('then the loan: unknown, then not FUNDRAISING (before the borrower rule)', () => {
    assert.equal(bidRefusal(null, INVESTOR, MIN, LIMITS)?.rule, 'LOAN_NOT_FOUND');
    assert.equal(
      bidRefusal(open(0n, { status: 'FULLY_FUNDED', borrowerId: INVESTOR }), INVESTOR, MIN, LIMITS)?.rule,
      'NOT_FUNDRAISING',
    );
  });

  it('a loan with nothing left is full, as one FULLY_FUNDED is: CONFLICT for any bid of at least the minimum, the borrower too', () => {
    const filled = bidRefusal(open(200_000n), INVESTOR, MIN, LIMITS)!;
    assert.deepEqual(filled, { rule: 'FILLED' });
    assert.deepEqual(bidRefusal(open(200_000n, { borrowerId: INVESTOR }), INVESTOR, 900_000n, LIMITS), {
      rule: 'FILLED',
    });
    const marked = bidRefusal(open(200_000n, { status: 'FULLY_FUNDED' }), INVESTOR, MIN, LIMITS)!;
    for (const refusal of [filled, marked]) {
      const error = BidErrors.refused(refusal, BORROWER);
      assert.equal(error.extensions.code, 'CONFLICT');
      assert.equal(
        error.message,
        `loan ${BORROWER} is fully funded: nothing remains to bid on`,
        'the same answer before and after the loan is marked',
      );
    }
  });

  it('then the borrower, before the amounts', () => {
    assert.equal(bidRefusal(open(195_000n, { borrowerId: INVESTOR }), INVESTOR, 900_000n, LIMITS)?.rule, 'OWN_LOAN');
  });

  it('then amount ≤ remaining, then the remainder rule', () => {
    assert.deepEqual(bidRefusal(open(150_000n), INVESTOR, 60_000n, LIMITS), {
      rule: 'ABOVE_REMAINING',
      remainingFen: 50_000n,
    });
    assert.deepEqual(bidRefusal(open(150_000n), INVESTOR, 45_000n, LIMITS), {
      rule: 'REMAINDER_BELOW_MINIMUM',
      remainderFen: 5_000n,
      minBidFen: MIN,
    });
  });

  it('then the bids per loan: below the cap any valid amount, the last bid the whole remainder, none beyond', () => {
    assert.equal(bidRefusal(open(150_000n, { bidCount: CAP - 2 }), INVESTOR, 10_000n, LIMITS), null, 'two bids left');
    assert.deepEqual(bidRefusal(open(150_000n, { bidCount: CAP - 1 }), INVESTOR, 10_000n, LIMITS), {
      rule: 'LAST_BID_LEAVES_REMAINDER',
      remainingFen: 50_000n,
    });
    assert.equal(
      bidRefusal(open(150_000n, { bidCount: CAP - 1 }), INVESTOR, 50_000n, LIMITS),
      null,
      'the last bid takes the whole remainder',
    );
    assert.deepEqual(bidRefusal(open(150_000n, { bidCount: CAP }), INVESTOR, 50_000n, LIMITS), {
      rule: 'BIDS_PER_LOAN_REACHED',
      bidsPerLoanMax: CAP,
    });
    assert.equal(
      bidRefusal(open(150_000n, { bidCount: CAP + 5 }), INVESTOR, 50_000n, LIMITS)?.rule,
      'BIDS_PER_LOAN_REACHED',
      'the cap was lowered under the loan',
    );
  });

  it('checks the bids per loan after every amount rule, and a cap of one bid takes the whole loan', () => {
    assert.equal(bidRefusal(open(150_000n, { bidCount: CAP }), INVESTOR, 60_000n, LIMITS)?.rule, 'ABOVE_REMAINING');
    assert.equal(
      bidRefusal(open(150_000n, { bidCount: CAP - 1 }), INVESTOR, 45_000n, LIMITS)?.rule,
      'REMAINDER_BELOW_MINIMUM',
    );
    assert.equal(
      bidRefusal(open(200_000n, { bidCount: CAP }), INVESTOR, MIN, LIMITS)?.rule,
      'FILLED',
      'a full loan says it is full',
    );
    const single: BidLimits = { minBidFen: MIN, bidsPerLoanMax: 1 };
    assert.equal(bidRefusal(open(0n), INVESTOR, 100_000n, single)?.rule, 'LAST_BID_LEAVES_REMAINDER');
    assert.equal(bidRefusal(open(0n), INVESTOR, 200_000n, single), null);
  });

  it('counts the bids left from the cap, never below zero', () => {
    assert.deepEqual(
      [0, CAP - 1, CAP, CAP + 2].map((count) => bidsLeft(count, CAP)),
      [CAP, 1, 0, 0],
    );
    assert.equal(bidsLeft(0, LOAN_BIDS_MAX), LOAN_BIDS_MAX);
    assert.throws(() => bidsLeft(-1, CAP));
  });

  it('turns each refusal into the contract error code', () => {
    const codes = [
      bidRefusal(open(0n), INVESTOR, 1n, LIMITS),
      bidRefusal(null, INVESTOR, MIN, LIMITS),
      bidRefusal(open(0n, { status: 'CLOSED' }), INVESTOR, MIN, LIMITS),
      bidRefusal(open(0n, { borrowerId: INVESTOR }), INVESTOR, MIN, LIMITS),
      bidRefusal(open(150_000n), INVESTOR, 60_000n, LIMITS),
      bidRefusal(open(150_000n), INVESTOR, 45_000n, LIMITS),
      bidRefusal(open(150_000n, { bidCount: CAP }), INVESTOR, MIN, LIMITS),
      bidRefusal(open(150_000n, { bidCount: CAP - 1 }), INVESTOR, MIN, LIMITS),
    ].map((refusal) => BidErrors.refused(refusal!, BORROWER).extensions.code);
    assert.deepEqual(codes, [
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'CONFLICT',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'CONFLICT',
      'BAD_USER_INPUT',
    ]);
    assert.equal(
      BidErrors.refused({ rule: 'LAST_BID_LEAVES_REMAINDER', remainingFen: 50_000n }, BORROWER).message,
      'Invalid amount: this loan takes one more bid, which must be the whole remaining 500.00',
    );
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
