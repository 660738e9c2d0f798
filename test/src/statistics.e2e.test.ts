// Proves the admins' `statistics` end to end through the gateway, every service its own process on MariaDB
// and RabbitMQ: loans are published, funded and paid out, repaid on time, overdue (collected late with a
// penalty) and repaid early over several business days walked with runDailyJobs, members register on
// different business days; then `statistics` by DAY and by MONTH (every period of the range, zeros
// included) equals, to the fen, a recount of the base tables of users, loans and repayments (GROUP BY the
// business date each row stores), for every field, the overdue rate included. A 36-month or 1,000-day
// answer costs each subgraph the SQL statements of a one-day answer (the references are batched). Bad input
// (from after to, more than 1,096 days, malformed dates, an unknown granularity) is BAD_USER_INPUT as
// variables and as literals, at the gateway and at repayments directly; members are FORBIDDEN, the
// signed-out UNAUTHENTICATED.
// Shortcut, said plainly: the recount reads each subgraph's database directly (test/harness/repayments-db.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type mysql from 'mysql2/promise';
import { addDays, formatMoney, formatRate, overdueRateMicros, parseMoney, type SubgraphName } from '@wanxin/platform';
import { dataOf, errorCodes, eventually, postGraphQL, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { requestQueriesDuring } from './harness/metrics';
import { QUICK_REPAYMENT_JOBS, startPlatform, type RunningPlatform } from './harness/platform';
import { subgraphDatabase } from './harness/repayments-db';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const FIELDS =
  'period loansPublished amountFunded amountRepaid amountOverdue overdueRate newUsers amountDue amountDueOverdue ' +
  'installmentsDue';
const STATISTICS = `query($f: Date!, $t: Date!, $g: Granularity!) {
  statistics(from: $f, to: $t, granularity: $g) { ${FIELDS} } }`;
const RUN = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate } }';
const REPAY_INSTALLMENT = 'mutation($i: ID!) { repayInstallment(installmentId: $i) { status penalty } }';

/** The facts of a day the base tables say, each a count or fen. */
const FACTS = [
  'loansPublished',
  'amountFunded',
  'amountRepaid',
  'amountOverdue',
  'newUsers',
  'amountDue',
  'amountDueOverdue',
  'installmentsDue',
] as const;
type Fact = (typeof FACTS)[number];
type DayFacts = Record<Fact, bigint>;
const MONEY_FACTS = new Set<Fact>(['amountFunded', 'amountRepaid', 'amountOverdue', 'amountDue', 'amountDueOverdue']);

/** Each statement selects `day` and `value` (a count or fen); every statement's days add into `facts`. */
const RECOUNTS: Record<'users' | 'loans' | 'repayments', [Fact, string][]> = {
  users: [
    [
      'newUsers',
      'select registered_business_date as day, count(*) as value from users ' +
        'where registered_business_date is not null group by registered_business_date',
    ],
  ],
  loans: [
    [
      'loansPublished',
      'select opened_business_date as day, count(*) as value from loans ' +
        'where opened_business_date is not null group by opened_business_date',
    ],
    [
      'amountFunded',
      'select disbursed_business_date as day, sum(amount_fen) as value from loans ' +
        'where disbursed_business_date is not null group by disbursed_business_date',
    ],
  ],
  repayments: [
    [
      'amountRepaid',
      'select repaid_business_date as day, sum(principal_fen + interest_fen + penalty_fen) as value ' +
        "from installments where status = 'REPAID' group by repaid_business_date",
    ],
    [
      'amountOverdue',
      'select overdue_business_date as day, sum(principal_fen + interest_fen) as value from installments ' +
        'where overdue_business_date is not null group by overdue_business_date',
    ],
    [
      'amountDue',
      'select due_date as day, sum(principal_fen + interest_fen) as value from installments ' +
        'where due_date <= (select business_date from business_clock) group by due_date',
    ],
    [
      'amountDueOverdue',
      'select due_date as day, sum(principal_fen + interest_fen) as value from installments ' +
        'where overdue_business_date is not null group by due_date',
    ],
    [
      'installmentsDue',
      'select due_date as day, count(*) as value from installments ' +
        'where due_date <= (select business_date from business_clock) group by due_date',
    ],
  ],
};

const noFacts = (): DayFacts => Object.fromEntries(FACTS.map((fact) => [fact, 0n])) as unknown as DayFacts;

