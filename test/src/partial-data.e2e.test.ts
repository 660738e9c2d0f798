// Proves the README's "Who sees what (partial data)" table through the gateway, every service its own
// process on MariaDB and RabbitMQ: each private field is either masked or null with an error whose path
// names only that field, and the rest of the answer stays, for an anonymous reader, the owner (the loan's
// borrower), another user, the loan's investor and an admin. The anonymous marketplace page that asks for
// `borrower { mobile }` gets every loan with the masked mobile; a paid-out loan's schedule (overdue days,
// penalties) is its borrower's, its investors' and admins' only, while its public figures stay public.
// Every query is sent with its input as variables and as literals in the document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskIdNumber, maskMobile, maskName } from '@wanxin/platform';
import { dataOf, eventually, servicesUnderTest, type GraphQLResponse } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient, MEMBER_NAME } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const LOAN_AMOUNT = '2000.00';
const PAGE_FIELDS = 'edges { node { id title borrower { id mobile } } }';
/** Every private field of the table, asked of one paid-out loan, its borrower and its bids' investors. */
const LOAN_FIELDS = `id title amount annualRate termMonths status funding { raised remaining }
  schedule { period dueDate overdueDays penalty }
  bids(first: 10) { totalCount edges { node { amount investor { id mobile } } } }
  borrower { id role mobile idNumber realName depositoryAccount { status cardNumber }
    loans(first: 5) { totalCount } bids(first: 5) { totalCount } receivables(first: 5) { totalCount } }`;

type Viewer = 'anonymous' | 'owner' | 'other' | 'investor' | 'admin';

/** What a viewer gets for a private field: the whole value, a masked one, or null with an error of this code. */
type Outcome = 'WHOLE' | 'MASKED' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/**
 * The README's table, row by row: field (its path under `loan`) → what each viewer gets. The owner is the
 * loan's borrower; the investor funded the loan; the other user is a borrower with no part in it.
 */
const TABLE: Record<string, Record<Viewer, Outcome>> = {
  'borrower.mobile': { anonymous: 'MASKED', owner: 'WHOLE', other: 'MASKED', investor: 'MASKED', admin: 'WHOLE' },
  'borrower.depositoryAccount': {
    anonymous: 'UNAUTHENTICATED',
    owner: 'WHOLE',
    other: 'FORBIDDEN',
    investor: 'FORBIDDEN',
    admin: 'WHOLE',
  },
  'borrower.loans': {
    anonymous: 'UNAUTHENTICATED',
    owner: 'WHOLE',
    other: 'FORBIDDEN',
    investor: 'FORBIDDEN',
    admin: 'WHOLE',
  },
  'borrower.bids': {
    anonymous: 'UNAUTHENTICATED',
    owner: 'WHOLE',
    other: 'FORBIDDEN',
    investor: 'FORBIDDEN',
    admin: 'WHOLE',
  },
  'borrower.receivables': {
    anonymous: 'UNAUTHENTICATED',
    owner: 'WHOLE',
    other: 'FORBIDDEN',
    investor: 'FORBIDDEN',
    admin: 'WHOLE',
  },
  schedule: { anonymous: 'UNAUTHENTICATED', owner: 'WHOLE', other: 'FORBIDDEN', investor: 'WHOLE', admin: 'WHOLE' },
};
const VIEWERS: Viewer[] = ['anonymous', 'owner', 'other', 'investor', 'admin'];

const pathOf = (error: { path?: (string | number)[] }) => (error.path ?? []).join('.');

/** Each error's path, code and message, in path order: what a client reads of it. */
function errorSummary(response: GraphQLResponse): string[][] {
  return (response.errors ?? []).map((error) => [pathOf(error), String(error.extensions?.code), error.message]).sort();
}

/** The value at a dotted path. */
function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node === null || node === undefined ? node : (node as Record<string, unknown>)[key]),
      value,
    );
}

