// Proves a claim transfer's settlement (CREDIT_ASSIGNMENT) through the depository agent, against the real bank
// simulator, on libsql and MariaDB, as the transfer market sends it (InternalBankClient, the shared builder
// creditAssignmentInstruction): the agent records it by requestNo with the price as its expected amount and the
// loan as its project, the bank moves the money to the fen, and the answer's postings become statement
// entries — the buyer's TRANSFER_BOUGHT −price, the seller's TRANSFER_SOLD +price then FEE −fee (none for a
// zero fee), each with the bank's balance after it and the loan number as reference, shown so by the
// User.statement field. The same requestNo again gets the same answer and writes nothing twice; a buyer
// short of the price is refused with 30042 (the platform's BANK_INSUFFICIENT_BALANCE_CODE), recorded FAILED,
// with no entry; a sale the agent never heard the answer to is settled by the sync job (QUERY_REQUEST) with
// its entries; the day's reconciliation matches every sale by service, outcome and price, and finds a price
// the bank's file miswrites.
// Shortcuts, said plainly: the users' accounts are opened and recharged on the bank's page by the test (the
// agent does not hear those, so a statement here holds only the entries of the instructions it sent); the
// lost answer is a second agent whose bank URL answers nothing, and the same body then sent to the bank
// directly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  BANK_INSUFFICIENT_BALANCE_CODE,
  bankUserNoFor,
  createLogger,
  creditAssignmentInstruction,
  forkEntityManager,
  InternalBankClient,
  issueToken,
  newId,
  resolveServiceSecret,
  type BankOutcome,
} from '@wanxin/platform';
import { databaseKindsUnderTest, dataOf, postGraphQL } from '@wanxin/platform/testing';
import { newBankRequestNo, type CreditAssignmentOrder } from '@wanxin/platform/bank-protocol';
import { startAgent, startAgentSuite, testRequestNo, type AgentSuite } from './testing';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { StatementEntry } from '../src/entities/statement-entry.entity';
import { syncUnsettledRequests } from '../src/jobs/sync-requests';
import { reconcileDay } from '../src/operations/reconcile-day';

