// Proves the loans subgraph reads other subgraphs' events strictly: bids.loan.fully-funded needs ids,
// positive integer-fen strings, distinct bids, Σ bids = raised and at most the platform's LOAN_BIDS_MAX
// bids, or it is refused (dead-lettered);
// depository.account.opened needs a user id and the userNo derived from it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bankUserNoFor, LOAN_BIDS_MAX, newId } from '@wanxin/platform';
import { openedAccountOnAccountOpened } from '../src/events/account-opened.subscription';
import { decodeLoanFullyFunded } from '../src/events/loan-fully-funded.subscription';

const loanId = newId();
const bid = (amountFen: string, bidId = newId()) => ({ bidId, investorId: newId(), amountFen });

describe('bids.loan.fully-funded decoder', () => {
  it('reads a well-formed payload into bigint fen', () => {
    const bids = [bid('100000'), bid('200000')];
    const decoded = decodeLoanFullyFunded({ loanId, raisedFen: '300000', bids });
    assert.deepEqual(decoded, { loanId, raisedFen: 300_000n, bids: bids.map((b) => ({ ...b, amountFen: BigInt(b.amountFen) })) });
  });

  it('refuses sums that disagree, bad amounts, bad ids, duplicates and empty lists', () => {
    const duplicate = newId();
    const refused: Record<string, any>[] = [
      { loanId, raisedFen: '300000', bids: [bid('100000'), bid('100000')] },
      { loanId, raisedFen: '300000', bids: [bid('300000.00')] },
      { loanId, raisedFen: '300000', bids: [bid('-300000')] },
      { loanId, raisedFen: '0', bids: [bid('0')] },
      { loanId, raisedFen: 300000, bids: [bid('300000')] },
      { loanId: 'loan-1', raisedFen: '300000', bids: [bid('300000')] },
      { loanId, raisedFen: '300000', bids: [{ ...bid('300000'), investorId: 'x' }] },
      { loanId, raisedFen: '200000', bids: [bid('100000', duplicate), bid('100000', duplicate)] },
      { loanId, raisedFen: '300000', bids: [] },
      { loanId, raisedFen: '300000' },
    ];
    for (const payload of refused) assert.equal(decodeLoanFullyFunded(payload), null, JSON.stringify(payload));
  });

  it('takes as many bids as a loan may hold (LOAN_BIDS_MAX), not one more', () => {
    const most = Array.from({ length: LOAN_BIDS_MAX }, () => bid('10000'));
    assert.equal(decodeLoanFullyFunded({ loanId, raisedFen: String(LOAN_BIDS_MAX * 10_000), bids: most })?.bids.length, LOAN_BIDS_MAX);
    assert.equal(decodeLoanFullyFunded({ loanId, raisedFen: String((LOAN_BIDS_MAX + 1) * 10_000), bids: [...most, bid('10000')] }), null);
  });
});

describe('depository.account.opened decoder', () => {
  it('accepts the derived userNo only', () => {
    const userId = newId();
    assert.deepEqual(openedAccountOnAccountOpened.decode({ userId, userNo: bankUserNoFor(userId) }), { userId, userNo: bankUserNoFor(userId) });
    assert.equal(openedAccountOnAccountOpened.decode({ userId, userNo: 'SOMEONEELSE' }), null);
    assert.equal(openedAccountOnAccountOpened.decode({ userId: 'nope', userNo: 'NOPE' }), null);
  });
});
