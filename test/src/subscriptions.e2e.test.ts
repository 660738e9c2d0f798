// Proves live subscriptions through the gateway with every service its own process on MariaDB and
// RabbitMQ, fed by the subgraphs' real events: loanFunding pushes one event per accepted bid, in order,
// with fields of every owning subgraph filled and progress reaching 1; two gateways both deliver every
// event (each has its own queue); a bids subgraph killed and restarted loses no later event;
// repaymentStatus refuses an investor who is not on the loan (an error, no events) until their first bid
// is frozen, and platformStats
// anyone but an admin, while the borrower and an investor of the loan hear the installment the daily run
// repays, repaidAt on the business due date, and the admin's platformStats moves to that business day
// with its installment counted; a gateway started while the business date is ahead counts that day from
// its first event; a bad token is refused with close code 4401.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'graphql-ws';
import { addDays, utcDateOf } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import type { ServiceProcess } from './harness/processes';
import { connectSubscriptions, gatewayMetric, subscribed, watch } from './harness/subscription-client';

const SUBSCRIBERS = 'wanxin_subscription_subscribers';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const LOAN_FUNDING = `subscription($loanId: ID!) {
  loanFunding(loanId: $loanId) {
    loan { id title status borrower { id mobile } }
    funding { raised remaining bidCount progress }
    lastBid { id amount status investor { id role } }
  }
}`;

interface FundingEvent {
  loan: { id: string; title: string; status: string; borrower: { id: string; mobile: string } };
  funding: { raised: string; remaining: string; bidCount: number; progress: number };
  lastBid: { id: string; amount: string; status: string; investor: { id: string; role: string } } | null;
}

const bidIdsOf = (events: FundingEvent[]) =>
  events.flatMap((event) => (event.lastBid === null ? [] : [event.lastBid.id]));

