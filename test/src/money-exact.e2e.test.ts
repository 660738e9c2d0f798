// Proves money exact per investor through the gateway, every service its own process on MariaDB and
// RabbitMQ (domain.md §4): bidPreview.expectedInterest, asked before each bid of a 3-investor loan (equal
// installment and interest-first; literal and variable forms agree), is the Σ interest of that bid's
// receivables after payout — to the fen for the bid that fills the loan (the preview then sees the loan's
// final state), within a fen for earlier ones (they see the rest as one bid; later bids move largest
// remainders). And an overdue loan: the borrower, broke past all three due dates, pays the penalties
// later; the receivables' penalties add up to each installment's and the borrower's paid penalty to the fen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, formatMoney, parseMoney } from '@wanxin/platform';
import { brokerUrlUnderTest, dataOf, eventually, servicesRequired } from '@wanxin/platform/testing';
import {
  identityFor,
  MarketplaceClient,
  MEMBER_LOAN_RATE,
  postBankPage,
  TRADE_PASSWORD,
  type Redirect,
} from './harness/marketplace';
import { QUICK_REPAYMENT_JOBS, startPlatform, type RunningPlatform } from './harness/platform';

const servicesMissing = !process.env.DATABASE_URL || brokerUrlUnderTest() === null;
if (servicesMissing && servicesRequired()) {
  throw new Error('REQUIRE_SERVICES=1 but DATABASE_URL or AMQP_URL is not set');
}

const PREVIEW = 'query($l: ID!, $a: Money) { bidPreview(loanId: $l, amount: $a) { expectedInterest } }';
const SCHEDULE = 'query($id: ID!) { loan(id: $id) { status schedule { period dueDate amount penalty status } } }';
const RECEIVABLES =
  '{ me { receivables(first: 100) { edges { node { interest penalty status ' + 'installment { period } } } } } }';
const RUN = 'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate installmentsRepaid collectionsRefused } }';
const REDIRECT = 'url method requestNo fields { name value }';
/** Days walked one by one after the borrower pays up, until the loan settles: a bound on the wait. */
const SETTLE_DAYS_MAX = 10;

interface LoanRow {
  status: string;
  schedule: { period: number; dueDate: string; amount: string; penalty: string; status: string }[];
}

interface ReceivableRow {
  interest: string;
  penalty: string;
  status: string;
  installment: { period: number };
}

const sumFen = (values: string[]) => values.reduce((total, value) => total + parseMoney(value), 0n);

const skip = servicesMissing && 'DATABASE_URL or AMQP_URL is not set';

