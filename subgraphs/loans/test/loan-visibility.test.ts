// Proves who may read a loan (domain/loan-visibility.ts): loans under review or rejected are private to
// their borrower and admins; every other status is public marketplace data, anonymous viewers included;
// and the `loans` list shows non-admins public statuses only, even when they ask for a private one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Viewer } from '@wanxin/platform';
import { LOAN_STATUSES, type LoanStatus } from '../src/domain/loan-status';
import {
  canSeeLoan,
  isPublicLoanStatus,
  listableLoanStatuses,
  PUBLIC_LOAN_STATUSES,
} from '../src/domain/loan-visibility';

const borrower: Viewer = { id: '0193a1b2-0000-7000-8000-000000000001', role: 'BORROWER' };
const otherBorrower: Viewer = { id: '0193a1b2-0000-7000-8000-000000000002', role: 'BORROWER' };
const investor: Viewer = { id: '0193a1b2-0000-7000-8000-000000000003', role: 'INVESTOR' };
const admin: Viewer = { id: '0193a1b2-0000-7000-8000-000000000004', role: 'ADMIN' };
const PRIVATE_STATUSES: readonly LoanStatus[] = ['PENDING_REVIEW', 'REJECTED', 'CANCELLED'];
const PUBLIC_STATUSES: readonly LoanStatus[] = ['FUNDRAISING', 'FULLY_FUNDED', 'REPAYING', 'SETTLED', 'FAILED'];

function loanIn(status: LoanStatus) {
  return { borrowerId: borrower.id, status };
}

describe('loan visibility', () => {
  it('lists every status of domain.md §3 exactly once: the private ones and the public ones', () => {
    assert.equal(new Set(LOAN_STATUSES).size, LOAN_STATUSES.length, 'no status twice');
    assert.deepEqual([...LOAN_STATUSES].sort(), [...PRIVATE_STATUSES, ...PUBLIC_STATUSES].sort());
  });

  it('treats PENDING_REVIEW, REJECTED and CANCELLED as private and every other status as public', () => {
    for (const status of LOAN_STATUSES)
      assert.equal(isPublicLoanStatus(status), !PRIVATE_STATUSES.includes(status), status);
    assert.deepEqual(PUBLIC_LOAN_STATUSES, PUBLIC_STATUSES);
  });

  it('shows a private loan to its borrower and admins only', () => {
    for (const status of PRIVATE_STATUSES) {
      assert.equal(canSeeLoan(borrower, loanIn(status)), true, `borrower, ${status}`);
      assert.equal(canSeeLoan(admin, loanIn(status)), true, `admin, ${status}`);
      assert.equal(canSeeLoan(otherBorrower, loanIn(status)), false, `other borrower, ${status}`);
      assert.equal(canSeeLoan(investor, loanIn(status)), false, `investor, ${status}`);
      assert.equal(canSeeLoan(null, loanIn(status)), false, `anonymous, ${status}`);
    }
  });

  it('shows a public loan to everyone, anonymous viewers included', () => {
    for (const status of PUBLIC_LOAN_STATUSES) {
      for (const viewer of [borrower, otherBorrower, investor, admin, null]) {
        assert.equal(canSeeLoan(viewer, loanIn(status)), true, `${viewer?.role ?? 'anonymous'}, ${status}`);
      }
    }
  });
});

describe('the loans list', () => {
  it('lets admins list every status, or exactly the one they ask for', () => {
    assert.deepEqual(listableLoanStatuses(admin, undefined), LOAN_STATUSES);
    for (const status of LOAN_STATUSES) assert.deepEqual(listableLoanStatuses(admin, status), [status]);
  });

  it('lists public statuses only to everyone else', () => {
    for (const viewer of [borrower, investor, null]) {
      assert.deepEqual(listableLoanStatuses(viewer, undefined), PUBLIC_LOAN_STATUSES);
      assert.deepEqual(listableLoanStatuses(viewer, 'FUNDRAISING'), ['FUNDRAISING']);
    }
  });

  it('gives non-admins nothing when they ask for a private status, even a borrower with such loans', () => {
    for (const viewer of [borrower, investor, null]) {
      for (const status of PRIVATE_STATUSES) assert.deepEqual(listableLoanStatuses(viewer, status), []);
    }
  });
});
