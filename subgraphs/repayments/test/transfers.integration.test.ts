// Proves the claim-transfer market (债权转让) of the repayments subgraph over HTTP against the real bank
// simulator and depository agent, on each database under test: every bad input of listTransfer,
// cancelTransfer and buyTransfer is refused with its code and changes nothing; two buyers at once → exactly
// one SOLD, the other CONFLICT and charged nothing, the seller paid price − fee and the platform the fee, to
// the fen; a sale racing the seller's cancel ends exactly one way; a sale racing the daily collection of the
// same loan pays each receivable to exactly one owner and the books balance; an early repayment after a sale
// withdraws open listings (REPAID_EARLY) and its re-split pays the buyer exactly the principal bought; a due
// installment of a loan whose holding is SELLING is not left uncollected (the daily run settles the sale, then
// collects it for the buyer); a process that dies between the bank's answer and the local commit leaves the
// sale SELLING, and the settle pass finishes it once.
// Shortcuts, said plainly: the loan is paid out at the bank with the agent's internal API (paid-out-loan.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  forkEntityManager,
  InternalBankClient,
  issueToken,
  newId,
  parseMoney,
  type BankInstruction,
  type Role,
} from '@wanxin/platform';
import { databaseKindsUnderTest, dataOf, errorCodes, eventually, postGraphQL } from '@wanxin/platform/testing';
import { Collection } from '../src/entities/collection.entity';
import { Installment } from '../src/entities/installment.entity';
import { Receivable } from '../src/entities/receivable.entity';
import { Transfer } from '../src/entities/transfer.entity';
import { buyTransfer } from '../src/operations/buy-transfer';
import { disburseAtBank } from './paid-out-loan';
import { startRepaymentsWithBank, stopRepaymentsWithBank, type RepaymentsWithBank } from './repayments-with-bank';