describe(
  'who sees what: partial data through the gateway (every service its own process, MariaDB, RabbitMQ)',
  { skip },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;
    const tokens = {} as Record<Exclude<Viewer, 'anonymous'>, string>;
    const owner = identityFor(900);
    const investorIdentity = identityFor(902);
    let paidOutLoanId = '';
    let openLoanId = '';

    before(async () => {
      platform = await startPlatform('mysql', true);
      client = new MarketplaceClient(platform);
      tokens.admin = await client.adminToken();
      [tokens.owner, tokens.other, tokens.investor] = await Promise.all([
        client.member(owner.mobile, 'BORROWER', owner.idNumber),
        client.member(identityFor(901).mobile, 'BORROWER', identityFor(901).idNumber),
        client.member(investorIdentity.mobile, 'INVESTOR', investorIdentity.idNumber, '10000.00'),
      ]);
      const paidOut = await client.publishLoan(tokens.owner, LOAN_AMOUNT);
      paidOutLoanId = paidOut.id;
      assert.equal(await client.approveLoan(tokens.admin, paidOutLoanId), 'FUNDRAISING');
      assert.equal((await client.frozenBid(paidOutLoanId, LOAN_AMOUNT, tokens.investor)).status, 'FROZEN');
      const statusOf = async () =>
        dataOf(
          await client.gateway('query($id: ID!) { loan(id: $id) { status } }', { id: paidOutLoanId }, tokens.admin),
        ).loan.status;
      await eventually(async () => ((await statusOf()) === 'FULLY_FUNDED' ? true : undefined));
      const payout = await client.gateway(
        'mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }',
        { id: paidOutLoanId },
        tokens.admin,
      );
      assert.equal(dataOf(payout).reviewFullLoan.status, 'REPAYING');
      // repayments builds the schedule from loans.loan.disbursed.
      await eventually(async () => {
        const schedule = dataOf(
          await client.gateway(
            'query($id: ID!) { loan(id: $id) { schedule { period } } }',
            { id: paidOutLoanId },
            tokens.admin,
          ),
        ).loan.schedule;
        return schedule.length > 0 ? true : undefined;
      });
      openLoanId = (await client.publishLoan(tokens.owner, LOAN_AMOUNT)).id;
      assert.equal(await client.approveLoan(tokens.admin, openLoanId), 'FUNDRAISING');
    });
    after(async () => platform?.stop());

    /** The same query with its input as variables and as literals; both must answer alike. */
    async function bothForms(
      variableForm: string,
      literalForm: string,
      variables: Record<string, unknown>,
      token?: string,
    ): Promise<GraphQLResponse> {
      const [withVariables, withLiterals] = await Promise.all([
        client.gateway(variableForm, variables, token),
        client.gateway(literalForm, {}, token),
      ]);
      assert.deepEqual(withLiterals.data, withVariables.data, 'variables and literals answer alike');
      assert.deepEqual(errorSummary(withLiterals), errorSummary(withVariables), 'with the same errors');
      return withVariables;
    }

    test('the anonymous marketplace page gets every loan, each borrower with the masked mobile, and no error', async () => {
      const page = await bothForms(
        `query($n: Int) { loans(first: $n) { ${PAGE_FIELDS} } }`,
        `{ loans(first: 20) { ${PAGE_FIELDS} } }`,
        { n: 20 },
      );
      assert.equal(page.errors, undefined, JSON.stringify(page.errors));
      const nodes = page.data.loans.edges.map(
        (edge: { node: { id: string; borrower: { mobile: string } } }) => edge.node,
      );
      assert.deepEqual(nodes.map((node: { id: string }) => node.id).sort(), [paidOutLoanId, openLoanId].sort());
      for (const node of nodes) assert.equal(node.borrower.mobile, maskMobile(owner.mobile));
      assert.equal(maskMobile(owner.mobile), `${owner.mobile.slice(0, 3)}****${owner.mobile.slice(7)}`);
    });

    for (const viewer of VIEWERS) {
      test(`${viewer}: every row of the table, each refused field null with its own error, the rest of the loan there`, async () => {
        const token = viewer === 'anonymous' ? undefined : tokens[viewer];
        const response = await bothForms(
          `query($id: ID!) { loan(id: $id) { ${LOAN_FIELDS} } }`,
          `{ loan(id: "${paidOutLoanId}") { ${LOAN_FIELDS} } }`,
          { id: paidOutLoanId },
          token,
        );
        assert.equal(response.status, 200, 'a refused field fails only itself, never the request');
        const loan = response.data?.loan;
        assert.ok(loan, `the loan itself is there: ${JSON.stringify(response)}`);
        assert.deepEqual(
          [loan.id, loan.amount, loan.status, loan.funding.raised],
          [paidOutLoanId, LOAN_AMOUNT, 'REPAYING', LOAN_AMOUNT],
          'public figures stay public',
        );
        // Bid records are public, their investor masked like any user to others.
        assert.equal(loan.bids.totalCount, 1);
        const shownInvestorMobile = loan.bids.edges[0].node.investor.mobile;
        assert.equal(
          shownInvestorMobile,
          viewer === 'investor' || viewer === 'admin' ? investorIdentity.mobile : maskMobile(investorIdentity.mobile),
        );

        const expectedErrors = new Map<string, string>();
        for (const [field, outcomes] of Object.entries(TABLE)) {
          const outcome = outcomes[viewer];
          const value = at(loan, field);
          switch (outcome) {
            case 'WHOLE':
              assert.notEqual(value, null, `${viewer} sees ${field}`);
              break;
            case 'MASKED':
              assert.equal(typeof value, 'string', `${viewer} sees ${field} masked`);
              break;
            default:
              assert.equal(value, null, `${viewer}: ${field} is null`);
              expectedErrors.set(`loan.${field}`, outcome);
          }
        }
        assert.equal(
          loan.borrower.mobile,
          TABLE['borrower.mobile'][viewer] === 'WHOLE' ? owner.mobile : maskMobile(owner.mobile),
        );
        // idNumber and realName, from the verified identity, are masked like mobile (same rule), never refused.
        const whole = TABLE['borrower.mobile'][viewer] === 'WHOLE';
        assert.deepEqual(
          [loan.borrower.idNumber, loan.borrower.realName],
          whole ? [owner.idNumber, MEMBER_NAME] : [maskIdNumber(owner.idNumber), maskName(MEMBER_NAME)],
        );
        if (TABLE.schedule[viewer] === 'WHOLE') {
          assert.equal(loan.schedule.length, 3);
          assert.ok(
            loan.schedule.every(
              (row: { overdueDays: number; penalty: string }) => row.overdueDays === 0 && row.penalty === '0.00',
            ),
          );
        }
        // Each refused field has exactly one error, at its own path, with its code; nothing else failed.
        const errors = new Map((response.errors ?? []).map((error) => [pathOf(error), error.extensions?.code]));
        assert.deepEqual(
          Object.fromEntries(errors),
          Object.fromEntries(expectedErrors),
          JSON.stringify(response.errors),
        );
        assert.equal(response.errors?.length ?? 0, expectedErrors.size);
      });
    }

    test('before the payout the schedule is empty for everyone, without an error', async () => {
      for (const token of [undefined, tokens.other, tokens.owner]) {
        const response = await bothForms(
          'query($id: ID!) { loan(id: $id) { id schedule { period } } }',
          `{ loan(id: "${openLoanId}") { id schedule { period } } }`,
          { id: openLoanId },
          token,
        );
        assert.deepEqual(response.data, { loan: { id: openLoanId, schedule: [] } });
        assert.equal(response.errors, undefined);
      }
    });

    test("a page of loans with their schedules: only the paid-out loan's schedule is refused, every loan stays", async () => {
      const fields = 'edges { node { id status schedule { period } } }';
      const response = await bothForms(
        `query($n: Int) { loans(first: $n) { ${fields} } }`,
        `{ loans(first: 20) { ${fields} } }`,
        { n: 20 },
        tokens.other,
      );
      const nodes = response.data.loans.edges.map((edge: { node: { id: string; schedule: unknown } }) => edge.node);
      assert.equal(nodes.length, 2);
      const paidOutIndex = nodes.findIndex((node: { id: string }) => node.id === paidOutLoanId);
      assert.equal(nodes[paidOutIndex].schedule, null);
      assert.deepEqual(nodes[1 - paidOutIndex].schedule, []);
      assert.deepEqual(
        response.errors?.map((error) => [pathOf(error), error.extensions?.code]),
        [[`loans.edges.${paidOutIndex}.node.schedule`, 'FORBIDDEN']],
      );
    });
  },
);
