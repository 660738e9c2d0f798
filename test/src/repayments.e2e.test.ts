// Proves repayment end to end through the gateway with every service its own process on MariaDB and
// RabbitMQ, every step driven by real events: a 12-month equal-installment loan funded by 3 investors in
// unequal parts is paid out; the admin walks the business date through all 12 due dates with
// runDailyJobs; on each the admin's platformStats counts the installment due that business day, and each
// installment's repaidAt falls on it; every installment is REPAID, loans hears repayments.loan.settled
// (SETTLED); at the bank the borrower paid exactly Σ installments, each investor received exactly Σ of their receivables and the
// platform exactly the commission, and the ledger checks out. Then the repayments service is SIGKILLed
// twice — right after a run (confirmations in flight) and in the middle of a run (held, by a row lock the
// test takes on the loan in MariaDB, at the due date it is collecting) — and after each restart every
// installment still settles, once: no freeze taken twice, no investor paid twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, formatMoney, parseMoney } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest, type GraphQLResponse } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { QUICK_REPAYMENT_JOBS, startPlatform, type RunningPlatform } from './harness/platform';
import { killWhileWaitingOnRow } from './harness/repayments-db';
import { readInbox } from '@wanxin/sms-simulator/testing';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const STATS = '{ platformStats { date installmentsDueToday } }';
const RECEIVABLES =
  '{ me { receivables(first: 100) { edges { node { principal interest penalty status bid { amount } installment { period status } } } } } }';
const REPAY_INSTALLMENT = 'mutation($i: ID!) { repayInstallment(installmentId: $i) { status penalty } }';
const PAYOFF = 'query($l: ID!) { payoffQuote(loanId: $l) { principal interest penalty total asOf } }';
const RUN =
  'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate daysRun installmentsRepaid collectionsRefused } }';

const sumFen = (values: string[]) => values.reduce((total, value) => total + parseMoney(value), 0n);

