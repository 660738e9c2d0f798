// Proves the personal center (我的) through the gateway with every service its own process on MariaDB and
// RabbitMQ, after a real lifecycle: two loans funded by two investors in unequal parts and paid out, a due
// day on which one borrower repays and the other cannot, that installment overdue three days and then paid
// with its penalty, an early repayment of the first loan, the second loan's next installment overdue with
// penalty, and a third loan still fundraising with a frozen bid. Each figure of User.portfolio and
// User.borrowing equals, to the fen, the sum of the receivables or installments the same users list, and the
// figures the known schedule gives; the owner and an admin see them, anyone else gets null with an error at
// the field, a borrower's portfolio and an investor's borrowing are null. User.bids and User.receivables
// filter by each status and by loan; a bad status, a malformed loan id and an unknown loan are refused with
// their codes, as literals and as variables, and a subgraph reached directly refuses another user alike.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, formatMoney, newId, parseMoney } from '@wanxin/platform';
import { dataOf, errorCodes, eventually, postGraphQL, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient, type ScheduledInstallment } from './harness/marketplace';
import { requestQueriesDuring } from './harness/metrics';
import { QUICK_REPAYMENT_JOBS, startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const PORTFOLIO_FIELDS =
  'invested principalReceived outstandingPrincipal interestReceived interestExpected ' + 'penaltyReceived holdings';
const BORROWING_FIELDS =
  'outstandingPrincipal overdueAmount overduePenalty overdueInstallments loansRepaying nextDue { id status }';
const RECEIVABLES = `query($s: ReceivableStatus, $l: ID) { me { receivables(first: 100, status: $s, loanId: $l) {
  totalCount edges { node { id principal interest penalty status bid { id loan { id } } } } } } }`;
const BIDS = `query($s: BidStatus, $l: ID) { me { bids(first: 100, status: $s, loanId: $l) {
  totalCount edges { node { id status amount loan { id } } } } } }`;
const RUN = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate } }';

interface ListedReceivable {
  id: string;
  principal: string;
  interest: string;
  penalty: string;
  status: string;
  bid: { id: string; loan: { id: string } };
}

const sumFen = (values: string[]) => values.reduce((total, value) => total + parseMoney(value), 0n);

/** A portfolio as the definitions in the Portfolio type compute it from the investor's listed receivables. */
function portfolioOfReceivables(receivables: ListedReceivable[]): Record<string, string | number> {
  const sum = (status: string | null, part: (row: ListedReceivable) => string) =>
    formatMoney(sumFen(receivables.filter((row) => status === null || row.status === status).map(part)));
  const holding = receivables.filter((row) => row.status === 'PENDING' && parseMoney(row.principal) > 0n);
  return {
    invested: sum(null, (row) => row.principal),
    principalReceived: sum('RECEIVED', (row) => row.principal),
    outstandingPrincipal: sum('PENDING', (row) => row.principal),
    interestReceived: sum('RECEIVED', (row) => row.interest),
    interestExpected: sum('PENDING', (row) => row.interest),
    penaltyReceived: sum('RECEIVED', (row) => row.penalty),
    holdings: new Set(holding.map((row) => row.bid.id)).size,
  };
}

