// Proves a bank result reaching the agent twice at once (a notification while the sync job brings the same
// answer) is applied once: the later application waits for the earlier one's transaction, then finds the
// request SYNC and publishes nothing. MariaDB only: embedded libsql runs one transaction at a time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createLogger,
  forkEntityManager,
  openDatabase,
  OutboxMessage,
  rowLockOptions,
  type Database,
} from '@wanxin/platform';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  eventually,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { BANK_CODES, newBankRequestNo } from '@wanxin/platform/bank-protocol';
import { createSubgraph } from '../src';
import { applyBankResult } from '../src/agent/bank-results';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { DepositoryRequest } from '../src/entities/depository-request.entity';

const USER_ID = '7b1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const USER_NO = 'ONCEUSER';
const AMOUNT_FEN = 12_345n;
const LOCK_WAIT_SEEN_WITHIN_MS = 60_000;

const mysql = databaseKindsUnderTest().find(({ kind }) => kind === 'mysql')!;

describe('a bank result applied twice at once on MariaDB', { skip: mysql.skip }, () => {
  let environment: TestEnvironment;
  let orm: Database;
  before(async () => {
    environment = createTestEnvironment('mysql');
    orm = await openDatabase(environment.config, createSubgraph().database);
    const em = forkEntityManager(orm);
    await em.insert(
      em.create(DepositoryAccount, { userId: USER_ID, userNo: USER_NO, status: 'OPENED' }, { persist: false }),
    );
  });
  after(async () => {
    await orm?.close(true);
    await environment?.cleanup();
  });

  /** Transactions of this test's database waiting for a row lock. */
  const lockWaits = async () => {
    const rows: { waiting: number | string }[] = await forkEntityManager(orm)
      .getConnection()
      .execute(
        `select count(*) as waiting from information_schema.innodb_trx t
         join information_schema.processlist p on p.id = t.trx_mysql_thread_id
         where t.trx_state = 'LOCK WAIT' and p.db = database()`,
      );
    return Number(rows[0].waiting);
  };

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
    const result = {
      requestNo,
      code: BANK_CODES.SUCCESS,
      message: 'done',
      userNo: USER_NO,
      amountFen: AMOUNT_FEN.toString(),
    } as const;
    const logger = createLogger('test', 'silent');
    let second: Promise<string | null> | undefined;
    // The first application: it holds the request's row, the second arrives, then it moves the request.
    await forkEntityManager(orm).transactional(async (tx) => {
      const request = await tx.findOneOrFail(DepositoryRequest, { requestNo }, rowLockOptions(tx));
      second = applyBankResult(orm, 'RECHARGE', result, logger);
      // innodb_trx shows the wait late on a busy server (9 s seen): a long bound, passed as soon as it shows.
      await eventually(async () => ((await lockWaits()) > 0 ? true : undefined), LOCK_WAIT_SEEN_WITHIN_MS);
      request.status = 'SYNC';
    });
    assert.equal(await second, null, 'the second application found the request already SYNC');
    const published = await forkEntityManager(orm).count(OutboxMessage, {
      type: 'depository.recharge.succeeded',
      aggregateId: USER_ID,
    });
    assert.equal(published, 0, 'the request moved once, by the first application: the second published nothing');
  });
});
