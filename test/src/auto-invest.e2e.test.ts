// Proves auto-invest (自动投标) through the gateway with every service its own process on MariaDB and
// RabbitMQ: setAutoInvest refuses bad rules (variables and literals) with BAD_USER_INPUT and changes
// nothing, a borrower or an anonymous caller is refused; three investors set rules (User.autoInvest shows
// each their own); a loan reviewed and opened for bids gets auto bids (`auto: true`) up to the auto share
// (0.5 of 5,000.00: 1,000.00, 1,000.00 and the third cut down to 500.00), frozen at the bank; a manual
// investor bids the rest (`auto: false`) and the loan fills.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, errorCodes, eventually, servicesUnderTest, waitFor } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import { lockRow } from './harness/repayments-db';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);
const SET = 'mutation($i: AutoInvestInput!) { setAutoInvest(input: $i) { id enabled amountPerLoan methods reserve } }';
const LOAN_BIDS =
  'query($id: ID!) { loan(id: $id) { status bids(first: 100) { edges { node { amount auto status investor { id } } } } } }';

describe('auto-invest through the gateway (every service its own process, MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;

  before(async () => {
    // One auto bid at a time and a quick poll: the kill test stops the engine between two of them.
    platform = await startPlatform('mysql', true, {
      BID_SETTLE_INTERVAL_MS: '500',
      AUTO_INVEST_BIDS_IN_FLIGHT: '1',
      AUTO_INVEST_INTERVAL_MS: '500',
    });
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  test('bad rules are refused and change nothing; only an investor sets one', async () => {
    const investor = await client.verifiedMember(identityFor(41).mobile, 'INVESTOR', identityFor(41).idNumber);
    const borrower = await client.verifiedMember(identityFor(42).mobile, 'BORROWER', identityFor(42).idNumber);
    const bad = [
      { amountPerLoan: '99.00' },
      { amountPerLoan: '150.00' },
      { amountPerLoan: '100.001' },
      { amountPerLoan: 10000 },
      { amountPerLoan: '1000.00', rateMin: '1.01' },
      { amountPerLoan: '1000.00', termMax: 0 },
      { amountPerLoan: '1000.00', methods: [] },
      { amountPerLoan: '1000.00', reserve: '-1.00' },
    ];
    for (const input of bad)
      assert.deepEqual(
        errorCodes(await client.gateway(SET, { i: input }, investor)),
        ['BAD_USER_INPUT'],
        JSON.stringify(input),
      );
    for (const literal of [
      '{ amountPerLoan: "99.00" }',
      '{ amountPerLoan: "150.00" }',
      '{ amountPerLoan: 10000 }',
      '{ amountPerLoan: "1000.00", rateMin: "-0.1" }',
      '{ amountPerLoan: "1000.00", termMax: 361 }',
    ]) {
      const response = await client.gateway(`mutation { setAutoInvest(input: ${literal}) { id } }`, {}, investor);
      assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT'], literal);
    }
    assert.deepEqual(errorCodes(await client.gateway(SET, { i: { amountPerLoan: '1000.00' } }, borrower)), [
      'FORBIDDEN',
    ]);
    assert.deepEqual(errorCodes(await client.gateway(SET, { i: { amountPerLoan: '1000.00' } })), ['UNAUTHENTICATED']);
    assert.equal(dataOf(await client.gateway('{ me { autoInvest { id } } }', {}, investor)).me.autoInvest, null);
  });

  test('a loan opened for bids gets auto bids up to the share; a manual investor bids the rest', async () => {
    const borrower = await client.member(identityFor(51).mobile, 'BORROWER', identityFor(51).idNumber);
    const investors = await Promise.all(
      [52, 53, 54].map((number) =>
        client.member(identityFor(number).mobile, 'INVESTOR', identityFor(number).idNumber, '5000.00'),
      ),
    );
    const manual = await client.member(identityFor(55).mobile, 'INVESTOR', identityFor(55).idNumber, '5000.00');
    for (const investor of investors) {
      const rule = dataOf(await client.gateway(SET, { i: { amountPerLoan: '1000.00', reserve: '100.00' } }, investor));
      assert.deepEqual([rule.setAutoInvest.enabled, rule.setAutoInvest.amountPerLoan], [true, '1000.00']);
      const own = dataOf(await client.gateway('{ me { autoInvest { id reserve } } }', {}, investor)).me.autoInvest;
      assert.deepEqual(own, { id: rule.setAutoInvest.id, reserve: '100.00' });
    }

    const loan = await client.publishLoan(borrower, '5000.00');
    assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
    const autoBids = await eventually(async () => {
      const { bids } = dataOf(await client.gateway(LOAN_BIDS, { id: loan.id })).loan;
      const nodes: { amount: string; auto: boolean; status: string }[] = bids.edges.map(
        (edge: { node: unknown }) => edge.node,
      );
      return nodes.length === 3 && nodes.every((node) => node.status === 'FROZEN') ? nodes : undefined;
    }, 60_000);
    assert.ok(autoBids.every((bid) => bid.auto));
    assert.deepEqual(autoBids.map((bid) => bid.amount).sort(), ['1000.00', '1000.00', '500.00']);

    const placed = dataOf(await client.placeBid(loan.id, '2500.00', manual)).placeBid;
    assert.equal(placed.status, 'FROZEN');
    const funded = await eventually(async () => {
      const current = dataOf(await client.gateway(LOAN_BIDS, { id: loan.id })).loan;
      return current.status === 'FULLY_FUNDED' ? current : undefined;
    }, 60_000);
    const autoFlags = funded.bids.edges.map((edge: { node: { auto: boolean } }) => edge.node.auto).sort();
    assert.deepEqual(autoFlags, [false, true, true, true]);
    const frozen = await Promise.all(investors.map(async (investor) => (await client.balances(investor)).frozen));
    assert.deepEqual(frozen.sort(), ['1000.00', '1000.00', '500.00']);
    assert.equal((await client.balances(manual)).frozen, '2500.00');
  });

  test("bids SIGKILLed in the middle of a loan's auto-invest pass: it resumes with one bid per rule", async () => {
    const borrower = await client.member(identityFor(61).mobile, 'BORROWER', identityFor(61).idNumber);
    const investors = await Promise.all(
      [62, 63, 64, 65, 66].map((number) =>
        client.member(identityFor(number).mobile, 'INVESTOR', identityFor(number).idNumber, '3000.00'),
      ),
    );
    const ruleIds: string[] = [];
    for (const investor of investors)
      ruleIds.push(dataOf(await client.gateway(SET, { i: { amountPerLoan: '1000.00' } }, investor)).setAutoInvest.id);
    // Never served, the new rules go first, by id; the third one's turn waits for its row, and bids dies there.
    const third = [...ruleIds].sort()[2];
    const lock = await lockRow(platform, 'auto_invest_rules', third);
    const loan = await client.publishLoan(borrower, '10000.00');
    const autoBids = async () => {
      const { bids } = dataOf(await client.gateway(LOAN_BIDS, { id: loan.id })).loan;
      return bids.edges.map((edge: { node: unknown }) => edge.node) as {
        amount: string;
        auto: boolean;
        status: string;
        investor: { id: string };
      }[];
    };
    try {
      assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
      await waitFor(() => lock.waitedFor(), { timeoutMs: 60_000, what: "the third rule's bid waits for its row" });
      assert.deepEqual(
        (await autoBids()).map((bid) => [bid.amount, bid.status]),
        [
          ['1000.00', 'FROZEN'],
          ['1000.00', 'FROZEN'],
        ],
        'two rules have bid',
      );
      await platform.restart('bids', { kill: true });
    } finally {
      await lock.release();
    }

    // The restarted engine takes the unfinished run up again: the share (5,000.00) fills, one bid per rule.
    const bids = await eventually(async () => {
      const current = await autoBids();
      return current.length === 5 && current.every((bid) => bid.status === 'FROZEN') ? current : undefined;
    }, 60_000);
    assert.ok(bids.every((bid) => bid.auto && bid.amount === '1000.00'));
    const investorIds = await Promise.all(
      investors.map(async (token) => dataOf(await client.gateway('{ me { id } }', {}, token)).me.id as string),
    );
    assert.deepEqual(bids.map((bid) => bid.investor.id).sort(), [...investorIds].sort(), 'each rule bid once');
    for (const investor of investors)
      assert.deepEqual(await client.balances(investor), { status: 'OPENED', balance: '2000.00', frozen: '1000.00' });
  });
});
