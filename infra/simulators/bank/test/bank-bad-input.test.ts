// Proves the bank refuses bad input with the right return code and leaves the ledger exactly as it was
// (same account totals, same transfer count), on libsql and MariaDB: a forged signature, a tampered
// reqData, an unknown platform, a requestNo replayed with a different body (00004/00003); a wrong trade
// password on the withdraw page (page error, no notification); a withdrawal above the balance (30042);
// a recharge above the card (30041); negative, decimal, JSON-number, exponent, oversized and zero
// amounts (00003); unknown users, projects and freezes (30010); an instruction without its accounting
// date, or with a malformed one, direct or on the page (00003, nothing recorded).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { utcDateOf } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { generateKeyPairSync } from 'node:crypto';
import { BANK_CODES, encodeData, signRequestJson } from '@wanxin/platform/bank-protocol';
import { CARD_START_FEN, requestNo, succeeded, TRADE_PASSWORD, type BankHarness } from '../src/testing';
import { bankWithOneProject } from './one-project';

/** A key the bank has never registered, to forge signatures with. */
const FORGER_PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank bad input on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    /** Runs `attempt` and checks that the ledger did not change at all. */
    const unchanged = async (attempt: () => Promise<void>) => {
      const before = await harness.bank.snapshot();
      await attempt();
      assert.equal(await harness.bank.snapshot(), before, 'the ledger changed');
    };
    const freeze = (amountFen: unknown, overrides: Record<string, unknown> = {}) => {
      const json = JSON.stringify({
        requestNo: requestNo('F'),
        userNo: 'ALICE',
        projectNo: 'P1',
        bizType: 'TENDER',
        amountFen,
        accountingDate: utcDateOf(new Date()),
        ...overrides,
      });
      return harness.post(signRequestJson('USER_AUTO_PRE_TRANSACTION', 'WANXIN', json, harness.platformPrivateKeyPem));
    };

    before(async () => {
      harness = await bankWithOneProject(kind, 500_000n, 'Bad input');
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('a forged signature, a tampered reqData and an unknown platform are 00004', async () => {
      await unchanged(async () => {
        const genuine = harness.envelope('USER_AUTO_PRE_TRANSACTION', {
          requestNo: requestNo(),
          userNo: 'ALICE',
          projectNo: 'P1',
          bizType: 'TENDER',
          amountFen: '10000',
        });
        const forged = signRequestJson(
          'USER_AUTO_PRE_TRANSACTION',
          'WANXIN',
          Buffer.from(genuine.reqData, 'base64').toString(),
          FORGER_PRIVATE_KEY,
        );
        assert.equal((await harness.post(forged)).code, BANK_CODES.BAD_SIGNATURE);
        const json = Buffer.from(genuine.reqData, 'base64').toString().replace('"10000"', '"90000"');
        assert.equal(
          (await harness.post({ ...genuine, reqData: encodeData(json) })).code,
          BANK_CODES.BAD_SIGNATURE,
          'tampered amount',
        );
        assert.equal(
          (await harness.post({ ...genuine, reqData: genuine.reqData.slice(0, -4) })).code,
          BANK_CODES.BAD_SIGNATURE,
          'truncated reqData',
        );
        assert.equal(
          (await harness.post({ ...genuine, signature: '' })).code,
          BANK_CODES.BAD_SIGNATURE,
          'no signature',
        );
        assert.equal(
          (await harness.post({ ...genuine, platformNo: 'OTHER' })).code,
          BANK_CODES.BAD_SIGNATURE,
          'unknown platform',
        );
        assert.equal(
          (await harness.post({ ...genuine, serviceName: 'NO_SUCH_SERVICE' })).code,
          BANK_CODES.BAD_PARAMETERS,
          'unknown service',
        );
        assert.equal(
          (await harness.post({ serviceName: 'QUERY_BALANCE' })).code,
          BANK_CODES.BAD_PARAMETERS,
          'no envelope',
        );
        assert.equal((await harness.post('not an object')).code, BANK_CODES.BAD_PARAMETERS, 'not an object');
      });
      const query = await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: 'NEVER-SENT' });
      assert.equal(query.code, BANK_CODES.NOT_FOUND);
    });

    test('a requestNo replayed with a different body is 00003 and the first answer stands', async () => {
      const no = requestNo();
      succeeded(
        await harness.call('USER_AUTO_PRE_TRANSACTION', {
          requestNo: no,
          userNo: 'ALICE',
          projectNo: 'P1',
          bizType: 'TENDER',
          amountFen: '10000',
        }),
      );
      await unchanged(async () => {
        const replay = await harness.call('USER_AUTO_PRE_TRANSACTION', {
          requestNo: no,
          userNo: 'ALICE',
          projectNo: 'P1',
          bizType: 'TENDER',
          amountFen: '20000',
        });
        assert.equal(replay.code, BANK_CODES.BAD_PARAMETERS);
        assert.match(replay.message, /reused with a different body/);
        const otherService = await harness.call('CANCEL_PRE_TRANSACTION', { requestNo: no, preRequestNo: no });
        assert.equal(otherService.code, BANK_CODES.BAD_PARAMETERS);
      });
      const query = succeeded(await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: no }));
      assert.equal(query.status, 'SUCCESS');
      assert.equal(query.response.amountFen, '10000');
    });

    test('negative, malformed and oversized amounts are 00003', async () => {
      await unchanged(async () => {
        for (const amount of ['-100', '1.50', '1e5', '0', '00100', ' 100', '1000000000000', '', 100, null, '１００']) {
          const result = await freeze(amount);
          assert.equal(result.code, BANK_CODES.BAD_PARAMETERS, `amount ${JSON.stringify(amount)}`);
          assert.match(result.message, /amountFen/);
        }
        assert.equal((await freeze('100', { bizType: 'LOAN' })).code, BANK_CODES.BAD_PARAMETERS, 'unknown bizType');
        assert.equal(
          (await freeze('100', { userNo: 'has space' })).code,
          BANK_CODES.BAD_PARAMETERS,
          'malformed userNo',
        );
        assert.equal(
          (await freeze('100', { requestNo: 'x'.repeat(41) })).code,
          BANK_CODES.BAD_PARAMETERS,
          'requestNo too long',
        );
        const fee = await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo: 'P1', feeFen: '-1' });
        assert.equal(fee.code, BANK_CODES.BAD_PARAMETERS);
      });
    });

    test('an instruction without its accounting date, or with a malformed one, is 00003 and not recorded', async () => {
      const no = requestNo('F');
      await unchanged(async () => {
        for (const accountingDate of [undefined, '', '2026-02-30', '2026-2-3', '20261204', 20261204, null]) {
          const result = await freeze('100', { requestNo: no, accountingDate });
          assert.equal(result.code, BANK_CODES.BAD_PARAMETERS, `accountingDate ${JSON.stringify(accountingDate)}`);
          assert.match(result.message, /accountingDate/);
          assert.equal(result.requestNo, no, 'the signed refusal names the verified request');
        }
        const page = await harness.postForm({
          ...signRequestJson(
            'RECHARGE',
            'WANXIN',
            JSON.stringify({ requestNo: requestNo('R'), userNo: 'ALICE', amountFen: '100' }),
            harness.platformPrivateKeyPem,
          ),
          password: TRADE_PASSWORD,
        });
        assert.deepEqual([page.status, page.code], [400, BANK_CODES.BAD_PARAMETERS], 'an undated page form');
        assert.match(page.html, /accountingDate/);
      });
      // Refused before it was recorded: the same requestNo, dated, then runs.
      assert.equal(
        (await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: no })).code,
        BANK_CODES.NOT_FOUND,
      );
      succeeded(await freeze('100', { requestNo: no }));
    });

    test('unknown users, projects and freezes are 30010; the borrower cannot tender', async () => {
      await unchanged(async () => {
        assert.equal((await freeze('100', { userNo: 'NOBODY' })).code, BANK_CODES.NOT_FOUND);
        assert.equal((await freeze('100', { projectNo: 'NO-PROJECT' })).code, BANK_CODES.NOT_FOUND);
        assert.equal(
          (await freeze('100', { userNo: 'BOB' })).code,
          BANK_CODES.BAD_PARAMETERS,
          'the borrower tenders for their own project',
        );
        assert.equal(
          (await freeze('100', { bizType: 'REPAYMENT' })).code,
          BANK_CODES.BAD_PARAMETERS,
          'an investor repays',
        );
        assert.equal(
          (await harness.call('CANCEL_PRE_TRANSACTION', { requestNo: requestNo(), preRequestNo: 'NO-FREEZE' })).code,
          BANK_CODES.NOT_FOUND,
        );
        assert.equal(
          (await harness.call('QUERY_BALANCE', { requestNo: requestNo(), userNo: 'NOBODY' })).code,
          BANK_CODES.NOT_FOUND,
        );
        assert.equal(
          (await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo: 'NO-PROJECT', feeFen: '0' })).code,
          BANK_CODES.NOT_FOUND,
        );
      });
    });

    test('a wrong trade password on the withdraw page changes nothing and notifies nobody', async () => {
      const no = requestNo('W');
      const recorded = await harness.notificationsRecorded();
      await unchanged(async () => {
        const answer = await harness.page(
          'WITHDRAW',
          { requestNo: no, userNo: 'ALICE', amountFen: '1000' },
          'wrong-password',
        );
        assert.equal(answer.status, 403);
        assert.match(answer.html, /Wrong trade password/);
      });
      // A notification is recorded with the result it notifies: none recorded, none can arrive.
      assert.equal(await harness.notificationsRecorded(), recorded, 'no notification for a wrong password');
      assert.equal(harness.inbox.about(no).length, 0, 'no notification for a wrong password');
      assert.equal(
        (await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: no })).code,
        BANK_CODES.NOT_FOUND,
        'nothing recorded',
      );
      // The same form with the right password then goes through.
      const retried = await harness.page(
        'WITHDRAW',
        { requestNo: no, userNo: 'ALICE', amountFen: '1000' },
        TRADE_PASSWORD,
      );
      assert.equal(retried.code, BANK_CODES.SUCCESS);
    });

    test('a withdrawal above the available balance is 30042; a recharge above the card is 30041', async () => {
      const { availableFen } = await harness.balance('ALICE');
      await unchanged(async () => {
        const withdraw = await harness.page(
          'WITHDRAW',
          { requestNo: requestNo('W'), userNo: 'ALICE', amountFen: (availableFen + 1n).toString() },
          TRADE_PASSWORD,
        );
        assert.equal(withdraw.code, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW);
        const recharge = await harness.page(
          'RECHARGE',
          { requestNo: requestNo('R'), userNo: 'BOB', amountFen: (CARD_START_FEN + 1n).toString() },
          TRADE_PASSWORD,
        );
        assert.equal(recharge.code, BANK_CODES.CARD_BALANCE_TOO_LOW);
        assert.equal(
          (await freeze((availableFen + 1n).toString())).code,
          BANK_CODES.ACCOUNT_BALANCE_TOO_LOW,
          'a freeze above the balance',
        );
      });
      assert.deepEqual((await harness.balance('ALICE')).availableFen, availableFen);
    });
  });
}
