// Proves the agent's internal bank API that loans, bids and repayments use: only a caller with the
// service token gets in; each instruction is recorded by requestNo and sent signed; a repeat with the
// same requestNo gets the same answer and moves no money twice; a bank refusal is recorded FAILED; the
// money path project → freezes → payout works through it. Same test on libsql and MariaDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, initDatabase, readSubgraphConfig, resolveServiceSecret, SERVICE_TOKEN_HEADER, startSubgraph, type HttpService } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { createSubgraph } from '../src';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { requestNo, startBankHarness, type BankHarness } from './bank-harness';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`internal bank API on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    let agent: HttpService;
    let secret: string;
    const internal = async (body: unknown, token: string | null = secret) => {
      const response = await fetch(agent.url.replace('/graphql', '/internal/bank'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === null ? {} : { [SERVICE_TOKEN_HEADER]: token }) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text()) as any };
    };

    before(async () => {
      harness = await startBankHarness(kind);
      const definition = createSubgraph();
      const env = { ...harness.environment.env, PORT: '0', BANK_URL: harness.bank.url.replace('localhost', '127.0.0.1') };
      agent = await startSubgraph(definition, readSubgraphConfig(definition, env));
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
      const body = { serviceName: 'CREATE_PROJECT', reqData: { requestNo: requestNo(), projectNo: 'P0', borrowerUserNo: 'BORROWER1', amountFen: '100000', name: 'x' } };
      assert.equal((await internal(body, null)).status, 401);
      assert.equal((await internal(body, 'x'.repeat(64))).status, 401);
      assert.equal((await internal({ serviceName: 'RECHARGE', reqData: { requestNo: requestNo() } })).status, 400, 'page services are the user’s');
    });

    test('project, two freezes (one refused), payout: recorded by requestNo, repeats move nothing twice', async () => {
      const project = await internal({ serviceName: 'CREATE_PROJECT', reqData: { requestNo: requestNo(), projectNo: 'P1', borrowerUserNo: 'BORROWER1', amountFen: '500000', name: 'loan' } });
      assert.equal(project.body.code, '00000');
      const freeze = { serviceName: 'USER_AUTO_PRE_TRANSACTION', userId: 'investor-1', reqData: { requestNo: requestNo(), userNo: 'INVESTOR1', projectNo: 'P1', bizType: 'TENDER', amountFen: '500000' } };
      const first = await internal(freeze);
      const again = await internal(freeze);
      assert.equal(first.body.code, '00000');
      assert.deepEqual(again.body, first.body, 'a repeat gets the stored answer');
      assert.deepEqual(await harness.balance('INVESTOR1'), { availableFen: 500_000n, frozenFen: 500_000n }, 'frozen once');
      const tooMuch = await internal({ ...freeze, reqData: { ...freeze.reqData, requestNo: requestNo(), amountFen: '600000' } });
      assert.equal(tooMuch.body.code, '30042');
      const payout = await internal({ serviceName: 'CONFIRM_LOAN', reqData: { requestNo: requestNo(), projectNo: 'P1', feeFen: '5000' } });
      assert.equal(payout.body.code, '00000');
      assert.deepEqual(await harness.balance('BORROWER1'), { availableFen: 495_000n, frozenFen: 0n });
      const orm = await initDatabase(harness.environment.config, createSubgraph().database);
      const records = await forkEntityManager(orm).find(DepositoryRequest, {}, { orderBy: { createdAt: 'asc' } });
      await orm.close(true);
      assert.deepEqual(records.map((record) => [record.serviceName, record.status]), [
        ['CREATE_PROJECT', 'SYNC'], ['USER_AUTO_PRE_TRANSACTION', 'SYNC'], ['USER_AUTO_PRE_TRANSACTION', 'FAILED'], ['CONFIRM_LOAN', 'SYNC'],
      ]);
      assert.equal(records[1].amountFen, 500_000n);
      await harness.assertLedgerSound();
    });
  });
}
