// Proves the whole money path through the bank's HTTP API, on libsql and MariaDB: two investors and a
// borrower open accounts on the bank's page and recharge; a project is created; two TENDER freezes hold
// the bids and a third is cancelled; CONFIRM_LOAN pays the borrower the total less the fee and the
// platform the fee, leaving the escrow at 0; the borrower's REPAYMENT freeze is split by
// CONFIRM_REPAYMENT into each investor's principal and interest and the platform's commission (a split
// that does not add up is refused and moves nothing); settled freezes cannot be settled again; QUERY_
// BALANCE and QUERY_REQUEST answer; money leaves by withdrawal; the ledger self-check passes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { requestNo, startBankHarness, succeeded, TRADE_PASSWORD, type BankHarness } from '../src/testing';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { createProject, freeze } from './one-project';

const yuan = (amount: number) => BigInt(Math.round(amount * 100));

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank money path on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    /** [debits posted, credits posted, debits pending, credits pending] of an account, from the snapshot. */
    const totals = async (ref: string) => {
      const line = (await harness.bank.snapshot()).split('\n').find((candidate) => candidate.startsWith(`${ref} `));
      assert.ok(line, `no account ${ref}`);
      return line.split(' ').slice(1).map(BigInt);
    };
    const postedBalance = async (ref: string) => {
      const [debitsPosted, creditsPosted] = await totals(ref);
      return creditsPosted - debitsPosted;
    };
    const tender = (userNo: string, amountFen: bigint, no = requestNo('TND')) =>
      freeze(harness, { requestNo: no, userNo, projectNo: 'LOAN1', bizType: 'TENDER', amountFen });

    before(async () => {
      harness = await startBankHarness(kind);
    });
    after(async () => {
      await harness?.stop();
    });

    test('open, recharge, bid, pay out, repay, withdraw', async () => {
      for (const userNo of ['INV1', 'INV2', 'BOR']) await harness.register(userNo);
      await harness.recharge('INV1', yuan(50_000));
      await harness.recharge('INV2', yuan(30_000));
      await harness.recharge('BOR', yuan(1_000));
      await createProject(harness, {
        projectNo: 'LOAN1',
        borrower: 'BOR',
        amountFen: yuan(60_000),
        name: 'Working capital',
      });

      // Bids: two stay frozen, one is cancelled.
      const firstBid = requestNo('TND');
      succeeded(await tender('INV1', yuan(40_000), firstBid));
      succeeded(await tender('INV2', yuan(20_000)));
      const cancelledBid = requestNo('TND');
      succeeded(await tender('INV2', yuan(5_000), cancelledBid));
      const cancel = succeeded(
        await harness.call('CANCEL_PRE_TRANSACTION', { requestNo: requestNo(), preRequestNo: cancelledBid }),
      );
      assert.equal(cancel.amountFen, yuan(5_000).toString());
      assert.equal(
        (await harness.call('CANCEL_PRE_TRANSACTION', { requestNo: requestNo(), preRequestNo: cancelledBid })).code,
        BANK_CODES.NOT_FOUND,
        'released twice',
      );
      assert.deepEqual(await harness.balance('INV1'), { availableFen: yuan(10_000), frozenFen: yuan(40_000) });
      assert.deepEqual(await harness.balance('INV2'), { availableFen: yuan(10_000), frozenFen: yuan(20_000) });

      // Payout with a 1 % fee.
      const payoutNo = requestNo('LOAN');
      const payout = succeeded(
        await harness.call('CONFIRM_LOAN', { requestNo: payoutNo, projectNo: 'LOAN1', feeFen: yuan(600).toString() }),
      );
      assert.deepEqual(
        [payout.loanFen, payout.feeFen, payout.borrowerFen, payout.freezeCount],
        [yuan(60_000).toString(), yuan(600).toString(), yuan(59_400).toString(), 2],
      );
      assert.deepEqual(await harness.balance('BOR'), { availableFen: yuan(60_400), frozenFen: 0n });
      assert.deepEqual(await harness.balance('INV1'), { availableFen: yuan(10_000), frozenFen: 0n });
      assert.equal(await postedBalance('PLATFORM_FEE'), yuan(600));
      assert.deepEqual(await totals('PROJECT:LOAN1'), [yuan(60_000), yuan(60_000), 0n, 0n], 'the escrow is empty');
      assert.equal(
        (await harness.call('CANCEL_PRE_TRANSACTION', { requestNo: requestNo(), preRequestNo: firstBid })).code,
        BANK_CODES.NOT_FOUND,
        'a loaned bid cannot be released',
      );
      assert.equal(
        (await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo: 'LOAN1', feeFen: '0' })).code,
        BANK_CODES.BAD_PARAMETERS,
        'paid out twice',
      );
      assert.equal((await tender('INV1', yuan(100))).code, BANK_CODES.BAD_PARAMETERS, 'a bid after the payout');

      // Repayment: the borrower's freeze, then its split.
      const repaymentNo = requestNo('REP');
      const repayment = { requestNo: repaymentNo, userNo: 'BOR', projectNo: 'LOAN1', amountFen: yuan(5_400) };
      succeeded(await freeze(harness, { ...repayment, bizType: 'REPAYMENT' }));
      assert.deepEqual(await harness.balance('BOR'), { availableFen: yuan(55_000), frozenFen: yuan(5_400) });
      const details = [
        { userNo: 'INV1', principalFen: yuan(3_000).toString(), interestFen: yuan(400).toString() },
        { userNo: 'INV2', principalFen: yuan(1_500).toString(), interestFen: yuan(200).toString() },
      ];
      const before = await harness.bank.snapshot();
      const mismatchNo = requestNo('CRP');
      const mismatch = await harness.call('CONFIRM_REPAYMENT', {
        requestNo: mismatchNo,
        preRequestNo: repaymentNo,
        details,
        commissionFen: yuan(200).toString(),
      });
      assert.equal(mismatch.code, BANK_CODES.BAD_PARAMETERS);
      assert.match(mismatch.message, /the freeze holds/);
      assert.equal(await harness.bank.snapshot(), before, 'a split that does not add up moved money');
      const tenderAsRepayment = await harness.call('CONFIRM_REPAYMENT', {
        requestNo: requestNo(),
        preRequestNo: firstBid,
        details,
        commissionFen: yuan(300).toString(),
      });
      assert.equal(tenderAsRepayment.code, BANK_CODES.BAD_PARAMETERS, 'a TENDER freeze is not a repayment');
      assert.match(tenderAsRepayment.message, /is a TENDER freeze/);
      const repaid = succeeded(
        await harness.call('CONFIRM_REPAYMENT', {
          requestNo: requestNo('CRP'),
          preRequestNo: repaymentNo,
          details,
          commissionFen: yuan(300).toString(),
        }),
      );
      assert.deepEqual(
        [repaid.amountFen, repaid.commissionFen, repaid.detailCount],
        [yuan(5_400).toString(), yuan(300).toString(), 2],
      );
      assert.deepEqual(await harness.balance('INV1'), { availableFen: yuan(13_400), frozenFen: 0n });
      assert.deepEqual(await harness.balance('INV2'), { availableFen: yuan(11_700), frozenFen: 0n });
      assert.deepEqual(await harness.balance('BOR'), { availableFen: yuan(55_000), frozenFen: 0n });
      assert.equal(await postedBalance('PLATFORM_FEE'), yuan(900));
      assert.equal(await postedBalance('PROJECT:LOAN1'), 0n);
      assert.equal(
        (
          await harness.call('CONFIRM_REPAYMENT', {
            requestNo: requestNo(),
            preRequestNo: repaymentNo,
            details,
            commissionFen: yuan(300).toString(),
          })
        ).code,
        BANK_CODES.NOT_FOUND,
        'repaid twice',
      );

      // The records: QUERY_REQUEST reports how each request ended.
      const payoutRecord = succeeded(
        await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: payoutNo }),
      );
      assert.deepEqual(
        [payoutRecord.serviceName, payoutRecord.status, payoutRecord.response.code, payoutRecord.response.borrowerFen],
        ['CONFIRM_LOAN', 'SUCCESS', BANK_CODES.SUCCESS, yuan(59_400).toString()],
      );
      const mismatchRecord = succeeded(
        await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: mismatchNo }),
      );
      assert.deepEqual([mismatchRecord.status, mismatchRecord.response.code], ['FAILED', BANK_CODES.BAD_PARAMETERS]);

      // Settlement and the end of the project.
      succeeded(
        await harness.call('MODIFY_PROJECT', { requestNo: requestNo(), projectNo: 'LOAN1', status: 'SETTLED' }),
      );
      const lateRepayment = await freeze(harness, {
        requestNo: requestNo(),
        userNo: 'BOR',
        projectNo: 'LOAN1',
        bizType: 'REPAYMENT',
        amountFen: 100n,
      });
      assert.equal(lateRepayment.code, BANK_CODES.BAD_PARAMETERS);
      assert.equal(
        (await harness.call('MODIFY_PROJECT', { requestNo: requestNo(), projectNo: 'LOAN1', status: 'FUNDRAISING' }))
          .code,
        BANK_CODES.BAD_PARAMETERS,
      );

      // Money leaves: INV1 withdraws everything back to the card.
      const withdrawal = await harness.page(
        'WITHDRAW',
        { requestNo: requestNo('WDR'), userNo: 'INV1', amountFen: yuan(13_400).toString() },
        TRADE_PASSWORD,
      );
      assert.equal(withdrawal.code, BANK_CODES.SUCCESS);
      assert.deepEqual(await harness.balance('INV1'), { availableFen: 0n, frozenFen: 0n });
      assert.equal(await postedBalance('CARD:INV1'), yuan(1_000_000) - yuan(50_000) + yuan(13_400));
      await harness.assertLedgerSound();
    });

    test('a failed project releases its bids; a payout with nothing to confirm is refused', async () => {
      for (const userNo of ['INV3', 'BOR2']) await harness.register(userNo);
      await harness.recharge('INV3', yuan(1_000));
      await createProject(harness, { projectNo: 'LOAN2', borrower: 'BOR2', amountFen: yuan(5_000), name: 'Will fail' });
      assert.equal(
        (await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo: 'LOAN2', feeFen: '0' })).code,
        BANK_CODES.NOT_FOUND,
        'nothing to confirm',
      );
      const bid = requestNo('TND');
      succeeded(
        await freeze(harness, {
          requestNo: bid,
          userNo: 'INV3',
          projectNo: 'LOAN2',
          bizType: 'TENDER',
          amountFen: yuan(800),
        }),
      );
      assert.equal(
        (
          await harness.call('CONFIRM_LOAN', {
            requestNo: requestNo(),
            projectNo: 'LOAN2',
            feeFen: yuan(801).toString(),
          })
        ).code,
        BANK_CODES.BAD_PARAMETERS,
        'fee above the total',
      );
      succeeded(await harness.call('MODIFY_PROJECT', { requestNo: requestNo(), projectNo: 'LOAN2', status: 'FAILED' }));
      succeeded(await harness.call('CANCEL_PRE_TRANSACTION', { requestNo: requestNo(), preRequestNo: bid }));
      assert.deepEqual(await harness.balance('INV3'), { availableFen: yuan(1_000), frozenFen: 0n });
      assert.equal(
        (await harness.call('CONFIRM_LOAN', { requestNo: requestNo(), projectNo: 'LOAN2', feeFen: '0' })).code,
        BANK_CODES.BAD_PARAMETERS,
        'a FAILED project pays nothing',
      );
      await harness.assertLedgerSound();
    });
  });
}
