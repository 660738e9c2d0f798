// Proves BATCH_TRANSACTION at the bank, on libsql and MariaDB: each item is applied exactly once under its
// own requestNo, as if sent alone — a refused item leaves the others applied, a repeated batch moves
// nothing twice, an item sent alone afterwards gets its stored answer, an unknown user, project or freeze
// is refused for that item only (the batch reads them for all items first) — and a malformed batch (a page or
// query service inside, a repeated requestNo, no items, too many, an item that is not JSON or has no valid
// accountingDate) is refused whole with 00003 and changes nothing. A forged batch signature is 00004 like any request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import {
  BANK_CODES,
  BATCH_ITEMS_MAX,
  type BatchItem,
  type DirectServiceName,
  type UndatedRequest,
} from '@wanxin/platform/bank-protocol';
import { dated, requestNo, startBankHarness, succeeded, type BankHarness } from '../src/testing';

function item<S extends DirectServiceName>(serviceName: S, reqData: UndatedRequest<S>): BatchItem {
  return { serviceName, reqData: JSON.stringify(dated(serviceName, reqData)) };
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank batches on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    const tender = (userNo: string, amountFen: string) => ({
      requestNo: requestNo('T'),
      userNo,
      projectNo: 'PB1',
      bizType: 'TENDER' as const,
      amountFen,
    });
    const batch = (items: BatchItem[]) => harness.call('BATCH_TRANSACTION', { requestNo: requestNo('B'), items });

    before(async () => {
      harness = await startBankHarness(kind);
      for (const userNo of ['ANN', 'BEN', 'CAT']) await harness.register(userNo);
      await harness.recharge('ANN', 100_000n);
      await harness.recharge('BEN', 50_000n);
      succeeded(
        await harness.call('CREATE_PROJECT', {
          requestNo: requestNo(),
          projectNo: 'PB1',
          borrowerUserNo: 'CAT',
          amountFen: '10000000',
          name: 'Batch',
        }),
      );
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('each item is applied once under its own requestNo; a refused item leaves the others applied', async () => {
      const ann = tender('ANN', '30000');
      const benTooMuch = tender('BEN', '60000');
      const ben = tender('BEN', '20000');
      const items = [
        item('USER_AUTO_PRE_TRANSACTION', ann),
        item('USER_AUTO_PRE_TRANSACTION', benTooMuch),
        item('USER_AUTO_PRE_TRANSACTION', ben),
      ];
      const answer = succeeded(await batch(items));
      assert.deepEqual(
        answer.results.map((result) => [result.requestNo, result.code]),
        [
          [ann.requestNo, BANK_CODES.SUCCESS],
          [benTooMuch.requestNo, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW],
          [ben.requestNo, BANK_CODES.SUCCESS],
        ],
      );
      assert.deepEqual(await harness.balance('ANN'), { availableFen: 70_000n, frozenFen: 30_000n });
      assert.deepEqual(await harness.balance('BEN'), { availableFen: 30_000n, frozenFen: 20_000n });

      const snapshot = await harness.bank.snapshot();
      const again = succeeded(await batch(items));
      assert.deepEqual(again.results, answer.results, 'a repeated batch gets every stored answer');
      const alone = await harness.call('USER_AUTO_PRE_TRANSACTION', ben);
      assert.deepEqual(alone, answer.results[2], 'an item sent alone afterwards gets its stored answer');
      assert.equal(await harness.bank.snapshot(), snapshot, 'the repeats moved money');
    });

    test('an item naming a user, project or freeze that does not exist is refused alone, as it would be alone', async () => {
      const answer = succeeded(
        await batch([
          item('USER_AUTO_PRE_TRANSACTION', tender('NOBODY', '1000')),
          item('USER_AUTO_PRE_TRANSACTION', { ...tender('ANN', '1000'), projectNo: 'NOPROJECT' }),
          item('CANCEL_PRE_TRANSACTION', { requestNo: requestNo('C'), preRequestNo: 'NOFREEZE' }),
          item('USER_AUTO_PRE_TRANSACTION', tender('ANN', '1000')),
        ]),
      );
      assert.deepEqual(
        answer.results.map((result) => result.code),
        [BANK_CODES.NOT_FOUND, BANK_CODES.NOT_FOUND, BANK_CODES.NOT_FOUND, BANK_CODES.SUCCESS],
      );
      assert.deepEqual(await harness.balance('ANN'), { availableFen: 69_000n, frozenFen: 31_000n });
    });

    test('a malformed batch is refused whole and changes nothing', async () => {
      const snapshot = await harness.bank.snapshot();
      const fine = tender('ANN', '1000');
      const cases: [string, unknown[]][] = [
        [
          'a page service',
          [
            item('USER_AUTO_PRE_TRANSACTION', fine),
            {
              serviceName: 'RECHARGE',
              reqData: JSON.stringify({ requestNo: requestNo(), userNo: 'ANN', amountFen: '1' }),
            },
          ],
        ],
        [
          'a query service',
          [{ serviceName: 'QUERY_BALANCE', reqData: JSON.stringify({ requestNo: requestNo(), userNo: 'ANN' }) }],
        ],
        ['a repeated requestNo', [item('USER_AUTO_PRE_TRANSACTION', fine), item('USER_AUTO_PRE_TRANSACTION', fine)]],
        ['no items', []],
        [
          'too many items',
          Array.from({ length: BATCH_ITEMS_MAX + 1 }, () => item('USER_AUTO_PRE_TRANSACTION', tender('ANN', '1'))),
        ],
        [
          'an item that is not JSON',
          [
            item('USER_AUTO_PRE_TRANSACTION', fine),
            { serviceName: 'USER_AUTO_PRE_TRANSACTION', reqData: '{"requestNo":' },
          ],
        ],
        [
          'an item without a requestNo',
          [{ serviceName: 'USER_AUTO_PRE_TRANSACTION', reqData: JSON.stringify({ userNo: 'ANN' }) }],
        ],
        ['an item given as an object', [{ serviceName: 'USER_AUTO_PRE_TRANSACTION', reqData: fine }]],
        [
          'an item without its accounting date',
          [
            item('USER_AUTO_PRE_TRANSACTION', fine),
            { serviceName: 'USER_AUTO_PRE_TRANSACTION', reqData: JSON.stringify(tender('ANN', '1')) },
          ],
        ],
        [
          'an item with a malformed accounting date',
          [item('USER_AUTO_PRE_TRANSACTION', { ...tender('ANN', '1'), accountingDate: '2026-13-01' })],
        ],
      ];
      for (const [what, items] of cases) {
        const answer = await batch(items as BatchItem[]);
        assert.equal(answer.code, BANK_CODES.BAD_PARAMETERS, `${what}: ${answer.message}`);
      }
      assert.equal(await harness.bank.snapshot(), snapshot, 'a refused batch moved money');
      assert.equal(
        (await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: fine.requestNo })).code,
        BANK_CODES.NOT_FOUND,
        'the good item of a refused batch was not recorded',
      );
    });

    test('a batch with a forged signature is refused with 00004', async () => {
      const envelope = harness.envelope('BATCH_TRANSACTION', {
        requestNo: requestNo('B'),
        items: [item('USER_AUTO_PRE_TRANSACTION', tender('ANN', '1000'))],
      });
      const forged = {
        ...envelope,
        signature: harness.envelope('BATCH_TRANSACTION', { requestNo: requestNo('B'), items: [] }).signature,
      };
      assert.equal((await harness.post(forged)).code, BANK_CODES.BAD_SIGNATURE);
      assert.deepEqual(await harness.balance('ANN'), { availableFen: 69_000n, frozenFen: 31_000n });
    });
  });
}
