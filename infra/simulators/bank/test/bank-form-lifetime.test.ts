// Proves that the bank's page forms expire and that old trade-password tries are purged without unlocking
// anything, on libsql and MariaDB: a form past FORM_LIFETIME_MS from its signed `issuedAt` is refused with
// 30053 (viewed: the page says so; submitted: recorded and notified, nothing moved), one just inside it goes
// through; a form without `issuedAt`, or issued ahead of the bank's clock, is 00003 and not recorded;
// purgeTradePasswordTries deletes the tries older than TRADE_PASSWORD_TRY_RETENTION_MS (more than one
// batch of them) and keeps the younger ones; a form with 2 wrong tries keeps them through a purge at the
// last moment it lives, so the third still locks it (30051). Time is the signed `issuedAt` and the purge's
// `now`, never a sleep.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, initDatabase, newId, utcDateOf, type Database } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { BANK_CODES, signRequestJson } from '@wanxin/platform/bank-protocol';
import { bankDatabase } from '../src';
import {
  FORM_CLOCK_SKEW_MS,
  FORM_LIFETIME_MS,
  formLife,
  TRADE_PASSWORD_TRY_RETENTION_MS,
} from '../src/domain/page-form';
import { TRADE_PASSWORD_WINDOW_MS } from '../src/domain/trade-password';
import { BankTradePasswordTry } from '../src/entities/bank-trade-password-try.entity';
import { purgeTradePasswordTries, TRY_PURGE_BATCH_MAX } from '../src/services/purge-tries';
import { PLATFORM_NO, requestNo, startBankHarness, TRADE_PASSWORD, type BankHarness } from '../src/testing';

