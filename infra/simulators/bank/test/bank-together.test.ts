// Proves that a batch's items applied together in one transaction (services/together.ts) answer and move
// exactly what the same items sent one by one do, on libsql and MariaDB: REPAYMENT freezes and
// CONFIRM_REPAYMENTs with, among them, an overdraw, a project in the wrong status, a holder who is not the
// borrower, an unknown user, a freeze settled twice in one batch, a freeze of the wrong kind and a wrong
// total. Two banks start from the same books; one gets batches, the other the same requests one at a time;
// their answers and every balance must be equal. And the group path really takes the items it can: called
// directly, it applies the good ones and refuses the overdraws in one go, and leaves the rest, unrecorded, to
// run alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, forkEntityManager, loadConfig, openDatabase, type DatabaseKind } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { createBank } from '../src';
import { readBankConfig, resolveBankKeys } from '../src/config';
import { bankDatabase } from '../src/database';
import type { BankRequestByService, DirectServiceName } from '@wanxin/platform/bank-protocol';
import { PrefetchedLookups } from '../src/services/lookups';
import { bodySha256 } from '../src/services/recording';
import { BANK_SERVICES } from '../src/services/registry';
import type { DirectService } from '../src/services/service-types';
import { applyTogether } from '../src/services/together';
import { PLATFORM_NO, requestNo, startBankHarness, succeeded, type BankHarness } from '../src/testing';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';

type Item = { [S in DirectServiceName]: { serviceName: S; reqData: BankRequestByService[S] } }[DirectServiceName];

const USERS = ['INA', 'INB', 'BOA', 'BOB', 'BOC'];
/** Every item's business date at the platform: any real day will do, the bank books it as given. */
const ACCOUNTING_DATE = '2026-12-04';

/** Two investors fund PA (borrower BOA, 6,000.00) and PB (BOB, 4,000.00), both paid out; PC (BOC) stays FUNDRAISING. */
async function bankWithLoans(kind: DatabaseKind): Promise<BankHarness> {
  const harness = await startBankHarness(kind);
  for (const userNo of USERS) await harness.register(userNo);
  await harness.recharge('INA', 1_000_000n);
  await harness.recharge('INB', 1_000_000n);
  const projects: [string, string, bigint][] = [
    ['PA', 'BOA', 600_000n],
    ['PB', 'BOB', 400_000n],
    ['PC', 'BOC', 100_000n],
  ];
  for (const [projectNo, borrowerUserNo, amountFen] of projects) {
    succeeded(
      await harness.call('CREATE_PROJECT', {
        requestNo: requestNo(),
        projectNo,
        borrowerUserNo,
        amountFen: amountFen.toString(),
        name: projectNo,
      }),
    );
  }
  for (const [projectNo, , amountFen] of projects.slice(0, 2)) {
    for (const userNo of ['INA', 'INB']) {
      succeeded(
        await harness.call('USER_AUTO_PRE_TRANSACTION', {
          requestNo: `TEN-${projectNo}-${userNo}`,
          userNo,
          projectNo,
          bizType: 'TENDER',
          amountFen: (amountFen / 2n).toString(),
        }),
      );
    }
    succeeded(await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo, feeFen: '0' }));
  }
  return harness;
}

const repayment = (no: string, userNo: string, projectNo: string, amountFen: string): Item => ({
  serviceName: 'USER_AUTO_PRE_TRANSACTION',
  reqData: { requestNo: no, accountingDate: ACCOUNTING_DATE, userNo, projectNo, bizType: 'REPAYMENT', amountFen },
});
const confirm = (
  no: string,
  preRequestNo: string,
  shares: [string, string, string][],
  commissionFen: string,
): Item => ({
  serviceName: 'CONFIRM_REPAYMENT',
  reqData: {
    requestNo: no,
    accountingDate: ACCOUNTING_DATE,
    preRequestNo,
    details: shares.map(([userNo, principalFen, interestFen]) => ({ userNo, principalFen, interestFen })),
    commissionFen,
  },
});

const FREEZES: Item[] = [
  repayment('F1', 'BOA', 'PA', '250000'),
  repayment('F2', 'BOB', 'PB', '300000'),
  repayment('F3', 'BOB', 'PB', '150000'), // BOB has 1,000.00 left after F2
  repayment('F4', 'BOC', 'PC', '1000'), // PC is not REPAYING
  repayment('F5', 'INA', 'PA', '1000'), // only the borrower repays
  repayment('F6', 'NOBODY', 'PA', '1000'),
  repayment('F7', 'BOA', 'PA', '100000'),
  repayment('F8', 'BOA', 'PA', '5000'),
];

const CONFIRMATIONS: Item[] = [
  confirm(
    'C1',
    'F1',
    [
      ['INA', '120000', '5000'],
      ['INB', '120000', '4000'],
    ],
    '1000',
  ),
  confirm(
    'C2',
    'F2',
    [
      ['INA', '150000', '0'],
      ['INB', '140000', '10000'],
    ],
    '0',
  ),
  confirm(
    'C3',
    'F2',
    [
      ['INA', '150000', '0'],
      ['INB', '140000', '10000'],
    ],
    '0',
  ), // F2 is settled by C2
  confirm(
    'C4',
    'F8',
    [
      ['INA', '2500', '0'],
      ['INB', '2500', '1'],
    ],
    '0',
  ), // one fen too many
  confirm(
    'C5',
    'F7',
    [
      ['INA', '50000', '0'],
      ['INB', '49000', '500'],
    ],
    '500',
  ),
  confirm('C6', 'TEN-PA-INA', [['INB', '300000', '0']], '0'), // a tender, not a repayment
];