/** Every day's facts recounted from the base tables of users, loans and repayments. */
async function recount(databases: Record<keyof typeof RECOUNTS, mysql.Connection>): Promise<Map<string, DayFacts>> {
  const days = new Map<string, DayFacts>();
  for (const [subgraph, statements] of Object.entries(RECOUNTS) as [keyof typeof RECOUNTS, [Fact, string][]][]) {
    for (const [fact, sql] of statements) {
      const [rows] = await databases[subgraph].query(sql);
      for (const row of rows as { day: string; value: string | number }[]) {
        const facts = days.get(row.day) ?? noFacts();
        facts[fact] += BigInt(String(row.value));
        days.set(row.day, facts);
      }
    }
  }
  return days;
}

/** The rows `statistics` must answer, computed here from the recount (independently of the subgraphs' folding). */
function expectedRows(days: Map<string, DayFacts>, from: string, to: string, granularity: 'DAY' | 'MONTH') {
  const periods = new Map<string, DayFacts>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    periods.set(granularity === 'DAY' ? day : day.slice(0, 7), noFacts());
  }
  for (const [day, facts] of days) {
    const period = periods.get(granularity === 'DAY' ? day : day.slice(0, 7));
    if (period === undefined) continue;
    for (const fact of FACTS) period[fact] += facts[fact];
  }
  return [...periods].map(([period, facts]) => ({
    period,
    ...Object.fromEntries(
      FACTS.map((fact) => [fact, MONEY_FACTS.has(fact) ? formatMoney(facts[fact]) : Number(facts[fact])]),
    ),
    overdueRate: formatRate(overdueRateMicros(facts.amountDueOverdue, facts.amountDue)),
  }));
}

/** An answer's rows with the field order of expectedRows, for deepEqual. */
function normalized(rows: Record<string, unknown>[]) {
  return rows.map((row) => ({
    period: row.period,
    ...Object.fromEntries(FACTS.map((fact) => [fact, row[fact]])),
    overdueRate: row.overdueRate,
  }));
}

