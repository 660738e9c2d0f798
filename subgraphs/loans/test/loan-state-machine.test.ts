// Proves the loan's pure rules (src/domain/): the one transition table allows exactly the moves of
// domain.md §2–3 and refuses every other (status, action) pair; amounts go from 2,000.00 to the largest
// loan in steps of 100.00; terms are 3–36 months (DAILY 1–36); the commission's rates have investor ≤ borrower;
// the service fee rounds half-up to the fen; the funding window is whole days from opening; loan
// numbers, bank requestNos and bank userNos have the bank's format.
import { bankUserNoFor, REPAYMENT_METHODS } from '@wanxin/platform';
import { REFERENCE_NO_PATTERN } from '@wanxin/platform/bank-protocol';
import { itFollowsTransitionTable, type Transition } from '@wanxin/platform/testing';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  fundingDeadline,
  isFundingWindowClosed,
  loanAmountProblem,
  LOAN_NO_PATTERN,
  loanRatesProblem,
  newBankRequestNo,
  newLoanNo,
  openedOnOrBeforeForExpiry,
  serviceFeeFen,
  termMonthsProblem,
  businessTimeOf,
} from '../src/domain/loan-rules';
import {
  isFinalLoanStatus,
  LOAN_ACTIONS,
  LOAN_STATUSES,
  nextLoanStatus,
  type LoanAction,
  type LoanStatus,
} from '../src/domain/loan-status';

const LOAN_MOVES: Transition<LoanStatus, LoanAction>[] = [
  ['PENDING_REVIEW', 'APPROVE', 'FUNDRAISING'],
  ['PENDING_REVIEW', 'REJECT', 'REJECTED'],
  ['FUNDRAISING', 'FULLY_FUND', 'FULLY_FUNDED'],
  ['FUNDRAISING', 'EXPIRE', 'FAILED'],
  ['FULLY_FUNDED', 'DISBURSE', 'REPAYING'],
  ['FULLY_FUNDED', 'REFUSE_PAYOUT', 'FAILED'],
  ['REPAYING', 'SETTLE', 'SETTLED'],
  ['PENDING_REVIEW', 'WITHDRAW', 'CANCELLED'],
  ['FUNDRAISING', 'CANCEL', 'FAILED'],
];
const LOAN_LIFECYCLE = { statuses: LOAN_STATUSES, actions: LOAN_ACTIONS, next: nextLoanStatus, allowed: LOAN_MOVES };
const RATES = { borrowerRateMicros: 150_000, investorRateMicros: 100_000 };
const LOAN_MAX_FEN = 50_000_000n;

describe('the loan state machine', () => {
  itFollowsTransitionTable(LOAN_LIFECYCLE);

  it('has no way out of REJECTED, SETTLED, FAILED and CANCELLED', () => {
    for (const status of LOAN_STATUSES) {
      const exits = LOAN_ACTIONS.filter((action) => nextLoanStatus(status, action) !== null);
      assert.equal(isFinalLoanStatus(status), exits.length === 0, status);
    }
    assert.deepEqual(LOAN_STATUSES.filter(isFinalLoanStatus), ['REJECTED', 'SETTLED', 'FAILED', 'CANCELLED']);
  });
});

describe('loan amounts', () => {
  it('accepts 2,000.00 to the largest loan in steps of 100.00', () => {
    for (const fen of [200_000n, 210_000n, 1_230_000n, LOAN_MAX_FEN])
      assert.equal(loanAmountProblem(fen, LOAN_MAX_FEN), null, `${fen}`);
  });

  it('refuses less than 2,000.00, above the largest loan, and anything off the 100.00 step', () => {
    assert.match(loanAmountProblem(199_999n, LOAN_MAX_FEN)!, /at least 2000\.00/);
    assert.match(loanAmountProblem(190_000n, LOAN_MAX_FEN)!, /at least 2000\.00/);
    assert.match(loanAmountProblem(0n, LOAN_MAX_FEN)!, /at least/);
    assert.match(loanAmountProblem(LOAN_MAX_FEN + 1n, LOAN_MAX_FEN)!, /at most 500000\.00, the largest loan/);
    assert.match(loanAmountProblem(LOAN_MAX_FEN + 10_000n, LOAN_MAX_FEN)!, /at most 500000\.00, the largest loan/);
    assert.match(loanAmountProblem(205_000n, LOAN_MAX_FEN)!, /multiple of 100\.00/);
    assert.match(loanAmountProblem(200_001n, LOAN_MAX_FEN)!, /multiple of 100\.00/);
  });
});

