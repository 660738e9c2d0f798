// Proves that bids speak the contract's statuses plus one additive state: the domain lists the bid
// statuses of domain.md §3 (FROZEN, LOANED, REFUNDED, FAILED) after PENDING (reserved, the bank's answer
// not known yet), the GraphQL enum `BidStatus` exposes exactly those values, and the one transition table
// moves bids only along the lifecycle.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BID_STATUSES, BID_TRANSITIONS } from '../src/domain/bid-status';
import { BidStatusEnum } from '../src/graphql/bid-status.enum';

describe('bid statuses', () => {
  it('are PENDING, then FROZEN, LOANED, REFUNDED and FAILED, as domain.md §3 names them', () => {
    assert.deepEqual(BID_STATUSES, ['PENDING', 'FROZEN', 'LOANED', 'REFUNDED', 'FAILED']);
  });

  it('are exposed to GraphQL unchanged, name for value', () => {
    assert.deepEqual(Object.keys(BidStatusEnum), [...BID_STATUSES]);
    assert.deepEqual(Object.values(BidStatusEnum), [...BID_STATUSES]);
  });

  it('move PENDING → FROZEN or FAILED, and only FROZEN → LOANED or REFUNDED', () => {
    assert.deepEqual(BID_TRANSITIONS, {
      FREEZE: ['PENDING', 'FROZEN'],
      REFUSE: ['PENDING', 'FAILED'],
      LEND: ['FROZEN', 'LOANED'],
      REFUND: ['FROZEN', 'REFUNDED'],
    });
    const terminal = new Set(Object.values(BID_TRANSITIONS).map(([from]) => from as string));
    for (const status of ['LOANED', 'REFUNDED', 'FAILED']) assert.ok(!terminal.has(status), `${status} is final`);
  });
});
