// Proves the bank's no-overdraw invariant under contention, through the real HTTP API with signed
// requests, on libsql and MariaDB: 200 concurrent TENDER freezes of 100.00 against an account holding
// 10,000.00 → exactly 100 succeed (00000), the other 100 are refused with 30042, available is 0, frozen
// is 10,000.00, no account is negative, and the ledger self-check passes. And a payout racing the
// cancellation of its own bids and late bids settles every freeze exactly once: each bid is either paid
// out or released (never both, never neither), bids after the payout are refused, and the borrower gets
// exactly the bids that were paid out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import type { BankResult } from '@wanxin/platform/bank-protocol';
import { requestNo, startBankHarness, succeeded, type BankHarness } from '../src/testing';
import { freeze, lenderAndProject } from './one-project';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';

const FREEZES = 200;
const FREEZE_FEN = 10_000n;
const HOLDING_FEN = 1_000_000n;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank concurrency on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    before(async () => {
      harness = await startBankHarness(kind);
    });
    after(async () => {
      await harness?.stop();
    });

    test('200 concurrent freezes of 100.00 on 10,000.00: exactly 100 succeed, nothing goes negative', async () => {
      await lenderAndProject(harness, {
        lender: 'INVESTOR1',
        lenderFen: HOLDING_FEN,
        borrower: 'BORROWER1',
        projectNo: 'P1',
        amountFen: 5_000_000n,
        name: 'Concurrency',
      });

      const results = await Promise.all(
        Array.from({ length: FREEZES }, () =>
          freeze(harness, { userNo: 'INVESTOR1', projectNo: 'P1', bizType: 'TENDER', amountFen: FREEZE_FEN }),
        ),
      );
      const codes = results.map((result) => result.code);
      assert.equal(codes.filter((code) => code === BANK_CODES.SUCCESS).length, 100, 'exactly 100 freezes succeed');
      assert.equal(
        codes.filter((code) => code === BANK_CODES.ACCOUNT_BALANCE_TOO_LOW).length,
        100,
        'the other 100 are refused as balance too low',
      );

      assert.deepEqual(await harness.balance('INVESTOR1'), { availableFen: 0n, frozenFen: HOLDING_FEN });
      const check = await harness.bank.checkLedger();
      assert.equal(check.openFreezeCount, 100);
      await harness.assertLedgerSound();
    });

    test('a payout racing cancels and late bids settles each freeze exactly once', async () => {
      await lenderAndProject(harness, {
        lender: 'INVESTOR2',
        lenderFen: HOLDING_FEN,
        borrower: 'BORROWER2',
        projectNo: 'P2',
        amountFen: 5_000_000n,
        name: 'Race',
      });
      const openBefore = (await harness.bank.checkLedger()).openFreezeCount;
      const tender = (number = requestNo('F')) =>
        freeze(harness, {
          requestNo: number,
          userNo: 'INVESTOR2',
          projectNo: 'P2',
          bizType: 'TENDER',
          amountFen: FREEZE_FEN,
        });
      // One bid nobody cancels, so the payout always has something to settle.
      succeeded(await tender());
      const bids: string[] = [];
      for (let index = 0; index < 20; index += 1) {
        const no = requestNo('F');
        succeeded(await tender(no));
        bids.push(no);
      }

      // Cancels and late bids alternate, with the payout sent halfway: each side wins some of the races.
      const cancel = (preRequestNo: string) => () =>
        harness.call('CANCEL_PRE_TRANSACTION', { requestNo: requestNo('C'), preRequestNo });
      const operations: (() => Promise<{ code: string }>)[] = bids.flatMap((bid) => [cancel(bid), tender]);
      const payoutAt = bids.length;
      operations.splice(payoutAt, 0, () =>
        harness.call('CONFIRM_LOAN', { requestNo: requestNo('L'), projectNo: 'P2', feeFen: '0' }),
      );
      const results = await Promise.all(operations.map((operation) => operation()));
      const payout = results[payoutAt] as BankResult<'CONFIRM_LOAN'>;
      const others = results.filter((_, index) => index !== payoutAt);
      const cancels = others.filter((_, index) => index % 2 === 0);
      const lateBids = others.filter((_, index) => index % 2 === 1);
      const paid = succeeded(payout);
      const released = cancels.filter((result) => result.code === BANK_CODES.SUCCESS).length;
      const lateAccepted = lateBids.filter((result) => result.code === BANK_CODES.SUCCESS).length;
      assert.ok(
        cancels.every((result) => result.code === BANK_CODES.SUCCESS || result.code === BANK_CODES.NOT_FOUND),
        'a cancel either releases or finds the bid paid out',
      );
      assert.ok(
        lateBids.every((result) => result.code === BANK_CODES.SUCCESS || result.code === BANK_CODES.BAD_PARAMETERS),
        'a late bid is taken before the payout or refused after it',
      );
      assert.equal(
        paid.freezeCount + released,
        1 + bids.length + lateAccepted,
        'every freeze is paid out or released, exactly once',
      );
      assert.equal(BigInt(paid.loanFen), BigInt(paid.freezeCount) * FREEZE_FEN);
      assert.deepEqual(await harness.balance('INVESTOR2'), {
        availableFen: HOLDING_FEN - BigInt(paid.freezeCount) * FREEZE_FEN,
        frozenFen: 0n,
      });
      assert.deepEqual(await harness.balance('BORROWER2'), { availableFen: BigInt(paid.loanFen), frozenFen: 0n });
      assert.equal((await harness.bank.checkLedger()).openFreezeCount, openBefore, 'no freeze of P2 is left open');
      await harness.assertLedgerSound();
    });
  });
}
