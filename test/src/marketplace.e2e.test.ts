// Proves the marketplace end to end through the gateway with every service its own process on MariaDB
// and RabbitMQ, every step driven by real events: accounts opened on the bank's page reach loans; a loan
// is published, reviewed (bank project), opened to bids (funding row by event); investors bid with bank
// freezes until it is full (loans learns it by event), each one's bidPreview showing their own available
// balance (depository adds it to bids' preview); the full review pays the borrower out at the bank
// and the bids become LOANED (by event) — every balance exact to the fen. A failed listing refunds. Each
// user's statement tells it in business terms, newest first, each entry's balances the bank's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, errorCodes, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

describe('marketplace through the gateway (every service its own process, MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  const gateway = (query: string, variables: Record<string, unknown>, token: string | undefined) =>
    client.gateway(query, variables, token);
  const balances = (token: string) => client.balances(token);
  const member = (mobile: string, role: 'BORROWER' | 'INVESTOR', idNumber: string, rechargeYuan?: string) =>
    client.member(mobile, role, idNumber, rechargeYuan);
  const placeBid = (loanId: string, amount: string, token: string) => client.placeBid(loanId, amount, token);
  const STATEMENT = '{ me { statement { totalCount edges { node { kind amount balanceAfter frozenAfter } } } } }';
  /** The user's statement, newest first, as `KIND amount balanceAfter/frozenAfter`, once it has `count` entries. */
  const statementOf = (token: string, count: number) =>
    eventually(async () => {
      const { totalCount, edges } = dataOf(await gateway(STATEMENT, {}, token)).me.statement;
      const lines = (edges as { node: Record<string, string> }[]).map(
        ({ node }) => `${node.kind} ${node.amount} ${node.balanceAfter}/${node.frozenAfter}`,
      );
      return totalCount === count ? lines : undefined;
    });

  /** A borrower's loan, approved and open for bids once bids has its funding row. */
  async function openLoan(borrower: string, amount: string): Promise<string> {
    const loan = await client.publishLoan(borrower, amount);
    assert.deepEqual([loan.status, loan.annualRate, loan.investorRate], ['PENDING_REVIEW', '0.15', '0.10']);
    assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
    return loan.id;
  }

  before(async () => {
    platform = await startPlatform('mysql', true, { BID_SETTLE_INTERVAL_MS: '500' });
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  test('publish → review → bids → full → payout, every balance exact to the fen', async () => {
    const borrower = await member('13500000001', 'BORROWER', '110105198912310028');
    const alice = await member('13500000002', 'INVESTOR', '110101199003071233', '2500.00');
    const bob = await member('13500000003', 'INVESTOR', '110101199003071241', '1000.00');
    const loanId = await openLoan(borrower, '3000.00');

    // The funding row comes from loans.loan.opened; bids wait for it.
    assert.equal((await client.frozenBid(loanId, '2000.00', alice)).status, 'FROZEN');
    assert.deepEqual(
      errorCodes(await placeBid(loanId, '950.00', bob)),
      ['BAD_USER_INPUT'],
      'would leave 50.00, below the minimum bid',
    );
    assert.deepEqual(errorCodes(await placeBid(loanId, '1000.00', borrower)), ['FORBIDDEN'], 'a borrower does not bid');
    // The depository subgraph adds each investor's own available balance to the preview bids makes.
    const preview = 'query($l: ID!, $a: Money) { bidPreview(loanId: $l, amount: $a) { remaining availableBalance } }';
    assert.deepEqual(dataOf(await gateway(preview, { l: loanId, a: '1000.00' }, bob)).bidPreview, {
      remaining: '1000.00',
      availableBalance: '1000.00',
    });
    const literalPreview = `{ bidPreview(loanId: "${loanId}", amount: "100.00") { remaining availableBalance } }`;
    assert.deepEqual(dataOf(await gateway(literalPreview, {}, alice)).bidPreview, {
      remaining: '1000.00',
      availableBalance: '500.00',
    });
    assert.equal(dataOf(await placeBid(loanId, '1000.00', bob)).placeBid.status, 'FROZEN');
    assert.deepEqual(await balances(alice), { status: 'OPENED', balance: '500.00', frozen: '2000.00' });

    const funding = '{ loan(id: "LOAN") { status funding { raised remaining bidCount progress } } }';
    const full = await eventually(async () => {
      const loan = dataOf(await gateway(funding.replace('LOAN', loanId), {}, borrower)).loan;
      return loan.status === 'FULLY_FUNDED' ? loan : undefined;
    });
    assert.deepEqual(full.funding, { raised: '3000.00', remaining: '0.00', bidCount: 2, progress: 1 });
    assert.deepEqual(errorCodes(await placeBid(loanId, '100.00', bob)), ['CONFLICT'], 'a full loan takes no bids');

    const payout = dataOf(
      await gateway('mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }', { id: loanId }, admin),
    ).reviewFullLoan;
    assert.equal(payout.status, 'REPAYING');
    assert.deepEqual(await balances(borrower), { status: 'OPENED', balance: '3000.00', frozen: '0.00' });
    assert.deepEqual(await balances(alice), { status: 'OPENED', balance: '500.00', frozen: '0.00' });
    assert.deepEqual(await balances(bob), { status: 'OPENED', balance: '0.00', frozen: '0.00' });
    // loans.loan.disbursed → bids LOANED.
    await eventually(async () => {
      const bids = dataOf(await gateway('{ me { bids { edges { node { status amount } } } } }', {}, alice)).me.bids
        .edges;
      return bids.length === 1 && bids[0].node.status === 'LOANED' ? true : undefined;
    });
    assert.deepEqual(await statementOf(alice, 3), [
      'LOAN_PAYOUT -2000.00 500.00/0.00',
      'BID_FROZEN 0.00 500.00/2000.00',
      'RECHARGE 2500.00 2500.00/0.00',
    ]);
    assert.deepEqual(await statementOf(borrower, 1), ['LOAN_PAYOUT 3000.00 3000.00/0.00']);
  });

  test('a statement refuses a reversed range, an impossible day and a foreign cursor', async () => {
    const dave = await member('13500000021', 'INVESTOR', '110101199003071268', '100.00');
    assert.deepEqual(await statementOf(dave, 1), ['RECHARGE 100.00 100.00/0.00']);
    const ranged =
      'query($f: Date, $t: Date, $a: String) { me { statement(from: $f, to: $t, after: $a) { totalCount } } }';
    const reversed = { f: '2026-12-09', t: '2026-12-01' };
    assert.deepEqual(errorCodes(await gateway(ranged, reversed, dave)), ['BAD_USER_INPUT'], 'to before from');
    const literal = '{ me { statement(from: "2026-12-09", to: "2026-12-01") { totalCount } } }';
    assert.deepEqual(errorCodes(await gateway(literal, {}, dave)), ['BAD_USER_INPUT'], 'as literals too');
    assert.deepEqual(errorCodes(await gateway(ranged, { f: '2026-02-30' }, dave)), ['BAD_USER_INPUT'], 'no such day');
    assert.deepEqual(errorCodes(await gateway(ranged, { a: 'LN1' }, dave)), ['BAD_USER_INPUT'], 'not a cursor');
    const empty = dataOf(await gateway(ranged, { f: '1999-01-01', t: '1999-12-31' }, dave)).me.statement;
    assert.equal(empty.totalCount, 0, 'no entry outside the range');
  });

  test('a listing that fails at full review refunds every investor to the fen', async () => {
    const borrower = await member('13500000011', 'BORROWER', '110105198912310036');
    const carol = await member('13500000012', 'INVESTOR', '11010119900307125X', '5000.00');
    const loanId = await openLoan(borrower, '2000.00');
    const bid = await client.firstBid(loanId, '2000.00', carol);
    assert.equal(dataOf(bid).placeBid.status, 'FROZEN');
    await eventually(async () =>
      dataOf(await gateway(`{ loan(id: "${loanId}") { status } }`, {}, borrower)).loan.status === 'FULLY_FUNDED'
        ? true
        : undefined,
    );
    const refused = dataOf(
      await gateway(
        'mutation($id: ID!) { reviewFullLoan(id: $id, approve: false, reason: "risk review") { status } }',
        { id: loanId },
        admin,
      ),
    ).reviewFullLoan;
    assert.equal(refused.status, 'FAILED');
    // loans.loan.failed → bids releases the freeze at the bank and refunds.
    await eventually(async () => {
      const account = await balances(carol);
      return account.balance === '5000.00' && account.frozen === '0.00' ? true : undefined;
    }, 30_000);
    await eventually(async () => {
      const bids = dataOf(await gateway('{ me { bids { edges { node { status } } } } }', {}, carol)).me.bids.edges;
      return bids[0]?.node.status === 'REFUNDED' ? true : undefined;
    }, 30_000);
    assert.deepEqual(await balances(borrower), { status: 'OPENED', balance: '0.00', frozen: '0.00' });
    assert.deepEqual(await statementOf(carol, 3), [
      'BID_RELEASED 0.00 5000.00/0.00',
      'BID_FROZEN 0.00 3000.00/2000.00',
      'RECHARGE 5000.00 5000.00/0.00',
    ]);
  });
});