const LIST = 'mutation($b: ID!, $p: Money!) { listTransfer(bidId: $b, price: $p) { id status principal price fee } }';
const CANCEL = 'mutation($t: ID!) { cancelTransfer(id: $t) { id status } }';
const BUY = 'mutation($t: ID!) { buyTransfer(id: $t) { id status principal price fee soldAt } }';
const RUN = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate installmentsRepaid collectionsBusy } }';
const TRANSFER = 'query($t: ID!) { transfer(id: $t) { id status } }';
const HOLDINGS =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { holdings(first: 10) { edges { node { id } } totalCount } } } }';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`the claim-transfer market with the bank on ${kind}`, { skip }, () => {
    let started: RepaymentsWithBank;
    /** A fresh entity manager on the subgraph's database, as the test reads it. */
    const db = () => forkEntityManager(started.orm);
    const token = (id: string, role: Role) => issueToken({ id, role }, started.signingKeyPem, 3600).token;
    const call = (query: string, variables: Record<string, unknown>, bearer?: string) =>
      postGraphQL(started.repayments.url, query, variables, bearer);
    const investor = (id: string) => token(id, 'INVESTOR');
    const admin = () => token(newId(), 'ADMIN');
    const businessDate = async () => dataOf(await call('{ businessDate }', {})).businessDate as string;
    const runTo = async (date: string) => dataOf(await call(RUN, { d: date }, admin())).runDailyJobs;
    const available = async (userId: string) => (await started.bank.balance(userId)).availableFen;
    const platformFeeFen = async () => BigInt((await started.bank.bank.checkLedger()).platformFeeFen);
    const transfersNow = () => db().find(Transfer, {}, { orderBy: { id: 'asc' } });
    const newUser = async (rechargeFen: bigint) => {
      const userId = newId();
      await started.bank.register(userId);
      if (rechargeFen > 0n) await started.bank.recharge(userId, rechargeFen);
      return userId;
    };
    /** A 12-month 12,000.00 loan of two 6,000.00 bids, held past the hold days: the first bid's seller lists it. */
    const heldLoan = async () => {
      const borrowerId = await newUser(2_000_00n);
      const seller = await newUser(6_000_00n);
      const other = await newUser(6_000_00n);
      const loan = await disburseAtBank(started.bankClient, {
        borrowerId,
        bids: [
          { investorId: seller, amountFen: 6_000_00n },
          { investorId: other, amountFen: 6_000_00n },
        ],
        termMonths: 12,
        method: 'EQUAL_INSTALLMENT',
        annualRateMicros: 150_000,
        investorRateMicros: 100_000,
      });
      return { ...loan, borrowerId, seller, other, bidId: loan.bids[0].bidId };
    };
    /** The principal of the bid's receivables not yet RECEIVED: a price inside the window. */
    const outstandingFen = async (bidId: string) =>
      (await db().find(Receivable, { bidId, status: 'PENDING' })).reduce(
        (sum, receivable) => sum + receivable.principalFen,
        0n,
      );
    const money = (fen: bigint) => `${fen / 100n}.${(fen % 100n).toString().padStart(2, '0')}`;
    const list = async (seller: string, bidId: string) => {
      const price = money(await outstandingFen(bidId));
      return dataOf(await call(LIST, { b: bidId, p: price }, investor(seller))).listTransfer as {
        id: string;
        price: string;
        fee: string;
        principal: string;
      };
    };

    /** A purchase whose process dies after the bank applied CREDIT_ASSIGNMENT, before it records the answer. */
    const buyDying = async (buyer: string, transferId: string) => {
      const dying = Object.create(started.bankClient) as InternalBankClient;
      dying.instructBatch = async (instructions: readonly BankInstruction[]) => {
        await started.bankClient.instructBatch(instructions);
        throw new Error('killed after the bank answered');
      };
      await assert.rejects(buyTransfer(db(), dying, buyer, transferId, new Date()), /killed after the bank answered/);
    };

    before(async () => {
      started = await startRepaymentsWithBank(kind, { REPAYMENT_SETTLE_INTERVAL_MS: '200' });
    });

    after(async () => stopRepaymentsWithBank(started));

    test('bad input is refused with its code and changes nothing', async () => {
      const loan = await heldLoan();
      const price = money(await outstandingFen(loan.bidId));
      // Held fewer than TRANSFER_HOLD_DAYS (7) business days since the payout.
      assert.deepEqual(errorCodes(await call(LIST, { b: loan.bidId, p: price }, investor(loan.seller))), ['CONFLICT']);
      await runTo(addDays(await businessDate(), 7));
      const refusals: [Record<string, unknown>, string | undefined, string][] = [
        [{ b: loan.bidId, p: '0' }, investor(loan.seller), 'BAD_USER_INPUT'],
        [{ b: loan.bidId, p: '-1.00' }, investor(loan.seller), 'BAD_USER_INPUT'],
        [{ b: loan.bidId, p: '100.001' }, investor(loan.seller), 'BAD_USER_INPUT'],
        [{ b: loan.bidId, p: '1.00' }, investor(loan.seller), 'BAD_USER_INPUT'], // far below the window
        [{ b: loan.bidId, p: '99999.00' }, investor(loan.seller), 'BAD_USER_INPUT'], // far above it
        [{ b: loan.bids[1].bidId, p: price }, investor(loan.seller), 'FORBIDDEN'], // someone else's bid
        [{ b: newId(), p: price }, investor(loan.seller), 'CONFLICT'], // not a LOANED bid (FROZEN, REFUNDED, unknown)
        [{ b: loan.bidId, p: price }, token(loan.borrowerId, 'BORROWER'), 'FORBIDDEN'],
        [{ b: loan.bidId, p: price }, undefined, 'UNAUTHENTICATED'],
      ];
      for (const [variables, bearer, code] of refusals)
        assert.deepEqual(errorCodes(await call(LIST, variables, bearer)), [code], JSON.stringify(variables));
      // The same as literals in the document.
      const literal = (p: string) => `mutation { listTransfer(bidId: "${loan.bidId}", price: ${p}) { id } }`;
      for (const p of ['"0"', '"-1"', '"1.001"', '100', '"1.00"'])
        assert.deepEqual(errorCodes(await call(literal(p), {}, investor(loan.seller))), ['BAD_USER_INPUT'], p);
      assert.deepEqual(await transfersNow(), [], 'nothing was listed');

      const listed = await list(loan.seller, loan.bidId);
      assert.deepEqual(errorCodes(await call(LIST, { b: loan.bidId, p: price }, investor(loan.seller))), ['CONFLICT']);
      assert.deepEqual(errorCodes(await call(BUY, { t: listed.id }, investor(loan.seller))), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(CANCEL, { t: listed.id }, investor(loan.other))), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(BUY, { t: newId() }, investor(loan.other))), ['NOT_FOUND']);
      assert.deepEqual(errorCodes(await call(BUY, { t: listed.id }, token(loan.borrowerId, 'BORROWER'))), [
        'FORBIDDEN',
      ]);
      assert.equal(
        dataOf(await call(CANCEL, { t: listed.id }, investor(loan.seller))).cancelTransfer.status,
        'CANCELLED',
      );
      assert.deepEqual(errorCodes(await call(BUY, { t: listed.id }, investor(loan.other))), ['CONFLICT']);
      assert.deepEqual(errorCodes(await call(CANCEL, { t: listed.id }, investor(loan.seller))), ['CONFLICT']);
      const [ended] = await transfersNow();
      assert.equal(ended.status, 'CANCELLED');
      assert.equal(ended.buyerId, null, 'no buyer was recorded');
    });

    test('two buyers at once: exactly one SOLD, the other CONFLICT and charged nothing', async () => {
      const loan = await heldLoan();
      await runTo(addDays(await businessDate(), 7));
      const listed = await list(loan.seller, loan.bidId);
      const buyers = [await newUser(7_000_00n), await newUser(7_000_00n)];
      const before = await Promise.all([loan.seller, ...buyers].map(available));
      const feeBefore = await platformFeeFen();
      const answers = await Promise.all(buyers.map((buyer) => call(BUY, { t: listed.id }, investor(buyer))));
      const sold = answers.filter((answer) => answer.data?.buyTransfer?.status === 'SOLD');
      assert.equal(sold.length, 1, JSON.stringify(answers.map((answer) => answer.errors ?? answer.data)));
      const loser = answers.findIndex((answer) => answer.data?.buyTransfer?.status !== 'SOLD');
      assert.deepEqual(errorCodes(answers[loser]), ['CONFLICT']);
      const winner = buyers[1 - loser];
      const priceFen = parseMoney(listed.price);
      const feeFen = parseMoney(listed.fee);
      const after = await Promise.all([loan.seller, ...buyers].map(available));
      assert.equal(after[0] - before[0], priceFen - feeFen, 'the seller got price − fee');
      assert.equal(after[1 + loser], before[1 + loser], 'the losing buyer was charged nothing');
      assert.equal(before[2 - loser] - after[2 - loser], priceFen, 'the buyer paid the price');
      assert.equal((await platformFeeFen()) - feeBefore, feeFen, 'the platform got the fee');
      // Every receivable not yet RECEIVED is the buyer's; the holdings follow.
      const pending = await db().find(Receivable, { bidId: loan.bidId, status: 'PENDING' });
      assert.ok(pending.length === 12 && pending.every((receivable) => receivable.investorId === winner));
      const holdingsOf = async (userId: string) =>
        dataOf(await call(HOLDINGS, { r: [{ __typename: 'User', id: userId }] }, investor(userId)))._entities[0]
          .holdings;
      assert.deepEqual((await holdingsOf(winner)).edges, [{ node: { id: loan.bidId } }]);
      assert.equal((await holdingsOf(loan.seller)).totalCount, 0);
      assert.deepEqual(errorCodes(await call(BUY, { t: listed.id }, investor(buyers[loser]))), ['CONFLICT']);
    });

    test("a sale racing the seller's cancel ends exactly one way", async () => {
      const loan = await heldLoan();
      await runTo(addDays(await businessDate(), 7));
      const listed = await list(loan.seller, loan.bidId);
      const buyer = await newUser(7_000_00n);
      const buyerBefore = await available(buyer);
      const [bought, cancelled] = await Promise.all([
        call(BUY, { t: listed.id }, investor(buyer)),
        call(CANCEL, { t: listed.id }, investor(loan.seller)),
      ]);
      const status = (await db().findOneOrFail(Transfer, { id: listed.id })).status;
      if (status === 'SOLD') {
        assert.deepEqual(errorCodes(cancelled), ['CONFLICT']);
        assert.equal(buyerBefore - (await available(buyer)), parseMoney(listed.price));
      } else {
        assert.equal(status, 'CANCELLED');
        assert.deepEqual(errorCodes(bought), ['CONFLICT']);
        assert.equal(await available(buyer), buyerBefore, 'a cancelled listing charges nothing');
      }
    });

    test('a sale racing the collection of the same loan: each receivable paid to one owner, the books balance', async () => {
      const loan = await heldLoan();
      await runTo(addDays(await businessDate(), 7));
      const listed = await list(loan.seller, loan.bidId);
      const buyer = await newUser(7_000_00n);
      const owners = [loan.seller, loan.other, buyer];
      const before = await Promise.all(owners.map(available));
      const { dueDate } = await db().findOneOrFail(Installment, { loanId: loan.loanId, period: 1 });
      // The run to period 1's due date and the purchase go at once.
      const [, bought] = await Promise.all([runTo(dueDate), call(BUY, { t: listed.id }, investor(buyer))]);
      await eventually(
        async () =>
          (await db().count(Collection, {
            loanId: loan.loanId,
            status: { $in: ['SENT', 'FROZEN'] },
          })) === 0
            ? true
            : undefined,
        30_000,
      );
      const received = await db().find(Receivable, { loanId: loan.loanId, status: 'RECEIVED' });
      assert.ok(received.length >= 2, 'period 1 was collected');
      const after = await Promise.all(owners.map(available));
      const paidTo = (userId: string) =>
        received
          .filter((receivable) => receivable.investorId === userId)
          .reduce((sum, receivable) => sum + receivable.principalFen + receivable.interestFen, 0n);
      const sale =
        bought.data?.buyTransfer?.status === 'SOLD'
          ? { priceFen: parseMoney(listed.price), feeFen: parseMoney(listed.fee) }
          : { priceFen: 0n, feeFen: 0n };
      if (sale.priceFen === 0n) assert.deepEqual(errorCodes(bought), ['CONFLICT']);
      assert.equal(after[0] - before[0], paidTo(loan.seller) + sale.priceFen - sale.feeFen, 'the seller, to the fen');
      assert.equal(after[1] - before[1], paidTo(loan.other), 'the other investor, to the fen');
      assert.equal(after[2] - before[2], paidTo(buyer) - sale.priceFen, 'the buyer, to the fen');
    });

    test('an early repayment after a sale: open listings withdrawn, the buyer paid back exactly the principal bought', async () => {
      const loan = await heldLoan();
      await runTo(addDays(await businessDate(), 7));
      const sold = await list(loan.seller, loan.bidId);
      const buyer = await newUser(7_000_00n);
      assert.equal(dataOf(await call(BUY, { t: sold.id }, investor(buyer))).buyTransfer.status, 'SOLD');
      const open = await list(loan.other, loan.bids[1].bidId);
      const buyerBefore = await available(buyer);
      const repay = 'mutation($l: ID!) { repayEarly(loanId: $l) { id } }';
      dataOf(await call(repay, { l: loan.loanId }, token(loan.borrowerId, 'BORROWER')));
      await eventually(
        async () =>
          (await db().count(Collection, { loanId: loan.loanId, status: { $in: ['SENT', 'FROZEN'] } })) === 0
            ? true
            : undefined,
        30_000,
      );
      const withdrawn = await db().findOneOrFail(Transfer, { id: open.id });
      assert.deepEqual([withdrawn.status, withdrawn.endReason], ['EXPIRED', 'REPAID_EARLY']);
      // The re-split (domain.md §4, cumulative by bid) keeps the holding's principal whole, all of it the buyer's.
      const ofBid = await db().find(Receivable, { bidId: loan.bidId });
      assert.equal(
        ofBid.reduce((sum, receivable) => sum + receivable.principalFen, 0n),
        6_000_00n,
      );
      const bought = ofBid.filter((receivable) => receivable.investorId === buyer);
      assert.equal(
        bought.reduce((sum, receivable) => sum + receivable.principalFen, 0n),
        parseMoney(sold.principal),
      );
      const paidFen = bought.reduce((sum, receivable) => sum + receivable.principalFen + receivable.interestFen, 0n);
      assert.equal((await available(buyer)) - buyerBefore, paidFen, 'the buyer was paid their receivables, to the fen');
    });

    test('a due installment of a loan whose holding is SELLING: the daily run settles the sale, then collects for the buyer', async () => {
      const loan = await heldLoan();
      await runTo(addDays(await businessDate(), 7));
      const listed = await list(loan.seller, loan.bidId);
      const buyer = await newUser(7_000_00n);
      await buyDying(buyer, listed.id);
      const { dueDate } = await db().findOneOrFail(Installment, { loanId: loan.loanId, period: 1 });
      const report = await runTo(dueDate);
      assert.equal(report.collectionsBusy, 0, 'nothing left BUSY');
      assert.equal((await db().findOneOrFail(Transfer, { id: listed.id })).status, 'SOLD');
      const { id: installmentId, status } = await db().findOneOrFail(Installment, { loanId: loan.loanId, period: 1 });
      assert.equal(status, 'REPAID', 'collected on its due date, after the sale');
      const [period1] = await db().find(Receivable, { installmentId, bidId: loan.bidId });
      assert.deepEqual([period1.investorId, period1.status], [buyer, 'RECEIVED'], "the buyer's");
    });

    test("a process killed between the bank's answer and the commit: the settle pass finishes the sale once", async () => {
      const loan = await heldLoan();
      await runTo(addDays(await businessDate(), 7));
      const listed = await list(loan.seller, loan.bidId);
      const buyer = await newUser(7_000_00n);
      const before = await Promise.all([loan.seller, buyer].map(available));
      await buyDying(buyer, listed.id);
      assert.equal((await db().findOneOrFail(Transfer, { id: listed.id })).status, 'SELLING');
      assert.deepEqual(
        dataOf(await call(TRANSFER, { t: listed.id }, investor(buyer))).transfer.status,
        'LISTED',
        'a sale at the bank shows as LISTED',
      );
      // The running subgraph's settle pass asks again with the same requestNo after its grace period.
      await eventually(
        async () => ((await db().findOneOrFail(Transfer, { id: listed.id })).status === 'SOLD' ? true : undefined),
        40_000,
        200,
      );
      const after = await Promise.all([loan.seller, buyer].map(available));
      assert.equal(after[0] - before[0], parseMoney(listed.price) - parseMoney(listed.fee), 'the seller paid once');
      assert.equal(before[1] - after[1], parseMoney(listed.price), 'the buyer charged once');
      const pending = await db().find(Receivable, { bidId: loan.bidId, status: 'PENDING' });
      assert.ok(pending.every((receivable) => receivable.investorId === buyer));
    });
  });
}