describe('subscriptions through the gateway (every service its own process, MariaDB, RabbitMQ)', { skip }, () => {
  let platform: RunningPlatform;
  let secondGateway: ServiceProcess;
  let client: MarketplaceClient;
  let admin: string;
  let borrower: string;
  let alice: string;
  let bob: string;
  const clients: Client[] = [];
  const connect = (url: string, token?: string) => {
    const connection = connectSubscriptions(url, token);
    clients.push(connection.client);
    return connection;
  };
  /** The caller's user id, from the gateway. */
  const idOf = async (token: string): Promise<string> => dataOf(await client.gateway('{ me { id } }', {}, token)).me.id;
  /** A loan open for bids (the funding row in bids follows by event: the first bid waits for it). */
  const openLoan = async (amount: string): Promise<string> => {
    const { id } = await client.publishLoan(borrower, amount);
    await client.approveLoan(admin, id);
    return id;
  };
  /** An accepted bid's id; the first bid on a loan waits until bids has heard of the loan. */
  const bid = async (loanId: string, amount: string, investor: string, first = false): Promise<string> => {
    const placed = dataOf(
      await (first ? client.firstBid(loanId, amount, investor) : client.placeBid(loanId, amount, investor)),
    ).placeBid;
    assert.equal(placed.status, 'FROZEN');
    return placed.id;
  };

  before(async () => {
    platform = await startPlatform('mysql', true, { BID_SETTLE_INTERVAL_MS: '500' });
    secondGateway = await platform.startGateway();
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
    borrower = await client.member('13600000001', 'BORROWER', '110105198912310028');
    alice = await client.member('13600000002', 'INVESTOR', '110101199003071233', '20000.00');
    bob = await client.member('13600000003', 'INVESTOR', '110101199003071241', '20000.00');
  });
  after(async () => {
    for (const client of clients) await client.dispose();
    await platform?.stop();
  });

  test('loanFunding: one event per accepted bid, in order, federated fields filled, progress reaching 1 — on both gateways', async () => {
    const loanId = await openLoan('3000.00');
    const baseline = await gatewayMetric(platform.gateway.url, SUBSCRIBERS);
    const onFirst = watch<FundingEvent>(connect(platform.gateway.url, borrower).client, 'loanFunding', LOAN_FUNDING, {
      loanId,
    });
    const onSecond = watch<FundingEvent>(connect(secondGateway.url, alice).client, 'loanFunding', LOAN_FUNDING, {
      loanId,
    });
    await subscribed(platform.gateway.url, baseline + 1);
    await subscribed(secondGateway.url, 1);

    const placed = [
      await bid(loanId, '1000.00', alice, true),
      await bid(loanId, '500.00', bob),
      await bid(loanId, '1500.00', alice),
    ];
    for (const watched of [onFirst, onSecond]) {
      await eventually(
        async () => (bidIdsOf(watched.events).length === placed.length || watched.errors ? true : undefined),
        30_000,
      );
      assert.deepEqual(watched.errors, undefined);
      assert.deepEqual(bidIdsOf(watched.events), placed, 'one event per accepted bid, in the order they were accepted');
    }
    const [aliceId, bobId, borrowerId] = await Promise.all([idOf(alice), idOf(bob), idOf(borrower)]);
    const bidEvents = onFirst.events.filter((event) => event.lastBid !== null);
    assert.deepEqual(
      bidEvents.map((event) => [event.lastBid!.amount, event.lastBid!.investor]),
      [
        ['1000.00', { id: aliceId, role: 'INVESTOR' }],
        ['500.00', { id: bobId, role: 'INVESTOR' }],
        ['1500.00', { id: aliceId, role: 'INVESTOR' }],
      ],
    );
    for (const [watched, mobile] of [
      [onFirst, '13600000001'],
      [onSecond, '136****0001'],
    ] as const) {
      for (const event of watched.events) {
        assert.equal(event.loan.title, '装修贷款', 'Loan.title from loans');
        assert.deepEqual(
          event.loan.borrower,
          { id: borrowerId, mobile },
          'User.mobile from users, as the subscriber may see it',
        );
      }
    }
    const raised = bidEvents.map((event) => Number(event.funding.raised));
    assert.deepEqual(
      [...raised].sort((a, b) => a - b),
      raised,
      'funding never goes back',
    );
    const last = bidEvents[bidEvents.length - 1];
    assert.deepEqual(last.funding, { raised: '3000.00', remaining: '0.00', bidCount: 3, progress: 1 });
    assert.deepEqual(onSecond.events.filter((event) => event.lastBid !== null).pop()!.funding, last.funding);
  });

  test('a bids subgraph killed (SIGKILL) and restarted loses no later event', async () => {
    const loanId = await openLoan('2000.00');
    const baseline = await gatewayMetric(platform.gateway.url, SUBSCRIBERS);
    const watched = watch<FundingEvent>(connect(platform.gateway.url, bob).client, 'loanFunding', LOAN_FUNDING, {
      loanId,
    });
    await subscribed(platform.gateway.url, baseline + 1);
    const first = await bid(loanId, '1000.00', alice, true);
    await eventually(async () => (bidIdsOf(watched.events).includes(first) ? true : undefined), 30_000);
    await platform.restart('bids', { kill: true });
    const second = await eventually(async () => bid(loanId, '1000.00', bob).catch(() => undefined), 30_000);
    await eventually(async () => (bidIdsOf(watched.events).length === 2 ? true : undefined), 60_000);
    assert.deepEqual(bidIdsOf(watched.events), [first, second]);
    assert.equal(watched.events.filter((event) => event.lastBid !== null).pop()!.funding.progress, 1);
  });

  test('repaymentStatus: an investor who is not on the loan is refused (an error, no events); so is anyone signed out', async () => {
    const loanId = await openLoan('2000.00');
    const carol = await client.member('13600000004', 'INVESTOR', '11010119900307125X');
    const query =
      'subscription($loanId: ID!) { repaymentStatus(loanId: $loanId) { installment { id status } loan { id } } }';
    const outsider = watch(connect(platform.gateway.url, carol).client, 'repaymentStatus', query, { loanId });
    const anonymous = watch(connect(platform.gateway.url).client, 'repaymentStatus', query, { loanId });
    await eventually(async () => (outsider.errors !== undefined && anonymous.errors !== undefined ? true : undefined));
    assert.deepEqual(
      outsider.errors!.map((error) => error.extensions?.code),
      ['FORBIDDEN'],
    );
    assert.deepEqual(
      anonymous.errors!.map((error) => error.extensions?.code),
      ['UNAUTHENTICATED'],
    );
    assert.deepEqual([outsider.events, anonymous.events], [[], []]);
    // With a frozen bid on the fundraising loan the same investor may follow it, before any payout.
    const baseline = await gatewayMetric(platform.gateway.url, SUBSCRIBERS);
    await client.moveMoney(carol, 'recharge', '500.00');
    await bid(loanId, '500.00', carol, true);
    const investor = watch(connect(platform.gateway.url, carol).client, 'repaymentStatus', query, { loanId });
    await subscribed(platform.gateway.url, baseline + 1);
    assert.equal(investor.errors, undefined, 'accepted from the first frozen bid');
  });

  test('platformStats: admins get the figures after each event, everyone else is refused', async () => {
    const query = 'subscription { platformStats { date loansFundraising amountRaisedToday } }';
    const baseline = await gatewayMetric(platform.gateway.url, SUBSCRIBERS);
    const refused = watch(connect(platform.gateway.url, alice).client, 'platformStats', query);
    const stats = watch<{ date: string; loansFundraising: number; amountRaisedToday: string }>(
      connect(platform.gateway.url, admin).client,
      'platformStats',
      query,
    );
    await eventually(async () => (refused.errors !== undefined ? true : undefined));
    assert.deepEqual(
      refused.errors!.map((error) => error.extensions?.code),
      ['FORBIDDEN'],
    );
    await subscribed(platform.gateway.url, baseline + 1);
    await bid(await openLoan('2000.00'), '700.00', alice, true);
    const latest = await eventually(async () => stats.events.find((event) => Number(event.amountRaisedToday) >= 700));
    assert.equal(latest.date, new Date().toISOString().slice(0, 10));
    assert.ok(latest.loansFundraising >= 1, 'the loan open for bids counts');
  });

  test("repaymentStatus: the borrower and the loan's investors hear an installment repaid by the daily run", async () => {
    const loanId = await openLoan('2000.00');
    await bid(loanId, '1000.00', alice, true);
    await bid(loanId, '1000.00', bob);
    await eventually(
      async () =>
        dataOf(await client.gateway('query($id: ID!) { loan(id: $id) { status } }', { id: loanId }, admin)).loan
          .status === 'FULLY_FUNDED'
          ? true
          : undefined,
      30_000,
    );
    dataOf(
      await client.gateway(
        'mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }',
        { id: loanId },
        admin,
      ),
    );
    // repayments builds the schedule from loans.loan.disbursed.
    const schedule = await eventually(async () => {
      const rows = dataOf(
        await client.gateway(
          'query($id: ID!) { loan(id: $id) { schedule { period dueDate amount } } }',
          { id: loanId },
          borrower,
        ),
      ).loan.schedule;
      return rows.length === 3 ? rows : undefined;
    }, 30_000);
    const query =
      'subscription($loanId: ID!) { repaymentStatus(loanId: $loanId) { loan { id status } installment { period status amount repaidAt } } }';
    const baseline = await gatewayMetric(platform.gateway.url, SUBSCRIBERS);
    type Repayment = {
      loan: { id: string; status: string };
      installment: { period: number; status: string; amount: string; repaidAt: string | null };
    };
    const asBorrower = watch<Repayment>(connect(platform.gateway.url, borrower).client, 'repaymentStatus', query, {
      loanId,
    });
    const asInvestor = watch<Repayment>(connect(platform.gateway.url, alice).client, 'repaymentStatus', query, {
      loanId,
    });
    const stats = watch<{ date: string; installmentsDueToday: number }>(
      connect(platform.gateway.url, admin).client,
      'platformStats',
      'subscription { platformStats { date installmentsDueToday } }',
    );
    await subscribed(platform.gateway.url, baseline + 3);
    dataOf(
      await client.gateway(
        'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate } }',
        { d: schedule[0].dueDate },
        admin,
      ),
    );
    for (const watched of [asBorrower, asInvestor]) {
      const repaid = await eventually(
        async () => watched.events.find((event) => event.installment.status === 'REPAID'),
        30_000,
      );
      assert.deepEqual(
        [repaid.loan, repaid.installment.period, repaid.installment.amount],
        [{ id: loanId, status: 'REPAYING' }, 1, schedule[0].amount],
      );
      assert.equal(repaid.installment.repaidAt?.slice(0, 10), schedule[0].dueDate, 'repaid on the business date');
      assert.equal(watched.errors, undefined);
    }
    // "Today" of the admin's figures follows the business date (the wall clock is a month behind it).
    const dueDay = await eventually(
      async () => stats.events.find((event) => event.date === schedule[0].dueDate),
      30_000,
    );
    assert.ok(dueDay.installmentsDueToday >= 1, 'the installment due that business day counts');
    assert.equal(stats.errors, undefined);
  });

  test('a gateway started while the business date is ahead of the wall clock counts the business day from its first event', async () => {
    const current = dataOf(await client.gateway('{ businessDate }', {}, admin)).businessDate as string;
    const ahead = addDays(current > utcDateOf(new Date()) ? current : utcDateOf(new Date()), 1);
    dataOf(await client.gateway(`mutation { runDailyJobs(date: "${ahead}") { businessDate } }`, {}, admin));
    const late = await platform.startGateway();
    try {
      const baseline = await gatewayMetric(late.url, SUBSCRIBERS);
      const stats = watch<{ date: string }>(
        connect(late.url, admin).client,
        'platformStats',
        'subscription { platformStats { date } }',
      );
      await subscribed(late.url, baseline + 1);
      await bid(await openLoan('2000.00'), '100.00', alice, true);
      const first = await eventually(async () => stats.events[0]);
      assert.equal(first.date, ahead, 'the business clock read at start, not the UTC day');
    } finally {
      await late.stop();
    }
  });

  test('a token that does not verify closes the socket with 4401', async () => {
    const { client, closeCodes } = connect(platform.gateway.url, 'not.a.jwt');
    const watched = watch(client, 'platformStats', 'subscription { platformStats { date } }');
    await eventually(async () => (closeCodes.length > 0 ? true : undefined));
    assert.deepEqual(closeCodes, [4401]);
    assert.deepEqual(watched.events, []);
  });
});