describe('loan terms', () => {
  it('allows 3–36 months, and 1–36 for DAILY', () => {
    for (const method of REPAYMENT_METHODS) {
      const min = method === 'DAILY' ? 1 : 3;
      assert.notEqual(termMonthsProblem(min - 1, method), null, `${method} ${min - 1}`);
      for (const months of [min, 12, 36]) assert.equal(termMonthsProblem(months, method), null, `${method} ${months}`);
      assert.notEqual(termMonthsProblem(37, method), null, `${method} 37`);
      assert.notEqual(termMonthsProblem(2.5, method), null, `${method} 2.5`);
    }
  });
});

describe('rates', () => {
  it('refuses investor rates above the borrower rate: the commission is never negative', () => {
    assert.equal(loanRatesProblem(RATES), null);
    assert.equal(loanRatesProblem({ borrowerRateMicros: 100_000, investorRateMicros: 100_000 }), null);
    assert.notEqual(loanRatesProblem({ borrowerRateMicros: 100_000, investorRateMicros: 100_001 }), null);
  });
});

describe('service fee', () => {
  it('is amount × rate rounded half-up to the fen', () => {
    assert.equal(serviceFeeFen(1_000_000n, 0), 0n);
    assert.equal(serviceFeeFen(1_000_000n, 10_000), 10_000n);
    assert.equal(serviceFeeFen(200_050n, 5_000), 1_000n, '1000.25 fen rounds down');
    assert.equal(serviceFeeFen(200_100n, 5_000), 1_001n, '1000.5 fen rounds up');
    assert.equal(serviceFeeFen(200_000n, 1_000_000), 200_000n);
  });
});

describe('the funding window', () => {
  const openedAt = new Date('2026-11-01T08:00:00.000Z');

  it('closes exactly fundingDays whole days after opening', () => {
    assert.equal(fundingDeadline(openedAt, 15).toISOString(), '2026-11-16T08:00:00.000Z');
    assert.equal(isFundingWindowClosed(openedAt, 15, new Date('2026-11-16T07:59:59.999Z')), false);
    assert.equal(isFundingWindowClosed(openedAt, 15, new Date('2026-11-16T08:00:00.000Z')), true);
  });

  it('gives the expiry job the same bound', () => {
    const now = new Date('2026-11-16T08:00:00.000Z');
    assert.equal(openedOnOrBeforeForExpiry(now, 15).getTime(), openedAt.getTime());
    assert.throws(() => fundingDeadline(openedAt, 0));
  });
});

describe('numbers', () => {
  it('makes loan numbers LN + UTC date + 8 hex digits, valid as the bank projectNo', () => {
    const loanNo = newLoanNo(new Date('2026-11-22T23:59:59Z'));
    assert.match(loanNo, LOAN_NO_PATTERN);
    assert.ok(loanNo.startsWith('LN20261122'));
    assert.match(loanNo, REFERENCE_NO_PATTERN);
    assert.notEqual(newLoanNo(), newLoanNo());
  });

  it('makes bank requestNos of at most 40 [A-Za-z0-9_-]', () => {
    for (const prefix of ['PRJ', 'PAY', 'CLS'] as const) {
      const requestNo = newBankRequestNo(prefix);
      assert.match(requestNo, REFERENCE_NO_PATTERN);
      assert.ok(requestNo.startsWith(prefix));
    }
  });

  it('derives the bank userNo from the user id as the depository agent does', () => {
    assert.equal(bankUserNoFor('0193a1b2-0000-7000-8000-00000000000a'), '0193A1B2000070008000' + '00000000000A');
    assert.throws(() => bankUserNoFor('not-an-id'));
  });
});

describe('business time of an opening', () => {
  const now = new Date('2026-11-22T08:30:00.000Z');

  it('is the wall clock while the business date is not ahead of it', () => {
    assert.equal(businessTimeOf(now, null).toISOString(), now.toISOString());
    assert.equal(businessTimeOf(now, '2026-11-22').toISOString(), now.toISOString());
    assert.equal(businessTimeOf(now, '2026-11-01').toISOString(), now.toISOString());
  });

  it('moves forward by the days the business date is ahead, keeping the time of day', () => {
    assert.equal(businessTimeOf(now, '2027-11-22').toISOString(), '2027-11-22T08:30:00.000Z');
    assert.equal(businessTimeOf(now, '2026-12-01').toISOString(), '2026-12-01T08:30:00.000Z');
  });
});
