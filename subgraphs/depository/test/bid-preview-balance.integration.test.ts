// Proves the depository subgraph's part of `BidPreview` (the entity bids makes, keyed `loanId:investorId`)
// against the real bank simulator, on libsql and MariaDB: the signed-in investor the preview was made for
// gets their own available balance as the bank reports it; another investor asking with that key, the
// owner asking with someone else's key, a borrower, anyone signed out, and an investor whose account is
// not OPENED get null. Shortcut, said plainly: the investors' OPENED account rows are inserted into the
// agent's table (the bank page's notification is what makes them in production).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bankUserNoFor,
  forkEntityManager,
  initDatabase,
  issueToken,
  newId,
  resolveJwtKeys,
  type Database,
  type Role,
} from '@wanxin/platform';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  postGraphQL,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { startBankAndAgent, type BankAndAgent } from './testing';
import { createSubgraph } from '../src';
import { DepositoryAccount } from '../src/entities/depository-account.entity';

const PREVIEW = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on BidPreview { id availableBalance } } }';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bidPreview.availableBalance from the depository, on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let bank: BankAndAgent;
    let orm: Database;
    let signingKeyPem: string;
    const token = (id: string, role: Role) => issueToken({ id, role }, signingKeyPem, 3600).token;
    const balanceFor = async (key: string, bearer: string | undefined) =>
      dataOf(await postGraphQL(bank.agent.url, PREVIEW, { r: [{ __typename: 'BidPreview', id: key }] }, bearer))
        ._entities[0];
    /** An investor with an OPENED account holding `amountFen` at the bank. */
    const investor = async (amountFen: bigint) => {
      const userId = newId();
      await bank.register(userId);
      if (amountFen > 0n) await bank.recharge(userId, amountFen);
      const em = forkEntityManager(orm);
      await em.insert(
        em.create(DepositoryAccount, { userId, userNo: bankUserNoFor(userId), status: 'OPENED' }, { persist: false }),
      );
      return userId;
    };

    before(async () => {
      environment = createTestEnvironment(kind);
      bank = await startBankAndAgent(environment);
      orm = await initDatabase(environment.config, createSubgraph().database);
      signingKeyPem = resolveJwtKeys(environment.config).privateKeyPem!;
    });
    after(async () => {
      await orm?.close(true);
      await bank?.stop();
      await environment?.cleanup();
    });

    test('the investor the preview is for gets their own available balance; anyone else, null', async () => {
      const loanId = newId();
      const [alice, bob] = [await investor(1_234_56n), await investor(500_00n)];
      const aliceKey = `${loanId}:${alice}`;
      assert.deepEqual(await balanceFor(aliceKey, token(alice, 'INVESTOR')), {
        id: aliceKey,
        availableBalance: '1234.56',
      });
      assert.deepEqual(await balanceFor(`${loanId}:${bob}`, token(bob, 'INVESTOR')), {
        id: `${loanId}:${bob}`,
        availableBalance: '500.00',
      });
      assert.equal(
        (await balanceFor(aliceKey, token(bob, 'INVESTOR'))).availableBalance,
        null,
        "another investor with alice's key",
      );
      assert.equal((await balanceFor(aliceKey, token(alice, 'BORROWER'))).availableBalance, null, 'not an investor');
      assert.equal((await balanceFor(aliceKey, undefined)).availableBalance, null, 'signed out');
      const unopened = newId();
      const em = forkEntityManager(orm);
      await em.insert(
        em.create(
          DepositoryAccount,
          { userId: unopened, userNo: bankUserNoFor(unopened), status: 'NOT_OPENED' },
          { persist: false },
        ),
      );
      assert.equal(
        (await balanceFor(`${loanId}:${unopened}`, token(unopened, 'INVESTOR'))).availableBalance,
        null,
        'no OPENED account',
      );
    });
  });
}