const STATEMENT = `query($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { statement(first: 10) { edges { node { kind amount balanceAfter reference requestNo } } } } } }`;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`claim transfers through the agent, with the bank, on ${kind}`, { skip }, () => {
    let suite: AgentSuite;
    const [borrowerId, sellerId, buyerId] = [newId(), newId(), newId()];
    const loanNo = `LN${randomBytes(8).toString('hex').toUpperCase()}`;
    const order = (terms: Partial<CreditAssignmentOrder> = {}): CreditAssignmentOrder => ({
      requestNo: newBankRequestNo('CA'),
      projectNo: loanNo,
      sellerUserNo: bankUserNoFor(sellerId),
      buyerUserNo: bankUserNoFor(buyerId),
      amountFen: 100_000n,
      feeFen: 500n,
      ...terms,
    });
    /** What the transfer market does: the shared builder, sent through the agent for the buyer. */
    const sell = (terms: Partial<CreditAssignmentOrder> = {}) => {
      const { serviceName, reqData, userId } = creditAssignmentInstruction(order(terms), buyerId);
      return suite.agentClient.instruct(serviceName, reqData, userId);
    };
    const done = (outcome: BankOutcome): Extract<BankOutcome, { kind: 'DONE' }> => {
      assert.ok(outcome.kind === 'DONE', JSON.stringify(outcome));
      return outcome;
    };
    const entriesOf = (requestNo: string) =>
      forkEntityManager(suite.orm).find(StatementEntry, { requestNo }, { orderBy: { userId: 'asc', bankSeq: 'asc' } });
    const entryLines = async (requestNo: string) =>
      (await entriesOf(requestNo))
        .map((entry) => [
          entry.userId === buyerId ? 'buyer' : 'seller',
          entry.kind,
          entry.amountFen,
          entry.availableAfterFen,
          entry.reference,
        ])
        .sort((left, right) => (left[0] < right[0] ? -1 : 1));
    const recordOf = (requestNo: string) =>
      forkEntityManager(suite.orm).findOneOrFail(DepositoryRequest, { requestNo });
    const balance = (userId: string) => suite.bank.balance(userId);

    before(async () => {
      suite = await startAgentSuite(kind, createLogger('credit-assignment-test', 'silent'));
      const { bank, agentClient } = suite;
      for (const userId of [borrowerId, sellerId, buyerId]) await bank.register(userId);
      await bank.recharge(sellerId, 1_000_000n);
      await bank.recharge(buyerId, 500_000n);
      // The seller lends the whole loan: the project is REPAYING and the seller holds its claim.
      done(
        await agentClient.instruct('CREATE_PROJECT', {
          requestNo: testRequestNo('PRJ'),
          projectNo: loanNo,
          borrowerUserNo: bankUserNoFor(borrowerId),
          amountFen: '1000000',
          name: 'Claim to sell',
        }),
      );
      done(
        await agentClient.instruct(
          'USER_AUTO_PRE_TRANSACTION',
          {
            requestNo: testRequestNo('TND'),
            userNo: bankUserNoFor(sellerId),
            projectNo: loanNo,
            bizType: 'TENDER',
            amountFen: '1000000',
          },
          sellerId,
        ),
      );
      done(
        await agentClient.instruct('CONFIRM_LOAN', {
          requestNo: testRequestNo('LOAN'),
          projectNo: loanNo,
          feeFen: '0',
        }),
      );
    });
    after(async () => {
      await suite?.stop();
    });

    test('a sale: recorded with its price, moved to the fen, the statements of both sides written once', async () => {
      const saleNo = newBankRequestNo('CA');
      const sale = done(await sell({ requestNo: saleNo, amountFen: 101_234n, feeFen: 506n }));
      assert.equal(sale.result.sellerFen, '100728');
      assert.deepEqual(await balance(buyerId), { availableFen: 500_000n - 101_234n, frozenFen: 0n });
      assert.deepEqual(await balance(sellerId), { availableFen: 100_728n, frozenFen: 0n });
      const record = await recordOf(saleNo);
      assert.deepEqual(
        [record.serviceName, record.status, record.amountFen, record.projectNo, record.userId],
        ['CREDIT_ASSIGNMENT', 'SYNC', 101_234n, loanNo, buyerId],
      );
      const expected = [
        ['buyer', 'TRANSFER_BOUGHT', -101_234n, 398_766n, loanNo],
        ['seller', 'TRANSFER_SOLD', 101_234n, 101_234n, loanNo],
        ['seller', 'FEE', -506n, 100_728n, loanNo],
      ];
      assert.deepEqual(await entryLines(saleNo), expected);
      const seller = await entriesOf(saleNo).then((entries) => entries.filter((entry) => entry.userId === sellerId));
      assert.equal(seller[1].bankSeq, seller[0].bankSeq + 1n, 'the fee right after the price');

      const again = done(await sell({ requestNo: saleNo, amountFen: 101_234n, feeFen: 506n }));
      assert.deepEqual(again.result, sale.result, 'the same requestNo gets the same answer');
      assert.deepEqual(await balance(buyerId), { availableFen: 398_766n, frozenFen: 0n }, 'paid once');
      assert.deepEqual(await entryLines(saleNo), expected, 'written once');

      const token = issueToken({ id: buyerId, role: 'INVESTOR' }, suite.signingKeyPem, 3600).token;
      const statement = dataOf(await postGraphQL(suite.bank.agent.url, STATEMENT, { id: buyerId }, token))._entities[0];
      assert.deepEqual(
        statement.statement.edges.map(({ node }: { node: Record<string, string> }) => node),
        [
          {
            kind: 'TRANSFER_BOUGHT',
            amount: '-1012.34',
            balanceAfter: '3987.66',
            reference: loanNo,
            requestNo: saleNo,
          },
        ],
      );
    });

    test('a sale without a fee writes no FEE entry', async () => {
      const saleNo = newBankRequestNo('CA');
      done(await sell({ requestNo: saleNo, amountFen: 1_000n, feeFen: 0n }));
      assert.deepEqual(
        (await entryLines(saleNo)).map(([side, entryKind, amountFen]) => [side, entryKind, amountFen]),
        [
          ['buyer', 'TRANSFER_BOUGHT', -1_000n],
          ['seller', 'TRANSFER_SOLD', 1_000n],
        ],
      );
    });

    test('a buyer short of the price: refused with 30042, recorded FAILED, nothing moved or written', async () => {
      const before = [await balance(buyerId), await balance(sellerId)];
      const shortNo = newBankRequestNo('CA');
      const outcome = await sell({ requestNo: shortNo, amountFen: before[0].availableFen + 1n, feeFen: 1n });
      assert.equal(
        outcome.kind === 'REFUSED' ? outcome.code : outcome.kind,
        BANK_INSUFFICIENT_BALANCE_CODE,
        JSON.stringify(outcome),
      );
      assert.deepEqual([await balance(buyerId), await balance(sellerId)], before);
      assert.equal((await recordOf(shortNo)).status, 'FAILED');
      assert.deepEqual(await entriesOf(shortNo), []);
    });

    test('a sale whose answer the agent missed is settled by the sync job, statements and all', async () => {
      // An agent whose bank does not answer records the sale UNSYNC; the bank applied it all the same (the
      // answer was lost on the way back), as the same body sent to it directly shows.
      const { agent: cutOff } = await startAgent(suite.environment.env, 'http://127.0.0.1:9');
      const saleNo = newBankRequestNo('CA');
      try {
        const secret = resolveServiceSecret(suite.environment.config.dataDir, undefined);
        const client = new InternalBankClient(cutOff.url.replace('/graphql', ''), secret, 10_000);
        const { serviceName, reqData, userId } = creditAssignmentInstruction(
          order({ requestNo: saleNo, amountFen: 2_000n, feeFen: 10n }),
          buyerId,
        );
        assert.equal((await client.instruct(serviceName, reqData, userId)).kind, 'UNKNOWN');
      } finally {
        await cutOff.stop();
      }
      const { businessDate, instruction, status } = await forkEntityManager(suite.orm).findOneOrFail(
        DepositoryRequest,
        { requestNo: saleNo },
        { populate: ['instruction'] },
      );
      assert.equal(status, 'UNSYNC');
      const sent = { ...JSON.parse(instruction!), accountingDate: businessDate };
      assert.equal((await suite.bank.service('CREDIT_ASSIGNMENT', sent)).code, '00000');
      assert.deepEqual(await entriesOf(saleNo), [], 'the agent has not heard the answer');

      const later = new Date(Date.now() + suite.services.settings.syncAfterMs + 60_000);
      await syncUnsettledRequests(suite.services, later);
      assert.equal((await recordOf(saleNo)).status, 'SYNC');
      assert.deepEqual(
        (await entryLines(saleNo)).map(([side, entryKind, amountFen]) => [side, entryKind, amountFen]),
        [
          ['buyer', 'TRANSFER_BOUGHT', -2_000n],
          ['seller', 'TRANSFER_SOLD', 2_000n],
          ['seller', 'FEE', -10n],
        ],
      );
    });

    test("the day's reconciliation matches every sale by its price, and finds a price the bank miswrites", async () => {
      const sales = await forkEntityManager(suite.orm).find(DepositoryRequest, { serviceName: 'CREDIT_ASSIGNMENT' });
      assert.equal(sales.length, 4, 'three sales and one refusal');
      const { businessDate } = sales[0];
      const first = await reconcileDay(suite.services, businessDate);
      const resultOf = (lines: typeof first.lines, requestNo: string) =>
        lines.find((line) => line.requestNo === requestNo);
      for (const sale of sales) {
        const line = resultOf(first.lines, sale.requestNo);
        const shown = JSON.stringify(line, (_, value) => (typeof value === 'bigint' ? String(value) : value));
        assert.equal(line?.result, 'MATCHED', `${sale.requestNo}: ${shown}`);
        if (sale.status === 'SYNC') assert.equal(line?.bank?.amountFen, sale.amountFen, 'the bank lists the price');
      }
      const miswritten = sales.find((sale) => sale.status === 'SYNC')!.requestNo;
      const response = await fetch(`${suite.bank.bank.url}/ops/reconciliation-faults`, {
        method: 'POST',
        body: JSON.stringify({ requestNo: miswritten, fault: 'AMOUNT' }),
      });
      assert.equal(response.status, 200, await response.text());
      const second = await reconcileDay(suite.services, businessDate);
      assert.equal(resultOf(second.lines, miswritten)?.result, 'AMOUNT_MISMATCH');
    });
  });
}