describe('repayments through the gateway (every service its own process, MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let memberNumber = 500;

  const loanOf = (loanId: string, token: string) => client.loanSchedule(loanId, token);
  const ledger = async () =>
    (await (await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`)).json()) as {
      ok: boolean;
      problems: string[];
      openFreezeCount: number;
      platformFeeFen: string;
    };
  const member = async (role: 'BORROWER' | 'INVESTOR', rechargeYuan: string) => {
    const { mobile, idNumber } = identityFor(memberNumber++);
    return client.member(mobile, role, idNumber, rechargeYuan);
  };

  const repayingLoan = (borrower: string, amount: string, termMonths: number, bids: [string, string][]) =>
    client.repayingLoan(admin, borrower, amount, termMonths, bids);

  /** What each investor should hold once everything is repaid: Σ of their receivables' principal + interest + penalty. */
  async function receivablesDue(investor: string): Promise<bigint> {
    const edges = dataOf(await client.gateway(RECEIVABLES, {}, investor)).me.receivables.edges as {
      node: { principal: string; interest: string; penalty: string; status: string };
    }[];
    assert.ok(edges.every((edge) => edge.node.status === 'RECEIVED'));
    return sumFen(edges.flatMap((edge) => [edge.node.principal, edge.node.interest, edge.node.penalty]));
  }

  /**
   * Confirmations arrive by event and the settle pass: until every investor holds exactly Σ of their
   * receivables; those sums.
   */
  async function untilInvestorsHoldTheirDue(investors: string[]): Promise<bigint[]> {
    const dueFen = await Promise.all(investors.map(receivablesDue));
    await eventually(async () => {
      const held = await Promise.all(
        investors.map(async (investor) => parseMoney((await client.balances(investor)).balance)),
      );
      return held.every((fen, index) => fen === dueFen[index]) ? true : undefined;
    }, 30_000);
    return dueFen;
  }

  before(async () => {
    platform = await startPlatform('mysql', true, QUICK_REPAYMENT_JOBS);
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  test('12 due dates walked by runDailyJobs: every installment REPAID, the loan SETTLED, every fen where it belongs', async () => {
    const borrower = await member('BORROWER', '2000.00');
    const investors = [
      await member('INVESTOR', '5000.00'),
      await member('INVESTOR', '4000.00'),
      await member('INVESTOR', '3000.00'),
    ];
    const { loanId, schedule } = await repayingLoan(borrower, '12000.00', 12, [
      [investors[0], '5000.00'],
      [investors[1], '4000.00'],
      [investors[2], '3000.00'],
    ]);
    assert.equal((await client.balances(borrower)).balance, '14000.00');
    const feeBefore = BigInt((await ledger()).platformFeeFen);
    const lineAvailable = async () =>
      parseMoney(
        dataOf(await client.gateway('{ me { creditLine { available } } }', {}, borrower)).me.creditLine.available,
      );
    const { limit } = dataOf(await client.gateway('{ me { creditLine { limit } } }', {}, borrower)).me.creditLine;
    assert.equal(await lineAvailable(), parseMoney(limit) - parseMoney('12000.00'), 'the loan uses its amount');

    let repaid = 0;
    let principalRepaidFen = 0n;
    for (const installment of schedule) {
      const report = dataOf(await client.gateway(RUN, { d: installment.dueDate }, admin)).runDailyJobs;
      // Revolving: each repaid principal comes back to the line (repayments.installment.repaid, once).
      principalRepaidFen += parseMoney(installment.principal);
      const expectedFen = parseMoney(limit) - parseMoney('12000.00') + principalRepaidFen;
      await eventually(async () => ((await lineAvailable()) === expectedFen ? true : undefined), 30_000);
      assert.equal(report.businessDate, installment.dueDate);
      // "Today" is the business date, ahead of the wall clock here: this loan's installment falls due on it.
      assert.deepEqual(dataOf(await client.gateway(STATS, {}, admin)).platformStats, {
        date: installment.dueDate,
        installmentsDueToday: 1,
      });
      repaid += report.installmentsRepaid;
    }
    assert.equal(repaid, 12);
    await eventually(async () => ((await loanOf(loanId, borrower)).status === 'SETTLED' ? true : undefined), 30_000);
    const rows = (await loanOf(loanId, borrower)).schedule;
    assert.ok(rows.every((row) => row.status === 'REPAID' && row.penalty === '0.00'));
    assert.deepEqual(
      rows.map((row) => row.repaidAt?.slice(0, 10)),
      rows.map((row) => row.dueDate),
      'each repaid on its business due date',
    );

    const installmentsFen = sumFen(rows.map((row) => row.amount));
    const interestFen = sumFen(rows.map((row) => row.interest));
    assert.equal(sumFen(rows.map((row) => row.principal)), 12_000_00n);
    const dueFen = await untilInvestorsHoldTheirDue(investors);
    assert.deepEqual(
      await client.balances(borrower),
      { status: 'OPENED', balance: formatMoney(14_000_00n - installmentsFen), frozen: '0.00' },
      'the borrower paid exactly Σ installments',
    );
    const check = await ledger();
    assert.deepEqual(
      { ok: check.ok, problems: check.problems, openFreezes: check.openFreezeCount },
      { ok: true, problems: [], openFreezes: 0 },
    );
    const investorsInterestFen = dueFen.reduce((total, fen) => total + fen, 0n) - 12_000_00n;
    assert.equal(
      BigInt(check.platformFeeFen) - feeBefore,
      interestFen - investorsInterestFen,
      'the platform got exactly the commission',
    );
  });

  test('concurrent repayEarly by the owner, literal and variable: one repays, every other is CONFLICT', async () => {
    const borrower = await member('BORROWER', '2000.00');
    const investor = await member('INVESTOR', '3000.00');
    const { loanId } = await repayingLoan(borrower, '3000.00', 3, [[investor, '3000.00']]);
    const before = parseMoney((await client.balances(borrower)).balance);
    const literal = () => client.gateway(`mutation { repayEarly(loanId: "${loanId}") { id } }`, {}, borrower);
    const variable = () =>
      client.gateway('mutation($id: ID!) { repayEarly(loanId: $id) { id } }', { id: loanId }, borrower);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) => (index % 2 === 0 ? literal() : variable())),
    );
    const outcomes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? answer.data.repayEarly.id).sort();
    assert.deepEqual(outcomes, [...Array.from({ length: 7 }, () => 'CONFLICT'), loanId].sort());
    assert.ok(answers.every((answer) => answer.status === 200));
    const repaid = await eventually(async () => {
      const rows = (await loanOf(loanId, borrower)).schedule;
      return rows.every((row) => row.status === 'REPAID' || row.status === 'SETTLED_EARLY') ? rows : undefined;
    });
    assert.deepEqual(
      repaid.map((row) => row.status),
      ['REPAID', 'SETTLED_EARLY', 'SETTLED_EARLY'],
      'the current period takes the rest; the later ones close at zero',
    );
    const paidFen = sumFen(repaid.flatMap((row) => [row.amount, row.penalty]));
    assert.equal(
      before - parseMoney((await client.balances(borrower)).balance),
      paidFen,
      'the borrower paid the early repayment once',
    );
  });

  test('a borrower overdue pays one installment now, asks a payoff quote and pays exactly it; every refusal first', async () => {
    const borrower = await member('BORROWER', '100.00');
    const investor = await member('INVESTOR', '3000.00');
    const { loanId, schedule } = await repayingLoan(borrower, '3000.00', 3, [[investor, '3000.00']]);
    // The borrower takes everything out: nothing is there on the due date.
    await client.moveMoney(borrower, 'withdraw', (await client.balances(borrower)).balance);
    const [first, second] = schedule;
    const overdueDay = addDays(first.dueDate, 3);
    assert.equal(dataOf(await client.gateway(RUN, { d: overdueDay }, admin)).runDailyJobs.businessDate, overdueDay);
    const overdue = (await loanOf(loanId, borrower)).schedule[0];
    assert.equal(overdue.status, 'OVERDUE');
    assert.ok(parseMoney(overdue.penalty) > 0n, 'three days of penalty');

    const codeOf = (answer: GraphQLResponse) => answer.errors?.[0]?.extensions?.code;
    const repayVariable = (installmentId: string, token: string) =>
      client.gateway(REPAY_INSTALLMENT, { i: installmentId }, token);
    assert.equal(codeOf(await repayVariable(first.id, investor)), 'FORBIDDEN', 'an investor');
    assert.equal(codeOf(await repayVariable(second.id, borrower)), 'CONFLICT', 'not yet due');
    assert.equal(codeOf(await repayVariable(first.id, borrower)), 'INSUFFICIENT_FUNDS', 'nothing on the account');
    assert.equal(codeOf(await client.gateway(PAYOFF, { l: loanId }, investor)), 'FORBIDDEN', "an investor's quote");
    assert.deepEqual((await loanOf(loanId, borrower)).schedule, (await loanOf(loanId, admin)).schedule);
    assert.equal((await loanOf(loanId, borrower)).schedule[0].status, 'OVERDUE', 'the refusals changed nothing');

    const owedFen = parseMoney(overdue.amount) + parseMoney(overdue.penalty);
    await client.moveMoney(borrower, 'recharge', formatMoney(owedFen));
    const repaid = dataOf(
      await client.gateway(
        `mutation { repayInstallment(installmentId: "${first.id}") { status penalty } }`,
        {},
        borrower,
      ),
    ).repayInstallment;
    assert.deepEqual(repaid, { status: 'REPAID', penalty: overdue.penalty });
    assert.equal((await client.balances(borrower)).balance, '0.00', 'amount + penalty taken, to the fen');
    assert.equal(codeOf(await repayVariable(first.id, borrower)), 'CONFLICT', 'repaid already');

    const quote = dataOf(await client.gateway(PAYOFF, { l: loanId }, borrower)).payoffQuote;
    assert.deepEqual(dataOf(await client.gateway(PAYOFF, { l: loanId }, admin)).payoffQuote, quote, "the admin's");
    assert.equal(quote.asOf, overdueDay);
    assert.equal(
      parseMoney(quote.principal),
      sumFen(schedule.slice(1).map((row) => row.principal)),
      'the principal still owed',
    );
    await client.moveMoney(borrower, 'recharge', quote.total);
    dataOf(await client.gateway('mutation($id: ID!) { repayEarly(loanId: $id) { id } }', { id: loanId }, borrower));
    await eventually(async () => ((await loanOf(loanId, borrower)).status === 'SETTLED' ? true : undefined));
    assert.equal((await client.balances(borrower)).balance, '0.00', 'the payoff took exactly the quote');
    await eventually(async () => ((await ledger()).openFreezeCount === 0 ? true : undefined));
    assert.deepEqual((await ledger()).problems, []);
  });

  test('40 days overdue: every collection stage and its texts, a waiver, one installment paid now, then exactly the quote', async () => {
    const { mobile, idNumber } = identityFor(memberNumber++);
    const borrower = await client.member(mobile, 'BORROWER', idNumber, '100.00');
    const investor = await member('INVESTOR', '3000.00');
    const { loanId, schedule } = await repayingLoan(borrower, '3000.00', 3, [[investor, '3000.00']]);
    const investorBefore = parseMoney((await client.balances(investor)).balance);
    await client.moveMoney(borrower, 'withdraw', (await client.balances(borrower)).balance);
    const [first] = schedule;
    const phone = async () => (await readInbox(`http://127.0.0.1:${platform.sms.port}`, mobile)).reverse();
    const CASE = `{ collectionCases(status: OPEN, first: 20) { edges { node { id stage severity overdueDays
      overdueAmount promisedDate loan { id } } } } }`;
    const openCase = async () =>
      (dataOf(await client.gateway(CASE, {}, admin)).collectionCases.edges as { node: Record<string, unknown> }[])
        .map((edge) => edge.node)
        .find((node) => (node.loan as { id: string }).id === loanId);

    const walk: string[] = [];
    for (let day = -2; day <= 40; day += 1) {
      const date = addDays(first.dueDate, day);
      dataOf(await client.gateway(RUN, { d: date }, admin));
      const found = await openCase();
      if (day <= 0) assert.equal(found, undefined, `no case on ${date}`);
      else {
        const expectedStage = day >= 30 ? 'EMERGENCY_CONTACT' : day >= 3 ? 'STAFF_CALL' : 'SMS';
        assert.deepEqual(
          [found?.stage, found?.severity, found?.overdueDays],
          [expectedStage, day >= 5 ? 'RED' : 'NORMAL', day],
          `the case on overdue day ${day}`,
        );
      }
      if ([-2, 1, 2, 3, 5, 30, 40].includes(day))
        walk.push(`day ${day}: ${found?.stage ?? '-'} ${found?.severity ?? ''}`);
      if (day === 3) {
        const note =
          'mutation($id: ID!, $d: Date) { addCollectionNote(caseId: $id, note: "called", promisedDate: $d) { id } }';
        dataOf(await client.gateway(note, { id: found!.id, d: addDays(date, 7) }, admin));
        assert.equal((await openCase())!.promisedDate, addDays(date, 7));
      }
    }
    const lastCase = (await openCase())!;
    const CONTACTS =
      'query($id: ID!) { collectionCase(id: $id) { borrower { profile { emergencyContacts { name mobile } } } } }';
    assert.deepEqual(dataOf(await client.gateway(CONTACTS, { id: lastCase.id }, admin)).collectionCase.borrower, {
      profile: { emergencyContacts: [{ name: '王大明', mobile: '19900000001' }] },
    });
    // The texts the borrower's phone received: due soon, overdue days 1 and 2 of each installment that fell
    // due on the walk (sent by a job, so a day's text may overtake the day before's: compared as a set).
    const texts = await eventually(async () => {
      const received = await phone();
      return received.length >= 6 ? received : undefined;
    });
    const received = texts.map((text) => `${text.template} ${(text.params as { dueDate?: string }).dueDate ?? ''}`);
    assert.deepEqual(received.sort(), [
      `DUE_SOON ${first.dueDate}`,
      `DUE_SOON ${schedule[1].dueDate}`,
      `OVERDUE_DAY_1 ${first.dueDate}`,
      `OVERDUE_DAY_1 ${schedule[1].dueDate}`,
      'OVERDUE_REMINDER ',
      'OVERDUE_REMINDER ',
    ]);
    const dueSoon = texts.find((text) => text.template === 'DUE_SOON' && text.params.dueDate === first.dueDate)!;
    assert.equal(dueSoon.params.amount, first.amount);
    assert.ok(dueSoon.text.includes(first.amount), dueSoon.text);

    // The admin waives part of the first installment's penalty; the borrower pays that installment now.
    const overdue = (await loanOf(loanId, borrower)).schedule[0];
    const waivedFen = parseMoney(overdue.penalty) / 2n;
    const WAIVE =
      'mutation($i: ID!, $a: Money!) { waivePenalty(installmentId: $i, amount: $a, reason: "hardship") { penalty } }';
    const waived = dataOf(await client.gateway(WAIVE, { i: first.id, a: formatMoney(waivedFen) }, admin)).waivePenalty;
    assert.equal(parseMoney(waived.penalty), parseMoney(overdue.penalty) - waivedFen);
    const owedFen = parseMoney(overdue.amount) + parseMoney(waived.penalty);
    await client.moveMoney(borrower, 'recharge', formatMoney(owedFen));
    assert.deepEqual(dataOf(await client.gateway(REPAY_INSTALLMENT, { i: first.id }, borrower)).repayInstallment, {
      status: 'REPAID',
      penalty: waived.penalty,
    });
    assert.equal((await client.balances(borrower)).balance, '0.00');

    const quote = dataOf(await client.gateway(PAYOFF, { l: loanId }, borrower)).payoffQuote;
    await client.moveMoney(borrower, 'recharge', quote.total);
    dataOf(await client.gateway('mutation($id: ID!) { repayEarly(loanId: $id) { id } }', { id: loanId }, borrower));
    await eventually(async () => ((await loanOf(loanId, borrower)).status === 'SETTLED' ? true : undefined));
    assert.equal((await client.balances(borrower)).balance, '0.00', 'the payoff took exactly the quote');
    assert.equal(await openCase(), undefined, 'the case closed with the loan');
    await eventually(async () => ((await ledger()).openFreezeCount === 0 ? true : undefined));
    assert.deepEqual((await ledger()).problems, []);
    const receivedFen = parseMoney((await client.balances(investor)).balance) - investorBefore;
    assert.equal(receivedFen, await receivablesDue(investor), 'the investor holds exactly Σ of the receivables');
    const paidFen = owedFen + parseMoney(quote.total);
    console.log(
      `40-day walk: ${walk.join('; ')}; texts ${texts.map((text) => text.template).join(', ')}; ` +
        `waived ${formatMoney(waivedFen)}, installment 1 paid ${formatMoney(owedFen)}, payoff ${quote.total} ` +
        `(principal ${quote.principal}, interest ${quote.interest}, penalty ${quote.penalty}); borrower paid ` +
        `${formatMoney(paidFen)}, investor received ${formatMoney(receivedFen)}`,
    );
  });

  test('an admin cancels a fundraising listing: the bid is refunded, the borrower keeps the credit line', async () => {
    const borrower = await member('BORROWER', '100.00');
    const investor = await member('INVESTOR', '1000.00');
    const line = async () =>
      dataOf(await client.gateway('{ me { creditLine { limit available } } }', {}, borrower)).me.creditLine;
    const lineBefore = await line();
    const loan = await client.publishLoan(borrower, '5000.00');
    assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
    const bid = await client.frozenBid(loan.id, '1000.00', investor);
    assert.deepEqual(await client.balances(investor), { status: 'OPENED', balance: '0.00', frozen: '1000.00' });
    const cancel = 'mutation($id: ID!, $r: String!) { cancelLoan(id: $id, reason: $r) { status failReason } }';
    assert.equal(
      (await client.gateway(cancel, { id: loan.id, r: 'not mine' }, borrower)).errors?.[0]?.extensions?.code,
      'CONFLICT',
      'listed: only an admin may cancel',
    );
    assert.deepEqual(dataOf(await client.gateway(cancel, { id: loan.id, r: 'documents forged' }, admin)).cancelLoan, {
      status: 'FAILED',
      failReason: 'CANCELLED',
    });
    assert.equal(
      (await client.gateway(cancel, { id: loan.id, r: 'again' }, admin)).errors?.[0]?.extensions?.code,
      'CONFLICT',
      'cancelled already',
    );
    await eventually(async () => {
      const balances = await client.balances(investor);
      return balances.frozen === '0.00' && balances.balance === '1000.00' ? true : undefined;
    });
    const bids = dataOf(
      await client.gateway('{ me { bids(first: 10) { edges { node { id status } } } } }', {}, investor),
    ).me.bids.edges;
    assert.deepEqual(bids, [{ node: { id: bid.id, status: 'REFUNDED' } }]);
    assert.deepEqual(await line(), lineBefore, 'the line has the amount back');
  });

  test('repayments SIGKILLed after a run and in the middle of one: every installment still settles, once', async () => {
    const borrower = await member('BORROWER', '1000.00');
    const investors = [await member('INVESTOR', '3000.00'), await member('INVESTOR', '2000.00')];
    const { loanId, schedule } = await repayingLoan(borrower, '5000.00', 3, [
      [investors[0], '3000.00'],
      [investors[1], '2000.00'],
    ]);

    // 1. The run has returned; its confirmations are still on their way (event, then the settle pass).
    assert.equal(
      dataOf(await client.gateway(RUN, { d: schedule[0].dueDate }, admin)).runDailyJobs.installmentsRepaid,
      1,
    );
    await platform.restart('repayments', { kill: true });

    // 2. Killed in the middle of the run to the second due date: it has walked there and waits to collect.
    await killWhileWaitingOnRow(
      platform,
      { table: 'repayment_loans', id: loanId },
      () => client.gateway(RUN, { d: schedule[1].dueDate }, admin),
      {
        what: "the run waits for the loan's row to collect installment 2",
        whileWaiting: async (lock) =>
          assert.ok(await lock.runLeaseHeld(), 'the run had started: it holds the business clock'),
      },
    );
    // The dead run's hold on the clock lapses (REPAYMENT_RUN_LEASE_MS); the same date again finishes the job.
    const resumed = await eventually(async () => {
      const response = await client.gateway(RUN, { d: schedule[1].dueDate }, admin);
      return response.errors?.[0]?.extensions?.code === 'CONFLICT' ? undefined : dataOf(response).runDailyJobs;
    }, 30_000);
    assert.equal(resumed.businessDate, schedule[1].dueDate);
    await client.gateway(RUN, { d: schedule[2].dueDate }, admin);

    await eventually(async () => ((await loanOf(loanId, borrower)).status === 'SETTLED' ? true : undefined), 30_000);
    const rows = (await loanOf(loanId, borrower)).schedule;
    await untilInvestorsHoldTheirDue(investors);
    assert.deepEqual(await client.balances(borrower), {
      status: 'OPENED',
      balance: formatMoney(6_000_00n - sumFen(rows.map((row) => row.amount))),
      frozen: '0.00',
    });
    const check = await ledger();
    assert.deepEqual(
      { ok: check.ok, problems: check.problems, openFreezes: check.openFreezeCount },
      { ok: true, problems: [], openFreezes: 0 },
    );
  });

  test('repayments SIGKILLed between the freeze of repayInstallment and REPAID: it settles once after the restart', async () => {
    const borrower = await member('BORROWER', '100.00');
    const investor = await member('INVESTOR', '3000.00');
    const { loanId, schedule } = await repayingLoan(borrower, '3000.00', 3, [[investor, '3000.00']]);
    const investorBefore = parseMoney((await client.balances(investor)).balance);
    await client.moveMoney(borrower, 'withdraw', (await client.balances(borrower)).balance);
    const [first] = schedule;
    dataOf(await client.gateway(RUN, { d: addDays(first.dueDate, 1) }, admin));
    const overdue = (await loanOf(loanId, borrower)).schedule[0];
    assert.equal(overdue.status, 'OVERDUE');
    const owedFen = parseMoney(overdue.amount) + parseMoney(overdue.penalty);
    await client.moveMoney(borrower, 'recharge', formatMoney(owedFen));

    // The freeze is answered; recording REPAID waits for the installment's row, and repayments dies there.
    await killWhileWaitingOnRow(
      platform,
      { table: 'installments', id: first.id },
      () => client.gateway(REPAY_INSTALLMENT, { i: first.id }, borrower),
      {
        what: 'repayInstallment waits to record REPAID on the installment',
        whileWaiting: async (lock) => assert.equal(await lock.read('status'), 'OVERDUE'),
      },
    );
    await eventually(
      async () => ((await loanOf(loanId, borrower)).schedule[0].status === 'REPAID' ? true : undefined),
      30_000,
    );
    await eventually(async () => ((await ledger()).openFreezeCount === 0 ? true : undefined), 30_000);
    assert.deepEqual(await client.balances(borrower), { status: 'OPENED', balance: '0.00', frozen: '0.00' });
    const edges = dataOf(await client.gateway(RECEIVABLES, {}, investor)).me.receivables.edges as {
      node: { principal: string; interest: string; penalty: string; status: string; installment: { period: number } };
    }[];
    const [firstReceivable] = edges.filter((edge) => edge.node.installment.period === 1).map((edge) => edge.node);
    assert.equal(firstReceivable.status, 'RECEIVED');
    const dueFen = sumFen([firstReceivable.principal, firstReceivable.interest, firstReceivable.penalty]);
    await eventually(async () =>
      parseMoney((await client.balances(investor)).balance) - investorBefore === dueFen ? true : undefined,
    );
    assert.deepEqual((await ledger()).problems, []);
  });
});
