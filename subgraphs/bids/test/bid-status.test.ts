// Proves that bids speak the contract's statuses: the domain lists exactly the bid statuses of
// domain.md §3, in lifecycle order, and the GraphQL enum `BidStatus` exposes exactly those values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BID_STATUSES } from '../src/domain/bid-status';
import { BidStatusEnum } from '../src/graphql/bid-status.enum';

describe('bid statuses', () => {
  it('are FROZEN, LOANED, REFUNDED and FAILED, as domain.md §3 names them', () => {
    assert.deepEqual(BID_STATUSES, ['FROZEN', 'LOANED', 'REFUNDED', 'FAILED']);
  });

  it('are exposed to GraphQL unchanged, name for value', () => {
    assert.deepEqual(Object.keys(BidStatusEnum), [...BID_STATUSES]);
    assert.deepEqual(Object.values(BidStatusEnum), [...BID_STATUSES]);
  });
});
