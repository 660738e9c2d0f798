// Proves the agent's internal bank API that loans, bids and repayments use: only a caller with the
// service token gets in; each instruction is recorded by requestNo and sent signed; a repeat with the
// same requestNo gets the same answer and moves no money twice; a bank refusal is recorded FAILED; the
// money path project → freezes → payout works through it. Same test on libsql and MariaDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  forkEntityManager,
  initDatabase,
  resolveServiceSecret,
  SERVICE_TOKEN_HEADER,
  type HttpService,
} from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { createSubgraph } from '../src';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { requestNo, startBankHarness, type BankHarness } from '@wanxin/bank-simulator/testing';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { startAgent } from './testing';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`internal bank API on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    let agent: HttpService;
    let secret: string;
    const internal = async (body: unknown, token: string | null = secret, path = '/internal/bank') => {
      const response = await fetch(agent.url.replace('/graphql', path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === null ? {} : { [SERVICE_TOKEN_HEADER]: token }) },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (response.headers.get('content-type')?.includes('json')
          ? await response.json()
          : await response.text()) as any,
      };
    };

    before(async () => {
      harness = await startBankHarness(kind);
      ({ agent } = await startAgent(harness.environment.env, harness.bank.url));
      secret = resolveServiceSecret(harness.environment.config.dataDir, undefined);
      await harness.register('BORROWER1');
      await harness.register('INVESTOR1');
      await harness.recharge('INVESTOR1', 1_000_000n);
    });
    after(async () => {
      await agent?.stop();
      await harness?.stop();
    });

    test('without the service token nothing is sent', async () => {
      const body = {
        serviceName: 'CREATE_PROJECT',
        reqData: {
          requestNo: requestNo(),
          projectNo: 'P0',
          borrowerUserNo: 'BORROWER1',
          amountFen: '100000',
          name: 'x',
        },
      };
      assert.equal((await internal(body, null)).status, 401);
      assert.equal((await internal(body, 'x'.repeat(64))).status, 401);
      assert.equal(
        (await internal({ serviceName: 'RECHARGE', reqData: { requestNo: requestNo() } })).status,
        400,
        'page services are the user’s',
      );
    });

    test('project, two freezes (one refused), payout: recorded by requestNo, repeats move nothing twice', async () => {
      const project = await internal({
        serviceName: 'CREATE_PROJECT',
        reqData: {
          requestNo: requestNo(),
          projectNo: 'P1',
          borrowerUserNo: 'BORROWER1',
          amountFen: '500000',
          name: 'loan',
        },
      });
      assert.equal(project.body.code, BANK_CODES.SUCCESS);
      const freeze = {
        serviceName: 'USER_AUTO_PRE_TRANSACTION',
        userId: 'investor-1',
        reqData: {
          requestNo: requestNo(),
          userNo: 'INVESTOR1',
          projectNo: 'P1',
          bizType: 'TENDER',
          amountFen: '500000',
        },
      };
      const first = await internal(freeze);
      const again = await internal(freeze);
      assert.equal(first.body.code, BANK_CODES.SUCCESS);
      assert.deepEqual(again.body, first.body, 'a repeat gets the stored answer');
      assert.deepEqual(
        await harness.balance('INVESTOR1'),
        { availableFen: 500_000n, frozenFen: 500_000n },
        'frozen once',
      );
      const tooMuch = await internal({
        ...freeze,
        reqData: { ...freeze.reqData, requestNo: requestNo(), amountFen: '600000' },
      });
      assert.equal(tooMuch.body.code, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW);
      const payout = await internal({
        serviceName: 'CONFIRM_LOAN',
        reqData: { requestNo: requestNo(), projectNo: 'P1', feeFen: '5000' },
      });
      assert.equal(payout.body.code, BANK_CODES.SUCCESS);
      assert.deepEqual(await harness.balance('BORROWER1'), { availableFen: 495_000n, frozenFen: 0n });
      const orm = await initDatabase(harness.environment.config, createSubgraph().database);
      const records = await forkEntityManager(orm).find(DepositoryRequest, {}, { orderBy: { createdAt: 'asc' } });
      await orm.close(true);
      assert.deepEqual(
        records.map((record) => [record.serviceName, record.status]),
        [
          ['CREATE_PROJECT', 'SYNC'],
          ['USER_AUTO_PRE_TRANSACTION', 'SYNC'],
          ['USER_AUTO_PRE_TRANSACTION', 'FAILED'],
          ['CONFIRM_LOAN', 'SYNC'],
        ],
      );
      assert.equal(records[1].amountFen, 500_000n);
      await harness.assertLedgerSound();
    });

    test('a batch: each item recorded, answered and applied as if alone; a malformed batch is 400 and sends nothing', async () => {
      const batch = (items: unknown[], token: string | null = secret) =>
        internal({ items }, token, '/internal/bank/batch');
      const freeze = (amountFen: string) => ({
        serviceName: 'USER_AUTO_PRE_TRANSACTION',
        userId: 'investor-1',
        reqData: { requestNo: requestNo(), userNo: 'INVESTOR1', projectNo: 'P2', bizType: 'TENDER', amountFen },
      });
      const project = {
        serviceName: 'CREATE_PROJECT',
        reqData: {
          requestNo: requestNo(),
          projectNo: 'P2',
          borrowerUserNo: 'BORROWER1',
          amountFen: '1000000',
          name: 'batch',
        },
      };
      assert.equal((await batch([project], null)).status, 401);
      const fine = freeze('100000');
      for (const items of [
        [],
        [fine, fine],
        [{ serviceName: 'RECHARGE', reqData: { requestNo: requestNo() } }],
        [{ serviceName: 'CREATE_PROJECT', reqData: {} }],
      ]) {
        assert.equal((await batch(items)).status, 400, JSON.stringify(items).slice(0, 80));
      }
      assert.equal((await internal({ items: 'x' }, secret, '/internal/bank/batch')).status, 400);
      // Items run concurrently: the project is opened before the freezes that need it.
      assert.equal((await batch([project])).body.results[0].code, BANK_CODES.SUCCESS);
      const first = await batch([fine, freeze('900000')]);
      assert.equal(first.status, 200);
      assert.deepEqual(
        first.body.results.map((result: { code: string }) => result.code),
        [BANK_CODES.SUCCESS, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW],
      );
      const again = await batch([project, fine]);
      assert.deepEqual(again.body.results[1], first.body.results[0], 'a repeat gets the stored answer');
      const alone = await internal(fine);
      assert.deepEqual(alone.body, first.body.results[0], 'an item retried alone gets its stored answer');
      assert.deepEqual(
        await harness.balance('INVESTOR1'),
        { availableFen: 400_000n, frozenFen: 100_000n },
        'frozen once',
      );
      const orm = await initDatabase(harness.environment.config, createSubgraph().database);
      const records = await forkEntityManager(orm).find(DepositoryRequest, {
        requestNo: { $in: [project.reqData.requestNo, fine.reqData.requestNo] },
      });
      await orm.close(true);
      assert.deepEqual(
        records.map((record) => record.status),
        ['SYNC', 'SYNC'],
      );
      await harness.assertLedgerSound();
    });
  });
}
