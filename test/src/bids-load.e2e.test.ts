// Proves a loan is never oversubscribed, through the gateway with every service its own process on
// MariaDB and RabbitMQ: 50 investors place 300 bids at once, about 2.5 times the loan, on one loan of
// 100,000.00. Exactly 100,000.00 of bids end FROZEN and the loan becomes FULLY_FUNDED; at the bank each
// investor's frozen amount is the sum of their FROZEN bids and their balance what they recharged less
// that, so a refused bid left no trace there; the bank's ledger checks out with one open freeze per
// FROZEN bid; every refused bid got CONFLICT or BAD_USER_INPUT, never an internal error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, mapBounded, parseMoney } from '@wanxin/platform';
import { brokerUrlUnderTest, dataOf, eventually, servicesRequired, type GraphQLResponse } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';

const servicesMissing = !process.env.DATABASE_URL || brokerUrlUnderTest() === null;
if (servicesMissing && servicesRequired()) throw new Error('REQUIRE_SERVICES=1 but DATABASE_URL or AMQP_URL is not set');

const INVESTORS = 50;
const BIDS = 300;
const LOAN_AMOUNT = '100000.00';
/** Bid amounts in turn: 840.00 on average, so 300 bids ask 252,000.00 of a 100,000.00 loan. */
const BID_AMOUNTS_YUAN = [100, 100, 200, 500, 500, 1000, 1000, 1000, 2000, 2000];
/** More than any investor's six bids can ask (6 × 2,000.00): no bid is refused for want of money. */
const RECHARGE = '20000.00';
/** Members registered at once: each goes through the bank's page twice. */
const REGISTRATION_CONCURRENCY = 10;
/** The codes a refused bid may get: the loan is full (CONFLICT) or the amount no longer fits (BAD_USER_INPUT). */
const REFUSAL_CODES = ['CONFLICT', 'BAD_USER_INPUT'];
/** Bids an investor lists in one page: each has 300 / 50 = 6. */
const INVESTOR_BIDS_PAGE = 100;

interface BidAttempt {
  investor: number;
  amountFen: bigint;
  response: GraphQLResponse;
}

const sumFen = (amounts: bigint[]) => amounts.reduce((sum, amount) => sum + amount, 0n);

