// Proves the bids' statement that takes a list (src/store.ts moveBidsStatus) moves more bids than one SQL
// list holds, chunk by chunk, on libsql and MariaDB: 1,201 PENDING bids → FROZEN, counted exactly, and a
// bid already moved, named in the last chunk, neither moved nor counted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, insertRows, newId, SQL_LIST_MAX } from '@wanxin/platform';
import { databaseKindsUnderTest, suiteDatabase } from '@wanxin/platform/testing';
import { createSubgraph } from '../src';
import type { BidStatus } from '../src/domain/bid-status';
import { Bid } from '../src/entities/bid.entity';
import { moveBidsStatus } from '../src/store';

const MANY = 2 * SQL_LIST_MAX + 201;

function bid(loanId: string, status: BidStatus): Bid {
  return Object.assign(new Bid(), {
    id: newId(),
    loanId,
    investorId: newId(),
    amountFen: 100n,
    status,
    requestNo: `BT${newId().replace(/-/g, '').slice(0, 30)}`,
    releaseRequestNo: null,
    createdAt: new Date(),
  });
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bids store lists longer than one SQL list on ${kind}`, { skip }, () => {
    const database = suiteDatabase(kind, createSubgraph().database);

    test(`moveBidsStatus moves ${MANY} bids and counts only those it moved`, async () => {
      const loanId = newId();
      const pending = Array.from({ length: MANY }, () => bid(loanId, 'PENDING'));
      const frozen = bid(loanId, 'FROZEN');
      await forkEntityManager(database.orm).transactional((tx) => insertRows(tx, Bid, [...pending, frozen]));
      const moved = await forkEntityManager(database.orm).transactional((tx) =>
        moveBidsStatus(tx, [...pending, frozen], 'PENDING', 'FROZEN'),
      );
      assert.equal(moved, MANY, 'every PENDING bid moved, the one already FROZEN not counted');
      assert.equal(await forkEntityManager(database.orm).count(Bid, { loanId, status: 'FROZEN' }), MANY + 1);
      assert.equal(await forkEntityManager(database.orm).count(Bid, { loanId, status: 'PENDING' }), 0);
    });
  });
}