describe(
  'personal center through the gateway (every service its own process, MariaDB, RabbitMQ, bank)',
  { skip },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;
    let admin: string;
    let memberNumber = 700;
    /** What the lifecycle leaves, for every test below. */
    let world: {
      investors: [string, string];
      investorIds: [string, string];
      /** Repays on time, then early: SETTLED. */
      borrowerA: string;
      /** Overdue, then paid with penalty; the next installment overdue now. */
      borrowerB: string;
      borrowerBId: string;
      loanA: string;
      loanB: string;
      /** Borrower A's loan still FUNDRAISING, with investor 0's FROZEN bid. */
      loanC: string;
      scheduleB: ScheduledInstallment[];
    };

    const member = async (role: 'BORROWER' | 'INVESTOR', rechargeYuan?: string) => {
      const { mobile, idNumber } = identityFor(memberNumber++);
      return client.member(mobile, role, idNumber, rechargeYuan);
    };
    const idOf = async (token: string): Promise<string> =>
      dataOf(await client.gateway('{ me { id } }', {}, token)).me.id;
    const scheduleOf = async (loanId: string) => (await client.loanSchedule(loanId, admin)).schedule;
    const receivablesOf = async (investor: string, variables: Record<string, unknown> = {}) => {
      const list = dataOf(await client.gateway(RECEIVABLES, variables, investor)).me.receivables;
      return {
        totalCount: list.totalCount as number,
        rows: list.edges.map((edge: any) => edge.node) as ListedReceivable[],
      };
    };
    const portfolioAs = async (token: string, userId: string) => {
      const query = `query($id: ID!) { user(id: $id) { portfolio { ${PORTFOLIO_FIELDS} } } }`;
      return dataOf(await client.gateway(query, { id: userId }, token)).user.portfolio;
    };
    const borrowingAs = async (token: string, userId: string) => {
      const query = `query($id: ID!) { user(id: $id) { borrowing { ${BORROWING_FIELDS} } } }`;
      return dataOf(await client.gateway(query, { id: userId }, token)).user.borrowing;
    };

    before(async () => {
      platform = await startPlatform('mysql', true, QUICK_REPAYMENT_JOBS);
      client = new MarketplaceClient(platform);
      admin = await client.adminToken();

      const borrowerA = await member('BORROWER', '2000.00');
      const borrowerB = await member('BORROWER');
      const investors: [string, string] = [await member('INVESTOR', '5000.00'), await member('INVESTOR', '5000.00')];
      const loanA = await client.repayingLoan(admin, borrowerA, '3000.00', 3, [
        [investors[0], '2000.00'],
        [investors[1], '1000.00'],
      ]);
      const loanB = await client.repayingLoan(admin, borrowerB, '3000.00', 3, [
        [investors[0], '1500.00'],
        [investors[1], '1500.00'],
      ]);
      // Borrower B takes the payout out: nothing is there on the first due day.
      await client.moveMoney(borrowerB, 'withdraw', (await client.balances(borrowerB)).balance);
      const [firstDue, secondDue] = [loanB.schedule[0].dueDate, loanB.schedule[1].dueDate];
      assert.equal(loanA.schedule[0].dueDate, firstDue, 'both loans were paid out on one business day');

      // The first due day: A's installment is collected, B's is not, and three days later it is overdue.
      dataOf(await client.gateway(RUN, { d: firstDue }, admin));
      dataOf(await client.gateway(RUN, { d: addDays(firstDue, 3) }, admin));
      const overdue = (await scheduleOf(loanB.loanId))[0];
      assert.equal(overdue.status, 'OVERDUE');
      assert.ok(parseMoney(overdue.penalty) > 0n, 'three days of penalty');
      // B pays that installment with its penalty now; A repays everything early.
      await client.moveMoney(
        borrowerB,
        'recharge',
        formatMoney(parseMoney(overdue.amount) + parseMoney(overdue.penalty)),
      );
      const repay = 'mutation($i: ID!) { repayInstallment(installmentId: $i) { status } }';
      assert.equal(dataOf(await client.gateway(repay, { i: overdue.id }, borrowerB)).repayInstallment.status, 'REPAID');
      dataOf(
        await client.gateway('mutation($id: ID!) { repayEarly(loanId: $id) { id } }', { id: loanA.loanId }, borrowerA),
      );
      await eventually(async () =>
        (await client.loanSchedule(loanA.loanId, admin)).status === 'SETTLED' ? true : undefined,
      );
      // B's second installment goes unpaid: two days overdue.
      assert.equal((await client.balances(borrowerB)).balance, '0.00');
      dataOf(await client.gateway(RUN, { d: addDays(secondDue, 2) }, admin));
      const scheduleB = await scheduleOf(loanB.loanId);
      assert.deepEqual(
        scheduleB.map((row) => row.status),
        ['REPAID', 'OVERDUE', 'PENDING'],
      );

      // A third loan, still open for bids, holds investor 0's frozen bid.
      const loanC = (await client.publishLoan(borrowerA, '2000.00')).id;
      assert.equal(await client.approveLoan(admin, loanC), 'FUNDRAISING');
      assert.equal((await client.frozenBid(loanC, '500.00', investors[0])).status, 'FROZEN');
      world = {
        investors,
        investorIds: [await idOf(investors[0]), await idOf(investors[1])],
        borrowerA,
        borrowerB,
        borrowerBId: await idOf(borrowerB),
        loanA: loanA.loanId,
        loanB: loanB.loanId,
        loanC,
        scheduleB,
      };
    });
    after(async () => platform?.stop());

    test("each investor's portfolio: the sums of their receivables to the fen, and the schedules'", async () => {
      const portfolios: Record<string, string | number>[] = [];
      for (const [index, investor] of world.investors.entries()) {
        const { rows, totalCount } = await receivablesOf(investor);
        assert.equal(totalCount, 6, 'three installments of two loans');
        assert.ok(
          rows.some((row) => row.status === 'SETTLED_EARLY'),
          'the early repayment closed a period',
        );
        const own = dataOf(await client.gateway(`{ me { portfolio { ${PORTFOLIO_FIELDS} } } }`, {}, investor)).me
          .portfolio;
        assert.deepEqual(own, portfolioOfReceivables(rows), `investor ${index}: the sums of the listed receivables`);
        assert.deepEqual(await portfolioAs(admin, world.investorIds[index]), own, "the admin's view is the same");
        portfolios.push(own);
      }
      // From the lending and the schedule: each bid comes back exactly; the bid still FROZEN does not count.
      assert.deepEqual(
        portfolios.map((portfolio) => portfolio.invested),
        ['3500.00', '2500.00'],
      );
      const { schedule } = await client.loanSchedule(world.loanB, admin);
      const unpaid = schedule.filter((row) => row.status !== 'REPAID');
      const both = (field: string) => formatMoney(sumFen(portfolios.map((portfolio) => String(portfolio[field]))));
      assert.equal(both('outstandingPrincipal'), formatMoney(sumFen(unpaid.map((row) => row.principal))));
      assert.equal(both('penaltyReceived'), schedule[0].penalty, "the investors share the paid installment's penalty");
      assert.ok(parseMoney(both('penaltyReceived')) > 0n);
      assert.equal(
        both('principalReceived'),
        formatMoney(3_000_00n + parseMoney(schedule[0].principal)),
        'all of loan A and the first installment of loan B',
      );
      assert.deepEqual(
        portfolios.map((portfolio) => portfolio.holdings),
        [1, 1],
        'loan B only: loan A is settled',
      );
      // Interest at the investor rate, less than the borrower's: the platform keeps the difference.
      const interestOwed = sumFen(unpaid.map((row) => row.interest));
      // However many receivables an investor holds, the figures are one aggregate statement in repayments.
      const statements = await requestQueriesDuring(platform, async () => {
        dataOf(await client.gateway(`{ me { portfolio { ${PORTFOLIO_FIELDS} } } }`, {}, world.investors[0]));
      });
      assert.equal(statements.repayments, 1, 'one statement for the whole portfolio');
      assert.ok(parseMoney(both('interestExpected')) < interestOwed && parseMoney(both('interestExpected')) > 0n);
    });

    test("a borrower's summary: the sums of their unpaid installments, penalty included; nextDue first", async () => {
      const summary = dataOf(await client.gateway(`{ me { borrowing { ${BORROWING_FIELDS} } } }`, {}, world.borrowerB))
        .me.borrowing;
      const { schedule } = await client.loanSchedule(world.loanB, world.borrowerB);
      const unpaid = schedule.filter((row) => row.status === 'PENDING' || row.status === 'OVERDUE');
      const overdue = schedule.filter((row) => row.status === 'OVERDUE');
      assert.equal(overdue.length, 1);
      assert.ok(parseMoney(overdue[0].penalty) > 0n, 'two days of penalty');
      assert.deepEqual(summary, {
        outstandingPrincipal: formatMoney(sumFen(unpaid.map((row) => row.principal))),
        overdueAmount: formatMoney(sumFen(overdue.flatMap((row) => [row.amount, row.penalty]))),
        overduePenalty: overdue[0].penalty,
        overdueInstallments: 1,
        loansRepaying: 1,
        nextDue: { id: overdue[0].id, status: 'OVERDUE' },
      });
      // From the schedule as built at the payout: all but the first installment's principal is owed.
      assert.equal(summary.outstandingPrincipal, formatMoney(3_000_00n - parseMoney(world.scheduleB[0].principal)));
      assert.deepEqual(await borrowingAs(admin, world.borrowerBId), summary, "the admin's view is the same");
      const statements = await requestQueriesDuring(platform, async () => {
        dataOf(await client.gateway(`{ me { borrowing { ${BORROWING_FIELDS} } } }`, {}, world.borrowerB));
      });
      assert.equal(statements.repayments, 2, 'one statement for the figures, one for nextDue');
      // Borrower A owes nothing: loan A is settled, loan C not paid out.
      assert.deepEqual(
        dataOf(await client.gateway(`{ me { borrowing { ${BORROWING_FIELDS} } } }`, {}, world.borrowerA)).me.borrowing,
        {
          outstandingPrincipal: '0.00',
          overdueAmount: '0.00',
          overduePenalty: '0.00',
          overdueInstallments: 0,
          loansRepaying: 0,
          nextDue: null,
        },
      );
    });

    test('the wrong role is null without an error; anyone else is refused at the field, the rest stays', async () => {
      const noError = async (query: string, token: string) => {
        const response = await client.gateway(query, {}, token);
        assert.equal(response.errors, undefined, JSON.stringify(response.errors));
        return dataOf(response).me;
      };
      assert.deepEqual(await noError('{ me { id portfolio { invested } } }', world.borrowerB), {
        id: world.borrowerBId,
        portfolio: null,
      });
      assert.deepEqual(await noError('{ me { id borrowing { overdueAmount } } }', world.investors[0]), {
        id: world.investorIds[0],
        borrowing: null,
      });
      assert.deepEqual(await noError('{ me { portfolio { invested } borrowing { overdueAmount } } }', admin), {
        portfolio: null,
        borrowing: null,
      });
      assert.equal(await borrowingAs(admin, world.investorIds[0]), null, "an investor's borrowing, to an admin");
      assert.equal(await portfolioAs(admin, world.borrowerBId), null, "a borrower's portfolio, to an admin");

      // Through a public loan: its investors' portfolios and its borrower's summary belong to them alone.
      const loanQuery = `query($id: ID!) { loan(id: $id) { id borrower { id borrowing { overdueAmount } }
      bids(first: 10) { edges { node { id investor { id portfolio { invested } } } } } } }`;
      for (const [viewer, token] of [
        ['investor 1', world.investors[1]],
        ['borrower A', world.borrowerA],
        ['anonymous', undefined],
      ] as const) {
        const response = await client.gateway(loanQuery, { id: world.loanB }, token);
        const loan = response.data?.loan as any;
        assert.equal(loan.borrower.id, world.borrowerBId, `${viewer}: the rest of the answer stays`);
        assert.equal(loan.borrower.borrowing, null, viewer);
        const refusals = (response.errors ?? []).map((error) => [error.extensions?.code, error.path?.slice(-1)[0]]);
        const code = token === undefined ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        const viewerId = viewer === 'investor 1' ? world.investorIds[1] : null;
        const others = loan.bids.edges.filter((edge: any) => edge.node.investor.id !== viewerId);
        assert.deepEqual(
          refusals.sort(),
          [[code, 'borrowing'], ...others.map(() => [code, 'portfolio'])].sort(),
          `${viewer}: ${JSON.stringify(response.errors)}`,
        );
        for (const edge of loan.bids.edges) {
          const own = viewer === 'investor 1' && edge.node.investor.id === world.investorIds[1];
          assert.equal(edge.node.investor.portfolio === null, !own, `${viewer} reading ${edge.node.investor.id}`);
        }
      }

      // The repayments subgraph reached directly refuses another user's figures, whatever role is claimed.
      const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
      portfolio { invested } borrowing { overdueAmount } } } }`;
      const representation = { __typename: 'User', id: world.investorIds[0], role: 'INVESTOR' };
      const direct = await postGraphQL(
        platform.subgraphs.repayments.url,
        entities,
        { r: [representation] },
        world.investors[1],
      );
      assert.deepEqual(errorCodes(direct).sort(), ['FORBIDDEN', 'FORBIDDEN']);
      const own = await postGraphQL(
        platform.subgraphs.repayments.url,
        entities,
        { r: [representation] },
        world.investors[0],
      );
      assert.equal(own.errors, undefined, JSON.stringify(own.errors));
      assert.equal((own.data as any)._entities[0].portfolio.invested, '3500.00');
    });

    test('User.receivables filters by each status and by loan, totals included', async () => {
      const [investor] = world.investors;
      const { rows: all } = await receivablesOf(investor);
      for (const status of ['PENDING', 'RECEIVED', 'SETTLED_EARLY']) {
        const expected = all.filter((row) => row.status === status).map((row) => row.id);
        const { rows, totalCount } = await receivablesOf(investor, { s: status });
        assert.deepEqual(
          rows.map((row) => row.id),
          expected,
          status,
        );
        assert.equal(totalCount, expected.length, status);
      }
      for (const loanId of [world.loanA, world.loanB]) {
        const expected = all.filter((row) => row.bid.loan.id === loanId).map((row) => row.id);
        assert.equal(expected.length, 3);
        assert.deepEqual(
          (await receivablesOf(investor, { l: loanId })).rows.map((row) => row.id),
          expected,
        );
      }
      const both = await receivablesOf(investor, { s: 'PENDING', l: world.loanB });
      assert.deepEqual(
        both.rows.map((row) => row.id),
        all.filter((row) => row.status === 'PENDING' && row.bid.loan.id === world.loanB).map((row) => row.id),
      );
      // As literals too, and the admin's view of the investor's list is the same.
      const literal = `{ user(id: "${world.investorIds[0]}") {
        receivables(first: 100, status: RECEIVED, loanId: "${world.loanA}") { totalCount } } }`;
      const expectedCount = all.filter((row) => row.status === 'RECEIVED' && row.bid.loan.id === world.loanA).length;
      for (const token of [investor, admin])
        assert.equal(dataOf(await client.gateway(literal, {}, token)).user.receivables.totalCount, expectedCount);
    });

    test('User.bids filters by each status and by loan, totals included', async () => {
      const [investor] = world.investors;
      const bidsOf = async (variables: Record<string, unknown>) => {
        const list = dataOf(await client.gateway(BIDS, variables, investor)).me.bids;
        return list.edges.map((edge: any) => [edge.node.status, edge.node.loan.id, edge.node.amount]);
      };
      assert.deepEqual(await bidsOf({ s: 'FROZEN' }), [['FROZEN', world.loanC, '500.00']]);
      assert.deepEqual(await bidsOf({ s: 'LOANED' }), [
        ['LOANED', world.loanB, '1500.00'],
        ['LOANED', world.loanA, '2000.00'],
      ]);
      for (const status of ['PENDING', 'REFUNDED', 'FAILED']) assert.deepEqual(await bidsOf({ s: status }), [], status);
      assert.deepEqual(await bidsOf({ l: world.loanA }), [['LOANED', world.loanA, '2000.00']]);
      assert.deepEqual(await bidsOf({ l: world.loanC, s: 'LOANED' }), []);
      const literal = `{ me { bids(first: 10, status: FROZEN, loanId: "${world.loanC}") { totalCount } } }`;
      assert.equal(dataOf(await client.gateway(literal, {}, investor)).me.bids.totalCount, 1);
    });

    test('a bad status, a malformed loan id and an unknown loan are refused, literal and variable', async () => {
      const [investor] = world.investors;
      const unknownLoan = newId();
      const cases: {
        name: string;
        field: 'bids' | 'receivables';
        args: string;
        variables: Record<string, unknown>;
        code: string;
      }[] = [];
      for (const field of ['bids', 'receivables'] as const) {
        cases.push(
          {
            name: 'a status not in the enum',
            field,
            args: 'status: SOLD',
            variables: { s: 'SOLD' },
            code: 'BAD_USER_INPUT',
          },
          {
            name: 'a malformed loan id',
            field,
            args: 'loanId: "loan-1"',
            variables: { l: 'loan-1' },
            code: 'BAD_USER_INPUT',
          },
          { name: 'a number as loan id', field, args: 'loanId: 12', variables: { l: 12 }, code: 'BAD_USER_INPUT' },
          {
            name: 'an unknown loan',
            field,
            args: `loanId: "${unknownLoan}"`,
            variables: { l: unknownLoan },
            code: 'NOT_FOUND',
          },
        );
      }
      // Repayments knows a loan from its payout: the fundraising loan has no receivables to filter by.
      cases.push({
        name: 'a loan not paid out',
        field: 'receivables',
        args: `loanId: "${world.loanC}"`,
        variables: { l: world.loanC },
        code: 'NOT_FOUND',
      });
      for (const { name, field, args, variables, code } of cases) {
        const statusType = field === 'bids' ? 'BidStatus' : 'ReceivableStatus';
        const literal = await client.gateway(`{ me { id ${field}(first: 5, ${args}) { totalCount } } }`, {}, investor);
        const variable = await client.gateway(
          `query($s: ${statusType}, $l: ID) { me { id ${field}(first: 5, status: $s, loanId: $l) { totalCount } } }`,
          variables,
          investor,
        );
        for (const [form, response] of [
          ['literal', literal],
          ['variable', variable],
        ] as const) {
          const codes = errorCodes(response);
          // A value the schema does not allow is bad input as a literal and as a variable alike.
          assert.deepEqual(codes, [code], `${field}, ${name}, ${form}: ${JSON.stringify(response.errors)}`);
          assert.ok(!JSON.stringify(response).includes('INTERNAL_SERVER_ERROR'), `${field}, ${name}, ${form}`);
        }
      }
    });
  },
);
