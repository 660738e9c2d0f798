// Proves the claim-transfer market (债权转让) end to end through the gateway, every service its own process on
// MariaDB and RabbitMQ with the bank simulator: a 12-month 12,000.00 loan funded 6,000.00 / 6,000.00 is paid
// out and period 1 repaid; the first investor lists their holding (User.holdings names the bid) and bad
// input is refused — as variables and as literals in the document — changing nothing; transferMarket pushes
// the listing and the sale to an investor subscribed, with federated fields (the bid's amount from bids);
// another investor buys it; periods
// 2–12 are then paid to the buyer only. At the bank the seller got Σ period-1 receivable + price − fee, the
// buyer paid the price and got Σ periods 2–12 of the holding, the platform got the fee (plus each period's
// commission), to the fen; the test prints that money table.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, parseMoney } from '@wanxin/platform';
import { dataOf, eventually, errorCodes, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { QUICK_REPAYMENT_JOBS, startPlatform, type RunningPlatform } from './harness/platform';
import { killWhileWaitingOnRow } from './harness/repayments-db';
import { connectSubscriptions, subscribed, watch } from './harness/subscription-client';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const RUN = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate installmentsRepaid collectionsBusy } }';
const HOLDINGS = '{ me { holdings(first: 10) { totalCount edges { node { id amount status } } } } }';
const RECEIVABLES =
  '{ me { receivables(first: 100) { edges { node { principal interest status bid { id } installment { period } } } } } }';
const LIST = 'mutation($b: ID!, $p: Money!) { listTransfer(bidId: $b, price: $p) { id status principal price fee } }';
const BUY =
  'mutation($t: ID!) { buyTransfer(id: $t) { id status price fee soldAt seller { id } buyer { id } bid { id amount } } }';
const MARKET = 'subscription { transferMarket { id status price bid { id amount } seller { id } buyer { id } } }';

interface Receivable {
  principal: string;
  interest: string;
  status: string;
  bid: { id: string };
  installment: { period: number };
}

const sumFen = (values: string[]) => values.reduce((total, value) => total + parseMoney(value), 0n);

