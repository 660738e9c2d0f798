// Proves CREDIT_ASSIGNMENT (a claim transfer settled at the bank) through the bank's HTTP API, on libsql and
// MariaDB: a sale moves the price out of the buyer's available balance, the price less the fee into the
// seller's and the fee into the platform's account, to the fen, with one posting for the buyer and two for
// the seller (the price, then the fee; one when the fee is 0); QUERY_REQUEST and the reconciliation file
// answer it with the price. A buyer short of the price is 30042; malformed terms (negative, zero, decimal,
// a JSON number, fee ≥ price, the buyer as seller, a missing field) are 00003; an unknown seller, buyer or
// project is 30010; a project not REPAYING is 00003 — and each of these moves nothing. The same requestNo
// twice, in a row or at once, moves money once; two assignments from one buyer at once with money for one:
// exactly one succeeds. In a batch it is applied as if alone. The ledger self-check passes throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { utcDateOf } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { BANK_CODES, BANK_PATHS, signRequestJson, type UndatedRequest } from '@wanxin/platform/bank-protocol';
import { requestNo, succeeded, type BankHarness } from '../src/testing';
import { bankWithOneProject, lenderAndProject } from './one-project';

/** The loan P1 (ALICE lent its 10,000.00 to BOB) is REPAYING; SELLER's claim on it is what is sold. */
const PROJECT_NO = 'P1';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank credit assignment on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    const platformFeeFen = async () => BigInt((await harness.bank.checkLedger()).platformFeeFen);
    const assign = (terms: Partial<UndatedRequest<'CREDIT_ASSIGNMENT'>> = {}) =>
      harness.call('CREDIT_ASSIGNMENT', {
        requestNo: requestNo('CA'),
        projectNo: PROJECT_NO,
        sellerUserNo: 'ALICE',
        buyerUserNo: 'BUYER',
        amountFen: '100000',
        feeFen: '500',
        ...terms,
      });
    /** Runs `attempt` and checks that the ledger did not change at all. */
    const unchanged = async (attempt: () => Promise<void>) => {
      const before = await harness.bank.snapshot();
      await attempt();
      assert.equal(await harness.bank.snapshot(), before, 'the ledger changed');
    };

    before(async () => {
      harness = await bankWithOneProject(kind, 1_000_000n, 'Claim transfer');
      succeeded(
        await harness.call('USER_AUTO_PRE_TRANSACTION', {
          requestNo: requestNo('TND'),
          userNo: 'ALICE',
          projectNo: PROJECT_NO,
          bizType: 'TENDER',
          amountFen: '1000000',
        }),
      );
      succeeded(await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo: PROJECT_NO, feeFen: '0' }));
      await harness.register('BUYER');
      await harness.recharge('BUYER', 500_000n);
      // A second project, still FUNDRAISING: its claims cannot be sold.
      await lenderAndProject(harness, {
        lender: 'CAROL',
        lenderFen: 10_000n,
        borrower: 'DAVE',
        projectNo: 'P2',
        amountFen: 500_000n,
        name: 'Not yet lent',
      });
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('a sale moves the price, the price less the fee and the fee, to the fen, in three postings', async () => {
      const feeBefore = await platformFeeFen();
      const saleNo = requestNo('CA');
      const sale = succeeded(await assign({ requestNo: saleNo, amountFen: '101234', feeFen: '506' }));
      assert.deepEqual(
        [sale.projectNo, sale.sellerUserNo, sale.buyerUserNo, sale.amountFen, sale.feeFen, sale.sellerFen],
        [PROJECT_NO, 'ALICE', 'BUYER', '101234', '506', '100728'],
      );
      assert.deepEqual(await harness.balance('BUYER'), { availableFen: 500_000n - 101_234n, frozenFen: 0n });
      assert.deepEqual(await harness.balance('ALICE'), { availableFen: 100_728n, frozenFen: 0n });
      assert.equal(await platformFeeFen(), feeBefore + 506n);
      // BUYER: registered, recharged (1), paid (2). ALICE: recharged, froze, lent (1-3), paid (4), charged (5).
      assert.deepEqual(
        sale.postings.map((posting) => [posting.userNo, posting.seq, posting.availableChangeFen, posting.availableFen]),
        [
          ['ALICE', '4', '101234', '101234'],
          ['BUYER', '2', '-101234', '398766'],
          ['ALICE', '5', '-506', '100728'],
        ],
      );
      const record = succeeded(await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: saleNo }));
      assert.deepEqual(
        [record.serviceName, record.status, record.response.code, record.response.amountFen],
        ['CREDIT_ASSIGNMENT', 'SUCCESS', BANK_CODES.SUCCESS, '101234'],
      );
      const file = succeeded(
        await harness.call('QUERY_RECONCILIATION', { requestNo: requestNo(), date: utcDateOf(new Date()) }),
      );
      assert.deepEqual(
        file.records.filter((line) => line.requestNo === saleNo),
        [
          {
            requestNo: saleNo,
            serviceName: 'CREDIT_ASSIGNMENT',
            status: 'SUCCESS',
            code: '00000',
            amountFen: '101234',
          },
        ],
        'the reconciliation file lists the price',
      );
    });

    test('without a fee the seller takes one posting and the platform nothing', async () => {
      const feeBefore = await platformFeeFen();
      const [buyerBefore, sellerBefore] = [await harness.balance('BUYER'), await harness.balance('ALICE')];
      const sale = succeeded(await assign({ amountFen: '1000', feeFen: '0' }));
      assert.deepEqual(
        sale.postings.map((posting) => [posting.userNo, posting.availableChangeFen]),
        [
          ['ALICE', '1000'],
          ['BUYER', '-1000'],
        ],
      );
      assert.equal((await harness.balance('BUYER')).availableFen, buyerBefore.availableFen - 1000n);
      assert.equal((await harness.balance('ALICE')).availableFen, sellerBefore.availableFen + 1000n);
      assert.equal(await platformFeeFen(), feeBefore);
    });

    test('a buyer short of the price is 30042 and nothing moves; QUERY_REQUEST says FAILED', async () => {
      const { availableFen } = await harness.balance('BUYER');
      const shortNo = requestNo('CA');
      await unchanged(async () => {
        const short = await assign({ requestNo: shortNo, amountFen: (availableFen + 1n).toString(), feeFen: '1' });
        assert.equal(short.code, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW, short.message);
      });
      const record = succeeded(
        await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: shortNo }),
      );
      assert.deepEqual([record.status, record.response.code], ['FAILED', BANK_CODES.ACCOUNT_BALANCE_TOO_LOW]);
    });

    test('malformed terms are 00003, unknown parties 30010, a project not REPAYING 00003: nothing moves', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['a negative price', { amountFen: '-100' }, BANK_CODES.BAD_PARAMETERS],
        ['a zero price', { amountFen: '0', feeFen: '0' }, BANK_CODES.BAD_PARAMETERS],
        ['a decimal price', { amountFen: '100.5' }, BANK_CODES.BAD_PARAMETERS],
        ['a JSON number', { amountFen: 100000 }, BANK_CODES.BAD_PARAMETERS],
        ['a negative fee', { feeFen: '-1' }, BANK_CODES.BAD_PARAMETERS],
        ['a fee equal to the price', { amountFen: '1000', feeFen: '1000' }, BANK_CODES.BAD_PARAMETERS],
        ['a fee above the price', { amountFen: '1000', feeFen: '1001' }, BANK_CODES.BAD_PARAMETERS],
        ['the buyer as seller', { buyerUserNo: 'ALICE' }, BANK_CODES.BAD_PARAMETERS],
        ['no buyer', { buyerUserNo: undefined }, BANK_CODES.BAD_PARAMETERS],
        ['a malformed project', { projectNo: 'P 1' }, BANK_CODES.BAD_PARAMETERS],
        ['an unknown seller', { sellerUserNo: 'NOBODY' }, BANK_CODES.NOT_FOUND],
        ['an unknown buyer', { buyerUserNo: 'NOBODY' }, BANK_CODES.NOT_FOUND],
        ['an unknown project', { projectNo: 'P404' }, BANK_CODES.NOT_FOUND],
        ['a project still FUNDRAISING', { projectNo: 'P2', sellerUserNo: 'CAROL' }, BANK_CODES.BAD_PARAMETERS],
      ];
      await unchanged(async () => {
        for (const [what, terms, code] of cases) {
          const json = JSON.stringify({
            requestNo: requestNo('CA'),
            projectNo: PROJECT_NO,
            sellerUserNo: 'ALICE',
            buyerUserNo: 'BUYER',
            amountFen: '1000',
            feeFen: '5',
            accountingDate: utcDateOf(new Date()),
            ...terms,
          });
          const answer = await harness.post(
            signRequestJson('CREDIT_ASSIGNMENT', 'WANXIN', json, harness.platformPrivateKeyPem),
          );
          assert.equal(answer.code, code, `${what}: ${answer.message}`);
        }
      });
    });

    test('the same requestNo twice, in a row or at once, moves money once; with another body it is 00003', async () => {
      const envelope = harness.envelope('CREDIT_ASSIGNMENT', {
        requestNo: requestNo('CA'),
        projectNo: PROJECT_NO,
        sellerUserNo: 'ALICE',
        buyerUserNo: 'BUYER',
        amountFen: '2000',
        feeFen: '10',
      });
      const post = async () => {
        const response = await fetch(`${harness.bank.url}${BANK_PATHS.service}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(envelope),
        });
        return response.text();
      };
      const buyerBefore = (await harness.balance('BUYER')).availableFen;
      const answers = await Promise.all(Array.from({ length: 5 }, post));
      answers.push(await post());
      assert.equal(new Set(answers).size, 1, 'every repeat got the first answer');
      assert.equal((await harness.balance('BUYER')).availableFen, buyerBefore - 2000n, 'paid once');
      await unchanged(async () => {
        const reqData = JSON.parse(Buffer.from(envelope.reqData, 'base64').toString());
        const reused = await assign({ ...reqData, amountFen: '3000' });
        assert.equal(reused.code, BANK_CODES.BAD_PARAMETERS);
        assert.match(reused.message, /reused/);
      });
    });

    test('two sales to one buyer at once with money for one: exactly one succeeds', async () => {
      await harness.register('RACER');
      await harness.recharge('RACER', 30_000n);
      const answers = await Promise.all(
        [20_000n, 20_000n].map((amountFen) =>
          assign({ buyerUserNo: 'RACER', amountFen: amountFen.toString(), feeFen: '100' }),
        ),
      );
      assert.deepEqual(answers.map((answer) => answer.code).sort(), [
        BANK_CODES.SUCCESS,
        BANK_CODES.ACCOUNT_BALANCE_TOO_LOW,
      ]);
      assert.deepEqual(await harness.balance('RACER'), { availableFen: 10_000n, frozenFen: 0n });
    });

    test('in a batch a sale is applied as if alone', async () => {
      const feeBefore = await platformFeeFen();
      const saleNo = requestNo('CA');
      const items = [
        { amountFen: '3000', feeFen: '15', requestNo: saleNo },
        { amountFen: '999999999', feeFen: '15', requestNo: requestNo('CA') },
      ].map((terms) => ({
        serviceName: 'CREDIT_ASSIGNMENT' as const,
        reqData: JSON.stringify({
          projectNo: PROJECT_NO,
          sellerUserNo: 'ALICE',
          buyerUserNo: 'BUYER',
          accountingDate: utcDateOf(new Date()),
          ...terms,
        }),
      }));
      const batch = succeeded(await harness.call('BATCH_TRANSACTION', { requestNo: requestNo('B'), items }));
      assert.deepEqual(
        batch.results.map((result) => result.code),
        [BANK_CODES.SUCCESS, BANK_CODES.ACCOUNT_BALANCE_TOO_LOW],
      );
      assert.equal(await platformFeeFen(), feeBefore + 15n);
      const alone = await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: saleNo });
      assert.equal(succeeded(alone).response.amountFen, '3000');
    });
  });
}