describe('300 concurrent bids on one loan through the gateway (every service its own process, MariaDB, RabbitMQ, bank)', { skip: servicesMissing && 'DATABASE_URL or AMQP_URL is not set' }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;

  before(async () => {
    platform = await startPlatform('mysql', true, { BID_SETTLE_INTERVAL_MS: '500' });
    client = new MarketplaceClient(platform);
  });
  after(async () => platform?.stop());

  test('exactly the loan is frozen, the bank agrees investor by investor, every refusal is a clear error', async (t) => {
    const admin = await client.adminToken();
    const borrowerIdentity = identityFor(0);
    const borrower = await client.member(borrowerIdentity.mobile, 'BORROWER', borrowerIdentity.idNumber);
    const investors = await mapBounded(Array.from({ length: INVESTORS }, (_, index) => identityFor(index + 1)), REGISTRATION_CONCURRENCY, ({ mobile, idNumber }) =>
      client.member(mobile, 'INVESTOR', idNumber, RECHARGE));
    const loan = await client.publishLoan(borrower, LOAN_AMOUNT);
    assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
    // Bids learns of the loan from loans.loan.opened: wait for it so that no bid of the wave is NOT_FOUND.
    await eventually(async () => {
      const preview = await client.gateway('query($l: ID!) { bidPreview(loanId: $l) { remaining } }', { l: loan.id }, investors[0]);
      return preview.errors === undefined && dataOf(preview).bidPreview.remaining === LOAN_AMOUNT ? true : undefined;
    });

    const attempts: BidAttempt[] = await Promise.all(
      Array.from({ length: BIDS }, async (_, bid) => {
        const investor = bid % INVESTORS;
        // Each investor's six bids take different amounts from the list.
        const amountFen = parseMoney(String(BID_AMOUNTS_YUAN[(bid + Math.floor(bid / INVESTORS)) % BID_AMOUNTS_YUAN.length]));
        return { investor, amountFen, response: await client.placeBid(loan.id, formatMoney(amountFen), investors[investor]) };
      }),
    );
    const accepted = attempts.filter((attempt) => attempt.response.errors === undefined);
    const refused = attempts.filter((attempt) => attempt.response.errors !== undefined);
    assert.ok(sumFen(attempts.map((attempt) => attempt.amountFen)) > 2n * parseMoney(LOAN_AMOUNT), 'the wave asks more than twice the loan');
    for (const { response } of refused) {
      assert.equal(response.errors!.length, 1, JSON.stringify(response.errors));
      assert.ok(REFUSAL_CODES.includes(String(response.errors![0].extensions?.code)), `a refused bid says why: ${JSON.stringify(response.errors)}`);
    }
    assert.ok(refused.length > 0 && accepted.length > 0, `${accepted.length} accepted, ${refused.length} refused`);
    const waiting = accepted.filter((attempt) => dataOf(attempt.response).placeBid.status === 'PENDING').length;
    t.diagnostic(`${accepted.length} bids accepted (${waiting} of them PENDING at first), ${refused.length} refused`);

    // A bid whose freeze got no answer in time is PENDING until the settle job asks the bank again.
    const bidsOf = async (token: string) => {
      const page = await client.gateway('query($n: Int!) { me { bids(first: $n) { totalCount edges { node { id status amount loan { id } } } } } }', { n: INVESTOR_BIDS_PAGE }, token);
      return dataOf(page).me.bids as { totalCount: number; edges: { node: { id: string; status: string; amount: string; loan: { id: string } } }[] };
    };
    const settledBids = await eventually(async () => {
      const lists = await Promise.all(investors.map(bidsOf));
      return lists.every((list) => list.edges.every((edge) => edge.node.status !== 'PENDING')) ? lists : undefined;
    }, 60_000);

    const frozenFenByInvestor = settledBids.map((list) => sumFen(list.edges.filter((edge) => edge.node.status === 'FROZEN').map((edge) => parseMoney(edge.node.amount))));
    assert.equal(formatMoney(sumFen(frozenFenByInvestor)), LOAN_AMOUNT, 'Σ FROZEN bids is the loan, to the fen');
    settledBids.forEach((list, investor) => {
      assert.ok(list.totalCount <= INVESTOR_BIDS_PAGE, 'one page holds all of an investor\'s bids');
      const acceptedIds = accepted.filter((attempt) => attempt.investor === investor).map((attempt) => dataOf(attempt.response).placeBid.id).sort();
      assert.deepEqual(list.edges.map((edge) => edge.node.id).sort(), acceptedIds, `investor ${investor}: a refused bid left no bid row`);
      assert.ok(list.edges.every((edge) => edge.node.status === 'FROZEN' && edge.node.loan.id === loan.id), `investor ${investor}: every accepted bid is frozen`);
    });

    const full = await eventually(async () => {
      const shown = dataOf(await client.gateway('query($l: ID!) { loan(id: $l) { status funding { raised remaining bidCount } } }', { l: loan.id }, borrower)).loan;
      return shown.status === 'FULLY_FUNDED' ? shown : undefined;
    }, 30_000);
    assert.deepEqual(full.funding, { raised: LOAN_AMOUNT, remaining: '0.00', bidCount: accepted.length });

    // The bank, investor by investor (the agent reads balances live with QUERY_BALANCE).
    const atBank = await Promise.all(investors.map((token) => client.balances(token)));
    atBank.forEach((account, investor) => {
      const frozenFen = frozenFenByInvestor[investor];
      assert.deepEqual(account, { status: 'OPENED', frozen: formatMoney(frozenFen), balance: formatMoney(parseMoney(RECHARGE) - frozenFen) }, `investor ${investor} at the bank`);
    });
    assert.equal(formatMoney(sumFen(atBank.map((account) => parseMoney(account.frozen)))), LOAN_AMOUNT, 'the bank holds the loan frozen, to the fen');

    const ledger = await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`);
    const check = (await ledger.json()) as { ok: boolean; problems: string[]; openFreezeCount: number };
    assert.deepEqual({ ok: check.ok, problems: check.problems }, { ok: true, problems: [] }, 'the bank ledger balances');
    assert.equal(check.openFreezeCount, accepted.length, 'one open freeze at the bank per accepted bid, none for a refused one');
  });
});