describe('claim transfer through the gateway (services in processes, MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let memberNumber = 900;

  const member = async (role: 'BORROWER' | 'INVESTOR', rechargeYuan: string) => {
    const { mobile, idNumber } = identityFor(memberNumber++);
    return client.member(mobile, role, idNumber, rechargeYuan);
  };
  const balanceFen = async (token: string) => parseMoney((await client.balances(token)).balance);
  const ledger = async () =>
    (await (await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`)).json()) as {
      ok: boolean;
      problems: string[];
      platformFeeFen: string;
    };
  const platformFeeFen = async () => BigInt((await ledger()).platformFeeFen);
  const receivablesOf = async (token: string): Promise<Receivable[]> =>
    (dataOf(await client.gateway(RECEIVABLES, {}, token)).me.receivables.edges as { node: Receivable }[]).map(
      (edge) => edge.node,
    );
  const idOf = async (token: string): Promise<string> => dataOf(await client.gateway('{ me { id } }', {}, token)).me.id;

  before(async () => {
    platform = await startPlatform('mysql', true, QUICK_REPAYMENT_JOBS);
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  test('a holding sold after period 1: periods 2–12 paid to the buyer only, every account to the fen', async () => {
    const borrower = await member('BORROWER', '2000.00');
    const seller = await member('INVESTOR', '6000.00');
    const other = await member('INVESTOR', '6000.00');
    const buyer = await member('INVESTOR', '7000.00');
    const { loanId, schedule } = await client.repayingLoan(admin, borrower, '12000.00', 12, [
      [seller, '6000.00'],
      [other, '6000.00'],
    ]);
    dataOf(await client.gateway(RUN, { d: schedule[0].dueDate }, admin));
    // Period 1 reaches both investors (CONFIRM_REPAYMENT follows the repaid event).
    await eventually(async () =>
      (await balanceFen(seller)) > 0n && (await balanceFen(other)) > 0n ? true : undefined,
    );
    const holdings = dataOf(await client.gateway(HOLDINGS, {}, seller)).me.holdings;
    assert.equal(holdings.totalCount, 1);
    const bid = holdings.edges[0].node as { id: string; amount: string; status: string };
    assert.deepEqual([bid.amount, bid.status], ['6000.00', 'LOANED'], 'the holding is the bid, resolved by bids');
    const held = (await receivablesOf(seller)).filter((row) => row.status === 'PENDING');
    const principalFen = sumFen(held.map((row) => row.principal));
    const price = formatMoney(principalFen);

    // Bad input, as variables and as literals: each refused with its code, nothing listed.
    const otherBid = dataOf(await client.gateway(HOLDINGS, {}, other)).me.holdings.edges[0].node.id as string;
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ b: bid.id, p: '0' }, seller, 'BAD_USER_INPUT'],
      [{ b: bid.id, p: '-5.00' }, seller, 'BAD_USER_INPUT'],
      [{ b: bid.id, p: '100.001' }, seller, 'BAD_USER_INPUT'],
      [{ b: bid.id, p: '1.00' }, seller, 'BAD_USER_INPUT'],
      [{ b: bid.id, p: 100 }, seller, 'BAD_USER_INPUT'],
      [{ b: otherBid, p: price }, seller, 'FORBIDDEN'],
      [{ b: bid.id, p: price }, borrower, 'FORBIDDEN'],
    ];
    for (const [variables, token, code] of refusals)
      assert.deepEqual(errorCodes(await client.gateway(LIST, variables, token)), [code], JSON.stringify(variables));
    const literal = (p: string) => `mutation { listTransfer(bidId: "${bid.id}", price: ${p}) { id } }`;
    for (const p of ['"0"', '"-1"', '"1.001"', '100', '"1.00"'])
      assert.deepEqual(errorCodes(await client.gateway(literal(p), {}, seller)), ['BAD_USER_INPUT'], p);
    const market = '{ transfers(first: 10) { totalCount } }';
    assert.equal(dataOf(await client.gateway(market, {}, buyer)).transfers.totalCount, 0, 'nothing was listed');

    // The market, as an investor watching it.
    const { client: socket } = connectSubscriptions(platform.gateway.url, buyer);
    const pushed = watch<{ id: string; status: string; buyer: { id: string } | null; bid: { amount: string } }>(
      socket,
      'transferMarket',
      MARKET,
    );
    await subscribed(platform.gateway.url, 1);
    const listed = dataOf(await client.gateway(LIST, { b: bid.id, p: price }, seller)).listTransfer;
    assert.deepEqual([listed.status, listed.principal, listed.price], ['LISTED', price, price]);
    assert.deepEqual(errorCodes(await client.gateway(BUY, { t: listed.id }, seller)), ['FORBIDDEN'], 'not your own');

    const before = { seller: await balanceFen(seller), buyer: await balanceFen(buyer), fee: await platformFeeFen() };
    const sold = dataOf(await client.gateway(BUY, { t: listed.id }, buyer)).buyTransfer;
    const buyerId = await idOf(buyer);
    assert.deepEqual(
      [sold.status, sold.buyer.id, sold.seller.id, sold.bid.amount],
      ['SOLD', buyerId, await idOf(seller), '6000.00'],
    );
    assert.deepEqual(errorCodes(await client.gateway(BUY, { t: listed.id }, other)), ['CONFLICT'], 'sold once');
    await eventually(async () => (pushed.events.length >= 2 ? true : undefined));
    // Each push reads the transfer as it stands then: the listing's may already show it SOLD.
    assert.ok(pushed.events.every((event) => event.id === listed.id && event.bid.amount === '6000.00'));
    assert.deepEqual([pushed.events.at(-1)!.status, pushed.events.at(-1)!.buyer?.id], ['SOLD', buyerId]);
    pushed.stop();
    const priceFen = parseMoney(sold.price);
    const feeFen = parseMoney(sold.fee);
    assert.equal((await balanceFen(seller)) - before.seller, priceFen - feeFen);
    assert.equal(before.buyer - (await balanceFen(buyer)), priceFen);
    assert.equal((await platformFeeFen()) - before.fee, feeFen);
    assert.equal(dataOf(await client.gateway(HOLDINGS, {}, seller)).me.holdings.totalCount, 0);
    assert.equal(dataOf(await client.gateway(HOLDINGS, {}, buyer)).me.holdings.edges[0].node.id, bid.id);

    // Periods 2–12: the holding's receivables are paid to the buyer only.
    const afterSale = {
      seller: await balanceFen(seller),
      buyer: await balanceFen(buyer),
      other: await balanceFen(other),
    };
    for (const installment of schedule.slice(1)) dataOf(await client.gateway(RUN, { d: installment.dueDate }, admin));
    await eventually(
      async () => ((await client.loanSchedule(loanId, borrower)).status === 'SETTLED' ? true : undefined),
      30_000,
    );
    const bought = await receivablesOf(buyer);
    assert.deepEqual(
      bought.map((row) => row.installment.period).sort((a, b) => a - b),
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    assert.equal(sumFen(bought.map((row) => row.principal)), principalFen, 'the buyer got back the principal bought');
    const buyerDueFen = sumFen(bought.flatMap((row) => [row.principal, row.interest]));
    const otherRows = (await receivablesOf(other)).filter((row) => row.installment.period > 1);
    const otherDueFen = sumFen(otherRows.flatMap((row) => [row.principal, row.interest]));
    await eventually(
      async () =>
        (await balanceFen(buyer)) - afterSale.buyer === buyerDueFen &&
        (await balanceFen(other)) - afterSale.other === otherDueFen
          ? true
          : undefined,
      30_000,
    );
    assert.equal(await balanceFen(seller), afterSale.seller, 'the seller is paid nothing after the sale');
    const sellerRows = await receivablesOf(seller);
    assert.deepEqual(
      sellerRows.map((row) => [row.installment.period, row.status]),
      [[1, 'RECEIVED']],
    );
    const sellerPeriod1Fen = sumFen(sellerRows.flatMap((row) => [row.principal, row.interest]));
    console.log(
      [
        'claim transfer, money at the bank (yuan):',
        `  seller   6000.00 lent → period 1 ${formatMoney(sellerPeriod1Fen)} + price ${sold.price} − fee ${sold.fee} = ${formatMoney(sellerPeriod1Fen + priceFen - feeFen)}; holds ${formatMoney(await balanceFen(seller))}`,
        `  buyer    paid ${sold.price} → periods 2–12 ${formatMoney(buyerDueFen)} (principal ${formatMoney(principalFen)}); net ${formatMoney(buyerDueFen - priceFen)}`,
        `  other    periods 2–12 ${formatMoney(otherDueFen)}`,
        `  platform transfer fee ${sold.fee}`,
      ].join('\n'),
    );
  });

  test("repayments SIGKILLed between the bank's answer to a sale and its commit: the settle pass sells it once", async () => {
    const borrower = await member('BORROWER', '500.00');
    const seller = await member('INVESTOR', '3000.00');
    const buyer = await member('INVESTOR', '4000.00');
    const { schedule } = await client.repayingLoan(admin, borrower, '3000.00', 3, [[seller, '3000.00']]);
    dataOf(await client.gateway(RUN, { d: schedule[0].dueDate }, admin));
    await eventually(async () => ((await balanceFen(seller)) > 0n ? true : undefined));
    const bidId = dataOf(await client.gateway(HOLDINGS, {}, seller)).me.holdings.edges[0].node.id as string;
    const held = (await receivablesOf(seller)).filter((row) => row.status === 'PENDING');
    const listed = dataOf(
      await client.gateway(LIST, { b: bidId, p: formatMoney(sumFen(held.map((row) => row.principal))) }, seller),
    ).listTransfer;
    const before = { seller: await balanceFen(seller), buyer: await balanceFen(buyer), fee: await platformFeeFen() };

    // The bank moves the price; moving the bid's loan share to the buyer waits for its row, and repayments
    // dies there: the transfer stays SELLING with the money already moved.
    await killWhileWaitingOnRow(
      platform,
      { table: 'loan_shares', id: bidId },
      () => client.gateway(BUY, { t: listed.id }, buyer),
      {
        what: "the sale waits to move the bid's loan share",
        whileWaiting: async () =>
          assert.equal(before.buyer - (await balanceFen(buyer)), parseMoney(listed.price), 'the bank has the price'),
      },
    );

    // After the grace period the settle pass sends the same requestNo; the bank answers what it did.
    const TRANSFER = 'query($t: ID!) { transfer(id: $t) { status buyer { id } } }';
    const sold = await eventually(async () => {
      const transfer = dataOf(await client.gateway(TRANSFER, { t: listed.id }, buyer)).transfer;
      return transfer.status === 'SOLD' ? transfer : undefined;
    }, 40_000);
    assert.equal(sold.buyer.id, await idOf(buyer));
    const priceFen = parseMoney(listed.price);
    const feeFen = parseMoney(listed.fee);
    assert.equal((await balanceFen(seller)) - before.seller, priceFen - feeFen, 'the seller is paid once');
    assert.equal(before.buyer - (await balanceFen(buyer)), priceFen, 'the buyer is charged once');
    assert.equal((await platformFeeFen()) - before.fee, feeFen, 'the fee is taken once');
    assert.equal(dataOf(await client.gateway(HOLDINGS, {}, buyer)).me.holdings.edges[0].node.id, bidId);
    assert.equal(dataOf(await client.gateway(HOLDINGS, {}, seller)).me.holdings.totalCount, 0);

    // Periods 2 and 3 are paid to the buyer only, and the bank's books balance.
    const afterSale = { seller: await balanceFen(seller), buyer: await balanceFen(buyer) };
    for (const installment of schedule.slice(1)) dataOf(await client.gateway(RUN, { d: installment.dueDate }, admin));
    const bought = await eventually(async () => {
      const rows = await receivablesOf(buyer);
      return rows.length === 2 && rows.every((row) => row.status === 'RECEIVED') ? rows : undefined;
    }, 30_000);
    const dueFen = sumFen(bought.flatMap((row) => [row.principal, row.interest]));
    await eventually(async () => ((await balanceFen(buyer)) - afterSale.buyer === dueFen ? true : undefined), 30_000);
    assert.equal(await balanceFen(seller), afterSale.seller, 'the seller is paid nothing after the sale');
    assert.deepEqual((await ledger()).problems, []);
  });
});
