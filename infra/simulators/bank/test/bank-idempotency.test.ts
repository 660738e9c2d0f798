// Proves exactly-once requests at the bank, on libsql and MariaDB: the same requestNo with the same body
// gets the very same signed response (byte for byte) and is applied once — sequentially, concurrently
// (twenty identical freezes at once freeze once), for refusals (a stored 30042 stays 30042 even after the
// balance would allow it), and for page operations (a resubmitted form neither moves money again nor
// sends a second notification). Queries are answered fresh, never from a stored response.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { BANK_CODES, BANK_PATHS } from '@wanxin/platform/bank-protocol';
import { requestNo, succeeded, TRADE_PASSWORD, type BankHarness } from '../src/testing';
import { bankWithOneProject } from './one-project';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank idempotency on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    const postRaw = async (body: unknown) => {
      const response = await fetch(`${harness.bank.url}${BANK_PATHS.service}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return response.text();
    };

    before(async () => {
      harness = await bankWithOneProject(kind, 100_000n, 'Idempotency');
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('a repeated request gets the stored response byte for byte and is applied once', async () => {
      const envelope = harness.envelope('USER_AUTO_PRE_TRANSACTION', {
        requestNo: requestNo(),
        userNo: 'ALICE',
        projectNo: 'P1',
        bizType: 'TENDER',
        amountFen: '10000',
      });
      const first = await postRaw(envelope);
      const snapshot = await harness.bank.snapshot();
      const second = await postRaw(envelope);
      assert.equal(second, first);
      assert.equal(await harness.bank.snapshot(), snapshot, 'the repeat moved money');
      assert.deepEqual(await harness.balance('ALICE'), { availableFen: 90_000n, frozenFen: 10_000n });
    });

    test('twenty identical requests at once apply once and all get the same answer', async () => {
      const envelope = harness.envelope('USER_AUTO_PRE_TRANSACTION', {
        requestNo: requestNo(),
        userNo: 'ALICE',
        projectNo: 'P1',
        bizType: 'TENDER',
        amountFen: '5000',
      });
      const answers = await Promise.all(Array.from({ length: 20 }, () => postRaw(envelope)));
      assert.equal(new Set(answers).size, 1, 'every twin got the same response');
      assert.deepEqual(await harness.balance('ALICE'), { availableFen: 85_000n, frozenFen: 15_000n });
    });

    test('a stored refusal stays the answer even when the request would now succeed', async () => {
      const envelope = harness.envelope('USER_AUTO_PRE_TRANSACTION', {
        requestNo: requestNo(),
        userNo: 'ALICE',
        projectNo: 'P1',
        bizType: 'TENDER',
        amountFen: '100000',
      });
      assert.equal((await harness.post(envelope)).code, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW);
      await harness.recharge('ALICE', 100_000n);
      assert.equal((await harness.post(envelope)).code, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW);
      assert.deepEqual(await harness.balance('ALICE'), { availableFen: 185_000n, frozenFen: 15_000n });
    });

    test('a resubmitted page form neither moves money again nor notifies twice', async () => {
      const no = requestNo('RCH');
      const form = {
        ...harness.envelope('RECHARGE', { requestNo: no, userNo: 'BOB', amountFen: '7000' }),
        password: TRADE_PASSWORD,
      };
      assert.equal((await harness.postForm(form)).code, BANK_CODES.SUCCESS);
      await harness.inbox.waitForRequest(no);
      const recorded = await harness.notificationsRecorded();
      const resubmitted = await harness.postForm(form);
      assert.equal(resubmitted.code, BANK_CODES.SUCCESS);
      assert.match(resubmitted.html, /already processed/);
      assert.equal((await harness.balance('BOB')).availableFen, 7000n);
      assert.equal(await harness.notificationsRecorded(), recorded, 'the resubmission recorded no notification');
      await harness.notificationsSettled();
      assert.equal(harness.inbox.about(no).length, 1, 'one notification per request');
    });

    test('queries are answered fresh, not from a stored response', async () => {
      const query = { requestNo: requestNo('Q'), userNo: 'BOB' };
      const before = succeeded(await harness.call('QUERY_BALANCE', query));
      await harness.recharge('BOB', 1000n);
      const after = succeeded(await harness.call('QUERY_BALANCE', query));
      assert.equal(BigInt(after.availableFen) - BigInt(before.availableFen), 1000n);
    });
  });
}