const WRONG_PASSWORD = 'wrong-pass-9';
const MINUTE_MS = 60_000;
/** `ms` from now, as an `issuedAt`. */
const issuedAt = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('page form lifetime', () => {
  it('is live up to FORM_LIFETIME_MS after issuedAt, then expired; a malformed or future issuedAt is refused', () => {
    const now = new Date('2026-12-04T12:00:00.000Z');
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    assert.equal(formLife(at(0), now), 'LIVE');
    assert.equal(formLife(at(-FORM_LIFETIME_MS), now), 'LIVE');
    assert.equal(formLife(at(-FORM_LIFETIME_MS - 1), now), 'EXPIRED');
    assert.equal(formLife(at(FORM_CLOCK_SKEW_MS), now), 'LIVE');
    assert.equal(formLife(at(FORM_CLOCK_SKEW_MS + 1), now), 'FUTURE');
    for (const malformed of [undefined, '', '2026-12-04', '2026-12-04T12:00:00+08:00', '2026-13-04T12:00:00Z', 0]) {
      assert.equal(formLife(malformed, now), 'MALFORMED', JSON.stringify(malformed));
    }
  });

  it('keeps tries as long as a live form or the account lock may count them', () => {
    assert.ok(TRADE_PASSWORD_TRY_RETENTION_MS >= FORM_LIFETIME_MS + FORM_CLOCK_SKEW_MS);
    assert.ok(TRADE_PASSWORD_TRY_RETENTION_MS >= TRADE_PASSWORD_WINDOW_MS);
  });
});

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank page form lifetime and try purge on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    let orm: Database;
    const triesOf = (filter: Partial<Pick<BankTradePasswordTry, 'userNo' | 'requestNo'>>) =>
      forkEntityManager(orm).count(BankTradePasswordTry, filter);

    before(async () => {
      harness = await startBankHarness(kind);
      orm = await initDatabase(harness.environment.config, bankDatabase);
      await harness.register('FORMUSER');
      await harness.register('LOCKUSER');
      await harness.recharge('FORMUSER', 10_000n);
    });
    after(async () => {
      await orm?.close(true);
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('a form past its lifetime is refused 30053, recorded and notified; one just inside it goes through', async () => {
      const expired = {
        requestNo: requestNo('W'),
        userNo: 'FORMUSER',
        amountFen: '100',
        issuedAt: issuedAt(-FORM_LIFETIME_MS - MINUTE_MS),
      };
      const viewed = await harness.page('WITHDRAW', expired);
      assert.deepEqual([viewed.status, viewed.code], [410, BANK_CODES.FORM_EXPIRED]);
      const submitted = await harness.page('WITHDRAW', expired, TRADE_PASSWORD);
      assert.equal(submitted.code, BANK_CODES.FORM_EXPIRED);
      assert.match(submitted.html, /expired/);
      assert.equal((await harness.inbox.waitForRequest(expired.requestNo)).code, BANK_CODES.FORM_EXPIRED);
      assert.deepEqual(await harness.balance('FORMUSER'), { availableFen: 10_000n, frozenFen: 0n });
      assert.equal(await triesOf({ requestNo: expired.requestNo }), 0, 'an expired form takes no try');

      const live = {
        requestNo: requestNo('W'),
        userNo: 'FORMUSER',
        amountFen: '100',
        issuedAt: issuedAt(-FORM_LIFETIME_MS + MINUTE_MS),
      };
      assert.equal((await harness.page('WITHDRAW', live, TRADE_PASSWORD)).code, BANK_CODES.SUCCESS);
      assert.deepEqual(await harness.balance('FORMUSER'), { availableFen: 9_900n, frozenFen: 0n });
    });

    test('a form without issuedAt, or issued ahead of the bank clock, is 00003 and not recorded', async () => {
      const undated = requestNo('R');
      const json = JSON.stringify({
        requestNo: undated,
        accountingDate: utcDateOf(new Date()),
        userNo: 'FORMUSER',
        amountFen: '100',
      });
      const withoutIssuedAt = await harness.postForm({
        ...signRequestJson('RECHARGE', PLATFORM_NO, json, harness.platformPrivateKeyPem),
        password: TRADE_PASSWORD,
      });
      assert.deepEqual([withoutIssuedAt.status, withoutIssuedAt.code], [400, BANK_CODES.BAD_PARAMETERS]);
      assert.match(withoutIssuedAt.html, /issuedAt/);
      const ahead = requestNo('R');
      const future = await harness.page(
        'RECHARGE',
        { requestNo: ahead, userNo: 'FORMUSER', amountFen: '100', issuedAt: issuedAt(FORM_CLOCK_SKEW_MS + MINUTE_MS) },
        TRADE_PASSWORD,
      );
      assert.deepEqual([future.status, future.code], [400, BANK_CODES.BAD_PARAMETERS]);
      for (const number of [undated, ahead]) {
        const query = await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: number });
        assert.equal(query.code, BANK_CODES.NOT_FOUND, `${number} was not recorded`);
      }
    });

    test('tries older than the retention are purged, in more than one batch; younger ones are kept', async () => {
      const now = new Date();
      const oldCount = 2 * TRY_PURGE_BATCH_MAX + 5;
      const row = (userNo: string, agoMs: number) => ({
        id: newId(),
        userNo,
        requestNo: requestNo('OLD'),
        triedAt: new Date(now.getTime() - agoMs),
      });
      const old = Array.from({ length: oldCount }, () => row('PURGEOLD', TRADE_PASSWORD_TRY_RETENTION_MS + MINUTE_MS));
      const young = Array.from({ length: 3 }, () => row('PURGEYOUNG', TRADE_PASSWORD_TRY_RETENTION_MS - MINUTE_MS));
      for (let start = 0; start < old.length; start += 500)
        await forkEntityManager(orm).insertMany(BankTradePasswordTry, old.slice(start, start + 500));
      await forkEntityManager(orm).insertMany(BankTradePasswordTry, young);

      assert.equal(await purgeTradePasswordTries(orm, now), oldCount);
      assert.equal(await triesOf({ userNo: 'PURGEOLD' }), 0);
      assert.equal(await triesOf({ userNo: 'PURGEYOUNG' }), 3);
      assert.equal(await purgeTradePasswordTries(orm, now), 0, 'nothing left to purge');
    });

    test('the 3-try lock holds within the lifetime: a purge at the last moment the form lives keeps its tries', async () => {
      const form = { requestNo: requestNo('W'), userNo: 'LOCKUSER', amountFen: '100' };
      for (let tried = 1; tried <= 2; tried += 1)
        assert.equal((await harness.page('WITHDRAW', form, WRONG_PASSWORD)).status, 403, `wrong try ${tried}`);
      await purgeTradePasswordTries(orm, new Date(Date.now() + FORM_LIFETIME_MS));
      assert.equal(await triesOf({ requestNo: form.requestNo }), 2, 'the live form keeps its tries');
      assert.equal((await harness.page('WITHDRAW', form, WRONG_PASSWORD)).code, BANK_CODES.FORM_LOCKED);
      assert.equal((await harness.page('WITHDRAW', form, TRADE_PASSWORD)).code, BANK_CODES.FORM_LOCKED);
    });
  });
}
