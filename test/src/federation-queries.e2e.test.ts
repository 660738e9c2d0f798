// Proves a page of loans with their borrower, funding and first bids costs each subgraph a small, fixed
// number of SQL statements, not one or two per loan (no N+1 across the federation): every service its
// own process on MariaDB and RabbitMQ, each subgraph's statements for GraphQL requests read from its
// /metrics (wanxin_sql_queries_total{source="request"}) before and after one gateway query. The page of
// 50 costs each subgraph exactly what the page of 10 costs, within a small bound, and shows the right bids.
// A page of 100 with bids and the borrowers' and investors' users fields, literal and variable, passes the
// cost ceilings of the gateway and of every subgraph, which prices each _entities representation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SubgraphName } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { requestQueriesDuring } from './harness/metrics';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const BORROWERS = 5;
const LOANS_PER_BORROWER = 10;
const LOAN_AMOUNT = '2000.00';
/** Every BID_EVERY-th loan gets one bid from each investor. */
const BID_EVERY = 4;
const INVESTOR_BIDS = ['100.00', '200.00'];
/**
 * Statements one page may cost each subgraph: loans pages and counts the loans (2); bids loads every
 * funding row (1) and every loan's first bids and their counts (2); users, depository and repayments are
 * not asked at all (the gateway already holds each borrower's and investor's id, the only field shown).
 */
const STATEMENTS_MAX: Record<SubgraphName, number> = { users: 0, loans: 3, bids: 4, repayments: 0, depository: 0 };

const PAGE = `query($n: Int!) { loans(first: $n) { edges { node { id
  borrower { id } funding { raised } bids(first: 10) { edges { node { id amount investor { id } } } } } } } }`;

interface PageLoan {
  id: string;
  borrower: { id: string };
  funding: { raised: string };
  bids: { edges: { node: { id: string; amount: string; investor: { id: string } } }[] };
}

describe(
  'a page of loans with borrower, funding and bids through the gateway (every service its own process, MariaDB, RabbitMQ)',
  { skip },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;
    /** The page the first test builds: its loans and an investor's token. */
    let built: { loanIds: string[]; investor: string } | undefined;

    before(async () => {
      platform = await startPlatform('mysql', true);
      client = new MarketplaceClient(platform);
    });
    after(async () => platform?.stop());

    test('each subgraph answers a page of 50 in as many SQL statements as a page of 10, within a small bound', async (t) => {
      const admin = await client.adminToken();
      const borrowers = await Promise.all(
        Array.from({ length: BORROWERS }, (_, index) => {
          const { mobile, idNumber } = identityFor(index);
          return client.member(mobile, 'BORROWER', idNumber);
        }),
      );
      const investors = await Promise.all(
        INVESTOR_BIDS.map((_, index) => {
          const { mobile, idNumber } = identityFor(BORROWERS + index);
          return client.member(mobile, 'INVESTOR', idNumber, '10000.00');
        }),
      );
      // A borrower has one loan under review at a time: each borrower's loans one after another.
      const loanIds = (
        await Promise.all(
          borrowers.map(async (borrower) => {
            const ids: string[] = [];
            for (let count = 0; count < LOANS_PER_BORROWER; count += 1) {
              const loan = await client.publishLoan(borrower, LOAN_AMOUNT);
              assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
              ids.push(loan.id);
            }
            return ids;
          }),
        )
      ).flat();
      const bidLoanIds = loanIds.filter((_, index) => index % BID_EVERY === 0);
      const bidIds = new Map<string, string[]>();
      for (const loanId of bidLoanIds) {
        for (const [index, investor] of investors.entries()) {
          const bid = await client.frozenBid(loanId, INVESTOR_BIDS[index], investor);
          assert.equal(bid.status, 'FROZEN');
          bidIds.set(loanId, [bid.id, ...(bidIds.get(loanId) ?? [])]);
        }
      }
      // Bids learns of each loan from loans.loan.opened; the funding rows are all there once no loan shows 0 remaining.
      await eventually(async () => {
        const page = dataOf(
          await client.gateway('{ loans(first: 50) { edges { node { funding { remaining } } } } }', {}, admin),
        ).loans.edges;
        return page.length === loanIds.length &&
          page.every((edge: { node: { funding: { remaining: string } } }) => edge.node.funding.remaining !== '0.00')
          ? true
          : undefined;
      }, 30_000);

      const pageOf = async (first: number) => {
        let loans: PageLoan[] = [];
        const statements = await requestQueriesDuring(platform, async () => {
          loans = dataOf(await client.gateway(PAGE, { n: first }, investors[0])).loans.edges.map(
            (edge: { node: PageLoan }) => edge.node,
          );
        });
        return { loans, statements };
      };
      const small = await pageOf(10);
      const large = await pageOf(50);
      t.diagnostic(
        `SQL statements per subgraph, page of 10: ${JSON.stringify(small.statements)}; page of 50: ${JSON.stringify(large.statements)}`,
      );
      assertPageShows(large.loans, loanIds, bidIds);
      assert.equal(small.loans.length, 10);
      for (const name of Object.keys(STATEMENTS_MAX) as SubgraphName[]) {
        assert.ok(
          large.statements[name] <= STATEMENTS_MAX[name],
          `${name}: ${large.statements[name]} statements for 50 loans, at most ${STATEMENTS_MAX[name]}`,
        );
      }
      assert.deepEqual(large.statements, small.statements, 'a page of 50 costs each subgraph what a page of 10 costs');
      assert.ok(large.statements.bids > 0 && large.statements.loans > 0, 'the counters count');
      built = { loanIds, investor: investors[0] };
    });

    test('a page of 100 loans with bids and users passes the cost ceilings of the gateway and every subgraph', async (t) => {
      if (built === undefined) return t.skip('the page was not built');
      // Each subgraph prices the gateway's _entities fetch, one more per representation: a normal page still fits.
      const fields =
        'edges { node { id title borrower { id mobile } ' +
        'bids(first: 20) { edges { node { id amount investor { id mobile } } } } } }';
      for (const response of [
        await client.gateway(`{ loans(first: 100) { ${fields} } }`, {}, built.investor),
        await client.gateway(`query($n: Int!) { loans(first: $n) { ${fields} } }`, { n: 100 }, built.investor),
      ]) {
        assert.equal(response.errors, undefined, JSON.stringify(response.errors));
        const loans = dataOf(response).loans.edges.map(
          (edge: { node: { id: string; borrower: { mobile: string } } }) => edge.node,
        );
        assert.deepEqual(loans.map((loan: { id: string }) => loan.id).sort(), [...built.loanIds].sort());
        assert.ok(loans.every((loan: { borrower: { mobile: string } }) => loan.borrower.mobile.length > 0));
      }
    });

    /** The page shows every loan, newest first, with its own borrower, funding and bids. */
    function assertPageShows(loans: PageLoan[], loanIds: string[], bidIds: Map<string, string[]>): void {
      assert.deepEqual(loans.map((loan) => loan.id).sort(), [...loanIds].sort());
      for (const loan of loans) {
        const expected = bidIds.get(loan.id) ?? [];
        assert.deepEqual(
          loan.bids.edges.map((edge) => edge.node.id).sort(),
          [...expected].sort(),
          `loan ${loan.id}: its own bids`,
        );
        assert.equal(loan.funding.raised, expected.length === 0 ? '0.00' : '300.00');
        assert.ok(loan.borrower.id.length > 0 && loan.bids.edges.every((edge) => edge.node.investor.id.length > 0));
      }
    }
  },
);
