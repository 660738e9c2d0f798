// Proves a bank result reaching the agent twice at once (a notification while the sync job brings the same
// answer) is applied once: the later application waits on the request's row lock before it reads anything,
// and once the earlier one committed it finds the request SYNC and publishes nothing. The later one runs on
// its own one-connection pool whose lock wait is 1 s: it must time out on its locked read (SELECT … FOR
// UPDATE), where an unlocked read would have read UNSYNC and timed out on its UPDATE instead.
// MariaDB only: embedded libsql runs one transaction at a time.
import { after, before, describe, test } from 'node:test';
import { LockWaitTimeoutException } from '@mikro-orm/core';
import assert from 'node:assert/strict';
import {
  createLogger,
  forkEntityManager,
  openDatabase,
  OutboxMessage,
  rowLockOptions,
  type Database,
} from '@wanxin/platform';
import { createTestEnvironment, databaseKindsUnderTest, type TestEnvironment } from '@wanxin/platform/testing';
import { BANK_CODES, newBankRequestNo, type BankResult } from '@wanxin/platform/bank-protocol';
import { createSubgraph } from '../src';
import { applyBankResult } from '../src/agent/bank-results';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { DepositoryRequest } from '../src/entities/depository-request.entity';

const USER_ID = '7b1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const USER_NO = 'ONCEUSER';
const AMOUNT_FEN = 12_345n;

const mysql = databaseKindsUnderTest().find(({ kind }) => kind === 'mysql')!;

describe('a bank result applied twice at once on MariaDB', { skip: mysql.skip }, () => {
  let environment: TestEnvironment;
  let orm: Database;
  /** The later application's database handle: one connection, waiting at most 1 s for a row lock. */
  let laterOrm: Database;
  let laterEnvironment: TestEnvironment;
  before(async () => {
    environment = createTestEnvironment('mysql');
    orm = await openDatabase(environment.config, createSubgraph().database);
    laterEnvironment = createTestEnvironment('mysql', {
      DATABASE_NAME_PREFIX: environment.env.DATABASE_NAME_PREFIX,
      DATABASE_POOL_MAX: '1',
    });
    laterOrm = await openDatabase(laterEnvironment.config, createSubgraph().database);
    await laterOrm.em.getConnection().execute('set session innodb_lock_wait_timeout = 1');
    const em = forkEntityManager(orm);
    await em.insert(
      em.create(DepositoryAccount, { userId: USER_ID, userNo: USER_NO, status: 'OPENED' }, { persist: false }),
    );
  });
  after(async () => {
    await laterOrm?.close(true);
    await orm?.close(true);
    await environment?.cleanup();
    await laterEnvironment?.cleanup();
  });

  test('the second waits for the first, then finds the request SYNC and publishes nothing', async () => {
    const requestNo = newBankRequestNo('RC');
    const em = forkEntityManager(orm);
    await em.insert(
      em.create(
        DepositoryRequest,
        {
          requestNo,
          serviceName: 'RECHARGE',
          userId: USER_ID,
          amountFen: AMOUNT_FEN,
          businessDate: '2026-12-04',
          status: 'UNSYNC',
        },
        { persist: false },
      ),
    );
    const result: BankResult<'RECHARGE'> = {
      requestNo,
      code: BANK_CODES.SUCCESS,
      message: 'done',
      userNo: USER_NO,
      amountFen: AMOUNT_FEN.toString(),
      postings: [],
    };
    const logger = createLogger('test', 'silent');
    // The earlier application holds the request's row; the later one must wait for it before reading.
    await forkEntityManager(orm).transactional(async (tx) => {
      const request = await tx.findOneOrFail(DepositoryRequest, { requestNo }, rowLockOptions(tx));
      await assert.rejects(applyBankResult(laterOrm, 'RECHARGE', result, logger), (error: Error) => {
        assert.ok(error instanceof LockWaitTimeoutException, String(error));
        assert.match(error.message, /for update/, 'it waited on its locked read, not on a write after reading');
        return true;
      });
      request.status = 'SYNC';
    });
    const second = applyBankResult(laterOrm, 'RECHARGE', result, logger);
    assert.equal(await second, null, 'the second application found the request already SYNC');
    const published = await forkEntityManager(orm).count(OutboxMessage, {
      type: 'depository.recharge.succeeded',
      aggregateId: USER_ID,
    });
    assert.equal(published, 0, 'the request moved once, by the first application: the second published nothing');
  });
});