describe('money exact per investor through the gateway (MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  let memberNumber = 700;

  const member = async (role: 'BORROWER' | 'INVESTOR', rechargeYuan?: string) => {
    const { mobile, idNumber } = identityFor(memberNumber++);
    return client.member(mobile, role, idNumber, rechargeYuan);
  };
  const loanOf = async (loanId: string, token: string): Promise<LoanRow> =>
    dataOf(await client.gateway(SCHEDULE, { id: loanId }, token)).loan;
  const receivablesOf = async (investor: string): Promise<ReceivableRow[]> =>
    dataOf(await client.gateway(RECEIVABLES, {}, investor)).me.receivables.edges.map(
      (edge: { node: ReceivableRow }) => edge.node,
    );
  /** Moves money on the bank's page as the user's browser does, and waits until the balance shows it. */
  const atBank = async (token: string, mutation: 'recharge' | 'withdraw', amount: string, balanceAfter: string) => {
    const document = `mutation($a: Money!) { ${mutation}(amount: $a) { ${REDIRECT} } }`;
    const redirect: Redirect = dataOf(await client.gateway(document, { a: amount }, token))[mutation];
    assert.equal((await postBankPage(redirect, TRADE_PASSWORD)).status, 200);
    await eventually(async () => ((await client.balances(token)).balance === balanceAfter ? true : undefined));
  };

  /** A loan opened for bids: created by the borrower, approved by the admin. */
  async function openLoan(borrower: string, amount: string, termMonths: number, method: string): Promise<string> {
    const create = 'mutation($i: CreateLoanInput!) { createLoan(input: $i) { id } }';
    const loanId = (
      await eventually(async () => {
        const input = { title: '经营周转', amount, termMonths, repaymentMethod: method, annualRate: MEMBER_LOAN_RATE };
        const response = await client.gateway(create, { i: input }, borrower);
        return response.errors?.[0]?.extensions?.code === 'CONFLICT' ? undefined : dataOf(response).createLoan;
      })
    ).id as string;
    assert.equal(await client.approveLoan(admin, loanId), 'FUNDRAISING');
    return loanId;
  }

  /** The bids placed in order, then the payout; the schedule once repayments has built it. */
  async function fundAndPayOut(loanId: string, borrower: string, termMonths: number, bids: [string, string][]) {
    for (const [investor, amount] of bids) {
      assert.equal(dataOf(await client.firstBid(loanId, amount, investor)).placeBid.status, 'FROZEN');
    }
    await eventually(async () => ((await loanOf(loanId, borrower)).status === 'FULLY_FUNDED' ? true : undefined));
    const review = 'mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }';
    assert.equal(dataOf(await client.gateway(review, { id: loanId }, admin)).reviewFullLoan.status, 'REPAYING');
    return eventually(async () => {
      const { schedule } = await loanOf(loanId, borrower);
      return schedule.length === termMonths ? schedule : undefined;
    });
  }

  before(async () => {
    platform = await startPlatform('mysql', true, QUICK_REPAYMENT_JOBS);
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  for (const method of ['EQUAL_INSTALLMENT', 'INTEREST_FIRST']) {
    test(`${method}: each bid's preview, asked before placing it, is the Σ interest of its receivables`, async () => {
      const borrower = await member('BORROWER');
      const amounts = ['5000.00', '4100.00', '2900.00'];
      const bids: [string, string][] = [];
      for (const amount of amounts) bids.push([await member('INVESTOR', amount), amount]);
      const loanId = await openLoan(borrower, '12000.00', 12, method);
      const previewsFen: bigint[] = [];
      for (const [index, [investor, amount]] of bids.entries()) {
        // bids hears of the loan by event: NOT_FOUND until then.
        const byVariables = await eventually(async () => {
          const response = await client.gateway(PREVIEW, { l: loanId, a: amount }, investor);
          return response.errors?.[0]?.extensions?.code === 'NOT_FOUND' ? undefined : dataOf(response).bidPreview;
        });
        const literal = `{ bidPreview(loanId: "${loanId}", amount: "${amount}") { expectedInterest } }`;
        const byLiteral = dataOf(await client.gateway(literal, {}, investor)).bidPreview;
        assert.deepEqual(byLiteral, byVariables, `bid ${index + 1}: literal and variables agree`);
        previewsFen.push(parseMoney(byVariables.expectedInterest));
        assert.equal(dataOf(await client.placeBid(loanId, amount, investor)).placeBid.status, 'FROZEN');
      }
      await fundAndPayOut(loanId, borrower, 12, []);
      const paidFen = await Promise.all(
        bids.map(async ([investor]) => sumFen((await receivablesOf(investor)).map((row) => row.interest))),
      );
      assert.equal(formatMoney(previewsFen[2]), formatMoney(paidFen[2]), 'the bid that filled the loan: exact');
      previewsFen.slice(0, 2).forEach((previewFen, index) => {
        const offFen = previewFen - paidFen[index];
        const figures = `preview ${formatMoney(previewFen)}, paid ${formatMoney(paidFen[index])}`;
        assert.ok(offFen >= -1n && offFen <= 1n, `bid ${index + 1}: ${figures}`);
      });
    });
  }

  test("an overdue loan's receivables' penalties add up to each installment's and the borrower's", async () => {
    const borrower = await member('BORROWER');
    const amounts = ['1300.00', '1000.00', '700.00'];
    const investors: string[] = [];
    for (const amount of amounts) investors.push(await member('INVESTOR', amount));
    const loanId = await openLoan(borrower, '3000.00', 3, 'EQUAL_INSTALLMENT');
    const bids = investors.map((investor, index): [string, string] => [investor, amounts[index]]);
    const schedule = await fundAndPayOut(loanId, borrower, 3, bids);
    const payout = (await client.balances(borrower)).balance;
    await atBank(borrower, 'withdraw', payout, '0.00');
    // Broke on every due date and for days after: all three installments overdue, penalties growing.
    const lastLate = addDays(schedule[2].dueDate, 4);
    assert.ok(dataOf(await client.gateway(RUN, { d: lastLate }, admin)).runDailyJobs.collectionsRefused > 0);
    const overdue = (await loanOf(loanId, borrower)).schedule.map((row) => row.status);
    assert.deepEqual(overdue, ['OVERDUE', 'OVERDUE', 'OVERDUE']);
    await atBank(borrower, 'recharge', '4000.00', '4000.00');
    let day = lastLate;
    const settled = async () => (await loanOf(loanId, borrower)).status === 'SETTLED';
    for (let walked = 0; walked < SETTLE_DAYS_MAX && !(await settled()); walked += 1) {
      day = addDays(day, 1);
      await client.gateway(RUN, { d: day }, admin);
      await eventually(async () => ((await client.balances(borrower)).frozen === '0.00' ? true : undefined), 30_000);
    }
    const { status, schedule: repaid } = await loanOf(loanId, borrower);
    assert.equal(status, 'SETTLED');
    const penaltyFen = sumFen(repaid.map((row) => row.penalty));
    assert.ok(
      repaid.every((row) => parseMoney(row.penalty) > 0n),
      'every installment was repaid late',
    );
    const borrowerPaidFen = 4_000_00n - parseMoney((await client.balances(borrower)).balance);
    assert.equal(formatMoney(borrowerPaidFen), formatMoney(sumFen(repaid.map((row) => row.amount)) + penaltyFen));

    const receivables = await Promise.all(investors.map(receivablesOf));
    for (const row of repaid) {
      const shares = receivables.flat().filter((receivable) => receivable.installment.period === row.period);
      assert.equal(shares.length, 3);
      assert.equal(formatMoney(sumFen(shares.map((share) => share.penalty))), row.penalty, `period ${row.period}`);
    }
    // Shared cumulatively: each investor holds within a fen of their exact share of the loan's penalty.
    [13n, 10n, 7n].forEach((weight, index) => {
      const heldFen = sumFen(receivables[index].map((receivable) => receivable.penalty));
      const offTimes30 = heldFen * 30n - penaltyFen * weight;
      const figures = `${formatMoney(heldFen)} of ${formatMoney(penaltyFen)}`;
      assert.ok(offTimes30 > -30n && offTimes30 < 30n, `investor ${index + 1} holds ${figures}`);
    });
  });
});