describe('statistics through the gateway (every service its own process, MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let databases: Record<keyof typeof RECOUNTS, mysql.Connection>;
  let memberNumber = 700;
  /** The first business date of the suite and the last one the lifecycle reached. */
  let span: { from: string; to: string } | undefined;

  const member = async (role: 'BORROWER' | 'INVESTOR', rechargeYuan?: string) => {
    const { mobile, idNumber } = identityFor(memberNumber++);
    return client.member(mobile, role, idNumber, rechargeYuan);
  };
  const runTo = async (date: string) =>
    assert.equal(dataOf(await client.gateway(RUN, { d: date }, admin)).runDailyJobs.businessDate, date);
  const statistics = async (from: string, to: string, granularity: 'DAY' | 'MONTH') =>
    normalized(dataOf(await client.gateway(STATISTICS, { f: from, t: to, g: granularity }, admin)).statistics);

  before(async () => {
    platform = await startPlatform('mysql', true, QUICK_REPAYMENT_JOBS);
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
    const names: (keyof typeof RECOUNTS & SubgraphName)[] = ['users', 'loans', 'repayments'];
    const connections = await Promise.all(names.map((name) => subgraphDatabase(platform, name)));
    databases = Object.fromEntries(names.map((name, index) => [name, connections[index]])) as typeof databases;
  });
  after(async () => {
    await Promise.all(Object.values(databases ?? {}).map((connection) => connection.end()));
    await platform?.stop();
  });

  test('a lifecycle over several business days: DAY and MONTH rows equal a recount of the base tables, to the fen', async () => {
    const start = dataOf(await client.gateway('{ businessDate }')).businessDate as string;
    const punctual = await member('BORROWER', '2000.00');
    const late = await member('BORROWER', '100.00');
    const investors = [await member('INVESTOR', '4000.00'), await member('INVESTOR', '2000.00')];
    const onTime = await client.repayingLoan(admin, punctual, '3000.00', 3, [[investors[0], '3000.00']]);
    const overdue = await client.repayingLoan(admin, late, '3000.00', 3, [
      [investors[1], '2000.00'],
      [investors[0], '1000.00'],
    ]);
    await client.moveMoney(late, 'withdraw', (await client.balances(late)).balance);

    // Another business day: a member registers and a loan opens for bids once users and loans heard of it.
    await runTo(addDays(start, 6));
    await eventually(async () => {
      const [rows] = await databases.loans.query('select max(date) as latest from business_days');
      return (rows as { latest: string | null }[])[0].latest === addDays(start, 6) ? true : undefined;
    });
    await eventually(async () => {
      const [rows] = await databases.users.query('select max(date) as latest from business_days');
      return (rows as { latest: string | null }[])[0].latest === addDays(start, 6) ? true : undefined;
    });
    const newcomer = await member('BORROWER');
    assert.equal(await client.approveLoan(admin, (await client.publishLoan(newcomer, '2000.00')).id), 'FUNDRAISING');

    // The first due date: the punctual borrower is collected, the late one refused and OVERDUE the next day.
    const firstDue = onTime.schedule[0].dueDate;
    assert.equal(overdue.schedule[0].dueDate, firstDue);
    await runTo(addDays(firstDue, 3));
    const lateRows = (await client.loanSchedule(overdue.loanId, late)).schedule;
    assert.equal(lateRows[0].status, 'OVERDUE');
    // Enough for this installment with its penalty and every later one: only this one is ever overdue.
    await client.moveMoney(late, 'recharge', '3500.00');
    const repaid = dataOf(await client.gateway(REPAY_INSTALLMENT, { i: lateRows[0].id }, late)).repayInstallment;
    assert.equal(repaid.status, 'REPAID');
    assert.ok(parseMoney(repaid.penalty) > 0n, 'collected late, with a penalty');

    // The punctual borrower pays the rest off early; then the second due date passes.
    await client.gateway('mutation($id: ID!) { repayEarly(loanId: $id) { id } }', { id: onTime.loanId }, punctual);
    await eventually(async () => {
      const rows = (await client.loanSchedule(onTime.loanId, punctual)).schedule;
      return rows.every((row) => row.status !== 'PENDING') ? true : undefined;
    });
    const end = addDays(onTime.schedule[1].dueDate, 2);
    await runTo(end);
    span = { from: start, to: end };

    // The read models catch up with the events; then every row is the recount's, DAY and MONTH.
    for (const granularity of ['DAY', 'MONTH'] as const) {
      const matches = async () => {
        const expected = expectedRows(await recount(databases), start, end, granularity);
        return JSON.stringify(await statistics(start, end, granularity)) === JSON.stringify(expected)
          ? true
          : undefined;
      };
      await eventually(matches, 30_000).catch(() => undefined);
      const expected = expectedRows(await recount(databases), start, end, granularity);
      assert.deepEqual(await statistics(start, end, granularity), expected, granularity);
    }

    // Not zeros equal to zeros: every fact happened, the overdue rate is not 0 every day.
    const totals = noFacts();
    for (const [day, facts] of await recount(databases)) {
      if (day < start || day > end) continue;
      for (const fact of FACTS) totals[fact] += facts[fact];
    }
    assert.equal(totals.loansPublished, 3n);
    assert.equal(totals.amountFunded, 6_000_00n);
    assert.ok(totals.newUsers >= 5n, 'the members of this test registered');
    assert.ok(totals.amountRepaid > 3_000_00n, 'the early repayment and the installments');
    assert.equal(totals.amountOverdue, parseMoney(overdue.schedule[0].amount));
    assert.equal(totals.amountDueOverdue, totals.amountOverdue, "the overdue installment is its due day's unpaid part");
    assert.ok(totals.amountDue > 0n && totals.installmentsDue >= 4n);
    const days = await statistics(start, end, 'DAY');
    assert.equal(days.length, (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1, 'a row for every day');
    // The first due day's rate is the late borrower's share of what fell due that day, counted on that day.
    const firstDueDay = days.find((row) => row.period === firstDue) as Record<string, unknown> | undefined;
    assert.equal(firstDueDay?.amountDueOverdue, overdue.schedule[0].amount, JSON.stringify(firstDueDay));
    assert.notEqual(firstDueDay?.overdueRate, '0.00', JSON.stringify(firstDueDay));
  });

  test('36 months or 1,000 days cost each subgraph the SQL statements of one day (references batched)', async (t) => {
    const from = span?.from ?? '2026-01-01';
    const answer = (to: string, granularity: 'DAY' | 'MONTH') => async () => {
      const response = await client.gateway(STATISTICS, { f: from, t: to, g: granularity }, admin);
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    };
    const oneDay = await requestQueriesDuring(platform, answer(from, 'DAY'));
    const thousandDays = await requestQueriesDuring(platform, answer(addDays(from, 999), 'DAY'));
    const months = await requestQueriesDuring(platform, answer(addDays(from, 1_095), 'MONTH'));
    t.diagnostic(
      `SQL statements per subgraph: 1 day ${JSON.stringify(oneDay)}, 1,000 days ${JSON.stringify(thousandDays)}, 36 months ${JSON.stringify(months)}`,
    );
    for (const name of ['users', 'loans', 'repayments'] as const) {
      assert.ok(oneDay[name] >= 1, `${name} answers from its read model`);
      assert.equal(thousandDays[name], oneDay[name], `${name}: 1,000 days`);
      assert.equal(months[name], oneDay[name], `${name}: 36 months`);
    }
  });

  const BAD_INPUT: { name: string; from: unknown; to: unknown; granularity: unknown; literal: string }[] = [
    {
      name: 'from after to',
      from: '2026-12-06',
      to: '2026-12-05',
      granularity: 'DAY',
      literal: 'from: "2026-12-06", to: "2026-12-05", granularity: DAY',
    },
    {
      name: '1,097 days',
      from: '2026-01-01',
      to: '2029-01-01',
      granularity: 'MONTH',
      literal: 'from: "2026-01-01", to: "2029-01-01", granularity: MONTH',
    },
    {
      name: 'a month 13',
      from: '2026-13-01',
      to: '2026-12-05',
      granularity: 'DAY',
      literal: 'from: "2026-13-01", to: "2026-12-05", granularity: DAY',
    },
    {
      name: 'a date without zeros',
      from: '2026-1-1',
      to: '2026-12-05',
      granularity: 'DAY',
      literal: 'from: "2026-1-1", to: "2026-12-05", granularity: DAY',
    },
    {
      name: 'February 30',
      from: '2026-02-01',
      to: '2026-02-30',
      granularity: 'DAY',
      literal: 'from: "2026-02-01", to: "2026-02-30", granularity: DAY',
    },
    {
      name: 'a date as a number',
      from: 20261205,
      to: '2026-12-05',
      granularity: 'DAY',
      literal: 'from: 20261205, to: "2026-12-05", granularity: DAY',
    },
    {
      name: 'an unknown granularity',
      from: '2026-12-01',
      to: '2026-12-05',
      granularity: 'WEEK',
      literal: 'from: "2026-12-01", to: "2026-12-05", granularity: WEEK',
    },
    {
      name: 'a granularity as a string literal',
      from: '2026-12-01',
      to: '2026-12-05',
      granularity: 'day',
      literal: 'from: "2026-12-01", to: "2026-12-05", granularity: "DAY"',
    },
  ];

  for (const example of BAD_INPUT)
    test(`bad input, ${example.name}: BAD_USER_INPUT, variables and literal, gateway and repayments`, async () => {
      const variables = { f: example.from, t: example.to, g: example.granularity };
      const literal = `{ statistics(${example.literal}) { period amountRepaid } }`;
      const variable = `query($f: Date!, $t: Date!, $g: Granularity!) {
        statistics(from: $f, to: $t, granularity: $g) { period amountRepaid } }`;
      for (const url of [platform.gateway.url, platform.subgraphs.repayments.url]) {
        for (const response of [
          await postGraphQL(url, variable, variables, admin),
          await postGraphQL(url, literal, {}, admin),
        ]) {
          assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT'], `${url}: ${JSON.stringify(response)}`);
          assert.ok(!response.data?.statistics, 'no rows');
        }
      }
    });

  test('members are FORBIDDEN and the signed-out UNAUTHENTICATED, variables and literal', async () => {
    const borrower = await member('BORROWER');
    const investor = await member('INVESTOR');
    const literal = '{ statistics(from: "2026-12-01", to: "2026-12-05", granularity: DAY) { period newUsers } }';
    const variables = { f: '2026-12-01', t: '2026-12-05', g: 'DAY' };
    for (const [token, code] of [
      [borrower, 'FORBIDDEN'],
      [investor, 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      for (const response of [
        await client.gateway(STATISTICS, variables, token),
        await client.gateway(literal, {}, token),
      ]) {
        assert.deepEqual(errorCodes(response), [code], JSON.stringify(response));
        assert.ok(!response.data?.statistics);
      }
    }
  });
});
