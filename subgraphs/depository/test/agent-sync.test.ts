// Proves the agent settles what it never heard back about: a recharge completed on the bank's page whose
// notification never reached the agent is confirmed by QUERY_REQUEST (and the balance refreshed); a
// bank page the user never submitted is FAILED once it is old enough. Same test on libsql and MariaDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, utcDateOf, type Database } from '@wanxin/platform';
import { databaseKindsUnderTest, eventually } from '@wanxin/platform/testing';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { requestNo, TRADE_PASSWORD, type BankHarness } from '@wanxin/bank-simulator/testing';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { startAgentBesideHarness, type AgentBesideHarness } from './testing';

/** A user id as the users subgraph makes them: events about the user carry it, and their contracts check it. */
const SYNC_USER_ID = '5a7c1e2d-0b3f-4c6a-9e8d-1f2a3b4c5d6e';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`agent sync of unsettled requests on ${kind}`, { skip }, () => {
    let suite: AgentBesideHarness;
    let harness: BankHarness;
    let orm: Database;
    const requestStatus = async (number: string) =>
      (await forkEntityManager(orm).findOneOrFail(DepositoryRequest, { requestNo: number })).status;

    before(async () => {
      // The bank's notifications go to the harness's inbox, never to the agent: only QUERY_REQUEST can tell it.
      suite = await startAgentBesideHarness(kind, {
        DEPOSITORY_SYNC_AFTER_MS: '100',
        DEPOSITORY_SYNC_INTERVAL_MS: '100',
        DEPOSITORY_ABANDON_AFTER_MS: '1000',
      });
      ({ harness, orm } = suite);
      await harness.register('SYNCUSER');
      await forkEntityManager(orm).insert(
        forkEntityManager(orm).create(
          DepositoryAccount,
          { userId: SYNC_USER_ID, userNo: 'SYNCUSER', status: 'OPENED' },
          { persist: false },
        ),
      );
    });
    after(() => suite?.stop());

    /** A recharge the agent recorded UNSYNC, as when it sent the user to the bank's page; its requestNo. */
    const recordRecharge = async (amountFen: bigint): Promise<string> => {
      const number = requestNo('RC');
      const em = forkEntityManager(orm);
      const fields = { serviceName: 'RECHARGE', userId: SYNC_USER_ID, status: 'UNSYNC' } as const;
      const businessDate = utcDateOf(new Date());
      await em.insert(
        em.create(DepositoryRequest, { requestNo: number, ...fields, amountFen, businessDate }, { persist: false }),
      );
      return number;
    };

    test('a recharge whose notification was lost is confirmed by QUERY_REQUEST', async () => {
      const number = await recordRecharge(250_000n);
      const page = await harness.page(
        'RECHARGE',
        { requestNo: number, userNo: 'SYNCUSER', amountFen: '250000' },
        TRADE_PASSWORD,
      );
      assert.equal(page.code, BANK_CODES.SUCCESS);
      await eventually(async () => ((await requestStatus(number)) === 'SYNC' ? true : undefined), 20_000);
      const account = await eventually(async () => {
        const found = await forkEntityManager(orm).findOneOrFail(DepositoryAccount, { userId: SYNC_USER_ID });
        return found.balanceFen === 250_000n ? found : undefined;
      });
      assert.equal(account.frozenFen, 0n);
    });

    test('a bank page never submitted is FAILED once abandoned, and nothing moved', async () => {
      const number = await recordRecharge(999n);
      await eventually(async () => ((await requestStatus(number)) === 'FAILED' ? true : undefined), 20_000);
      assert.deepEqual(await harness.balance('SYNCUSER'), { availableFen: 250_000n, frozenFen: 0n });
    });
  });
}