async function balances(harness: BankHarness): Promise<Record<string, { availableFen: bigint; frozenFen: bigint }>> {
  return Object.fromEntries(
    await Promise.all(USERS.map(async (userNo) => [userNo, await harness.balance(userNo)] as const)),
  );
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`batch items applied together on ${kind}`, { skip }, () => {
    let batched: BankHarness;
    let oneByOne: BankHarness;

    before(async () => {
      batched = await bankWithLoans(kind);
      oneByOne = await bankWithLoans(kind);
    });
    after(async () => {
      for (const harness of [batched, oneByOne]) {
        await harness?.assertLedgerSound();
        await harness?.stop();
      }
    });

    test('a batch answers and moves exactly what its items sent one by one do', async () => {
      for (const items of [FREEZES, CONFIRMATIONS]) {
        const answer = succeeded(
          await batched.call('BATCH_TRANSACTION', {
            requestNo: requestNo('B'),
            items: items.map((item) => ({ serviceName: item.serviceName, reqData: JSON.stringify(item.reqData) })),
          }),
        );
        const alone = [];
        for (const item of items) alone.push(await oneByOne.call(item.serviceName, item.reqData as never));
        assert.deepEqual(answer.results, alone);
      }
      assert.deepEqual(await balances(batched), await balances(oneByOne));
      assert.deepEqual(await balances(batched), {
        INA: { availableFen: 1_000_000n - 500_000n + 125_000n + 150_000n + 50_000n, frozenFen: 0n },
        INB: { availableFen: 1_000_000n - 500_000n + 124_000n + 150_000n + 49_500n, frozenFen: 0n },
        BOA: { availableFen: 600_000n - 250_000n - 100_000n - 5_000n, frozenFen: 5_000n },
        BOB: { availableFen: 400_000n - 300_000n, frozenFen: 0n },
        BOC: { availableFen: 0n, frozenFen: 0n },
      });
    });

    test('the group applies or refuses for want of money every item it can, in one transaction', async () => {
      const config = loadConfig(
        {
          ...batched.environment.env,
          PORT: '0',
          BANK_PLATFORM_NO: PLATFORM_NO,
          BANK_NOTIFY_URL: 'http://127.0.0.1:9/notify',
        },
        readBankConfig,
      );
      const orm = await openDatabase(config.platform, bankDatabase);
      try {
        const { runtime } = createBank(orm, config, resolveBankKeys(config), createLogger('test', 'error')).routes;
        const items = [
          repayment('G1', 'BOA', 'PA', '1000'),
          repayment('G2', 'BOA', 'PA', '2000'),
          repayment('G3', 'BOC', 'PC', '1000'), // project not REPAYING
          repayment('G4', 'BOB', 'PB', '100001'), // BOB has 1,000.00
          repayment('G5', 'BOB', 'PB', '100000'),
        ];
        const requests = items.map((item) => {
          const json = JSON.stringify(item.reqData);
          const entry = BANK_SERVICES[item.serviceName];
          assert.equal(entry.kind, 'DIRECT');
          return {
            request: {
              serviceName: item.serviceName,
              platformNo: PLATFORM_NO,
              requestNo: item.reqData.requestNo,
              bodySha256: bodySha256(item.serviceName, json),
              accountingDate: item.reqData.accountingDate,
              data: item.reqData,
            },
            service: (entry as { service: DirectService<unknown> }).service,
          };
        });
        const known = await PrefetchedLookups.read(forkEntityManager(orm), {
          userNos: ['BOA', 'BOB', 'BOC'],
          projectNos: ['PA', 'PB', 'PC'],
          freezeRequestNos: [],
        });
        const applied = await applyTogether(runtime, requests, known);
        assert.deepEqual(Object.fromEntries([...applied].map(([no, recorded]) => [no, recorded.result.code])), {
          G1: BANK_CODES.SUCCESS,
          G2: BANK_CODES.SUCCESS,
          G4: BANK_CODES.ACCOUNT_BALANCE_TOO_LOW,
          G5: BANK_CODES.SUCCESS,
        });
        assert.equal(
          (await batched.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: 'G3' })).code,
          BANK_CODES.NOT_FOUND,
          'G3, left to run alone, was not recorded',
        );
        assert.deepEqual(await batched.balance('BOA'), { availableFen: 245_000n - 3_000n, frozenFen: 5_000n + 3_000n });
        assert.deepEqual(await batched.balance('BOB'), { availableFen: 0n, frozenFen: 100_000n });
        const stored = succeeded(await batched.call('USER_AUTO_PRE_TRANSACTION', items[0].reqData as never));
        assert.deepEqual(stored, applied.get('G1')!.result, 'G1 sent again gets the answer recorded by the group');
        await batched.recharge('BOB', 200_000n);
        const refused = await batched.call('USER_AUTO_PRE_TRANSACTION', items[3].reqData as never);
        assert.deepEqual(refused, applied.get('G4')!.result, 'G4 its recorded refusal, though BOB has the money now');
        assert.deepEqual(await batched.balance('BOB'), { availableFen: 200_000n, frozenFen: 100_000n });
      } finally {
        await orm.close(true);
      }
    });
  });
}
