// Proves "one situation, one code" through the gateway, every service its own process on MariaDB and
// RabbitMQ: bids racing for the last amount of a loan all get CONFLICT once nothing is left, before and
// after the loan is marked FULLY_FUNDED, while an amount above a positive remainder stays BAD_USER_INPUT;
// and a user whose bank page was refused for a weak trade password gets a fresh page from a new
// openDepositoryAccount at once (not CONFLICT for 30 minutes), the old form opening nothing when posted.
// Input goes both as variables and as literals in the document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, errorCodes, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient, postBankPage, TRADE_PASSWORD, type Redirect } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

const RACERS = 12;
const REDIRECT = 'requestNo url method fields { name value }';

type Page = Redirect & { requestNo: string };

/** Posts a bank page's form as the user's browser would; the HTTP status and the result code shown. */
async function postPage(redirect: Redirect, password: string): Promise<{ status: number; code: string | null }> {
  const response = await postBankPage(redirect, password);
  return { status: response.status, code: /data-code="([0-9]+)"/.exec(await response.text())?.[1] ?? null };
}

describe(
  'one situation, one code through the gateway (every service its own process, MariaDB, RabbitMQ)',
  { skip },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;

    before(async () => {
      platform = await startPlatform('mysql', true);
      client = new MarketplaceClient(platform);
    });
    after(async () => platform?.stop());

    test(`${RACERS} bids racing for a loan's last 100.00: one takes it, every other gets CONFLICT, before and after FULLY_FUNDED`, async () => {
      const admin = await client.adminToken();
      const borrower = await client.member(identityFor(950).mobile, 'BORROWER', identityFor(950).idNumber);
      const investors = await Promise.all(
        [951, 952, 953].map((number) =>
          client.member(identityFor(number).mobile, 'INVESTOR', identityFor(number).idNumber, '5000.00'),
        ),
      );
      const loan = await client.publishLoan(borrower, '2000.00');
      assert.equal(await client.approveLoan(admin, loan.id), 'FUNDRAISING');
      assert.equal((await client.frozenBid(loan.id, '1900.00', investors[0])).status, 'FROZEN');

      // A positive remainder: asking for more is bad input, in both forms.
      const above = await client.placeBid(loan.id, '200.00', investors[1]);
      const aboveLiteral = await client.gateway(
        `mutation { placeBid(loanId: "${loan.id}", amount: "200.00") { id } }`,
        {},
        investors[1],
      );
      for (const response of [above, aboveLiteral]) {
        assert.deepEqual(errorCodes(response), ['BAD_USER_INPUT']);
        assert.match(response.errors![0].message, /only 100\.00 remains/);
      }

      const racing = await Promise.all(
        Array.from({ length: RACERS }, (_, index) => {
          const investor = investors[1 + (index % 2)];
          return index % 2 === 0
            ? client.placeBid(loan.id, '100.00', investor)
            : client.gateway(
                `mutation { placeBid(loanId: "${loan.id}", amount: "100.00") { id status amount } }`,
                {},
                investor,
              );
        }),
      );
      const taken = racing.filter((response) => response.errors === undefined);
      assert.equal(taken.length, 1, 'exactly one bid takes the last 100.00');
      const full = `loan ${loan.id} is fully funded: nothing remains to bid on`;
      for (const response of racing.filter((each) => each.errors !== undefined)) {
        assert.deepEqual(errorCodes(response), ['CONFLICT'], JSON.stringify(response.errors));
        assert.equal(response.errors![0].message, full);
      }
      await eventually(async () => {
        const status = dataOf(await client.gateway('query($id: ID!) { loan(id: $id) { status } }', { id: loan.id }))
          .loan.status;
        return status === 'FULLY_FUNDED' ? true : undefined;
      });
      for (const response of [
        await client.placeBid(loan.id, '100.00', investors[2]),
        await client.gateway(`mutation { placeBid(loanId: "${loan.id}", amount: "100.00") { id } }`, {}, investors[2]),
      ]) {
        assert.deepEqual(errorCodes(response), ['CONFLICT']);
        assert.equal(response.errors![0].message, full, 'the same answer once the loan is marked FULLY_FUNDED');
      }
    });

    test('a bank page refused for a weak trade password: a new openDepositoryAccount gives a fresh page at once; the old one opens nothing', async () => {
      const { mobile, idNumber } = identityFor(960);
      const token = await client.verifiedMember(mobile, 'INVESTOR', idNumber);
      const input = {
        realName: '张三',
        idNumber,
        bankCode: 'ICBC',
        cardNumber: '6222020000009600960',
        cardMobile: mobile,
      };
      const literalInput = `{ realName: "张三", idNumber: "${idNumber}", bankCode: "ICBC", cardNumber: "6222020000009600960", cardMobile: "${mobile}" }`;
      // The account row arrives by users.user.registered; opening waits for it.
      const first: Page = await eventually(async () => {
        const response = await client.gateway(
          `mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { ${REDIRECT} } }`,
          { i: input },
          token,
        );
        return response.errors ? undefined : dataOf(response).openDepositoryAccount;
      });
      assert.equal(
        (await postPage(first, '123')).status,
        400,
        'the bank refuses the weak trade password and re-shows its form',
      );

      const second: Page = dataOf(
        await client.gateway(`mutation { openDepositoryAccount(input: ${literalInput}) { ${REDIRECT} } }`, {}, token),
      ).openDepositoryAccount;
      assert.notEqual(second.requestNo, first.requestNo);
      const third: Page = dataOf(
        await client.gateway(
          `mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { ${REDIRECT} } }`,
          { i: input },
          token,
        ),
      ).openDepositoryAccount;
      assert.notEqual(third.requestNo, second.requestNo, 'a page closed unsubmitted is superseded as well');

      for (const superseded of [first, second])
        assert.equal(
          (await postPage(superseded, TRADE_PASSWORD)).code,
          BANK_CODES.BAD_PARAMETERS,
          `${superseded.requestNo} opens nothing`,
        );
      assert.equal((await client.balances(token)).status, 'PENDING');
      assert.equal((await postPage(third, TRADE_PASSWORD)).code, BANK_CODES.SUCCESS);
      await eventually(async () => ((await client.balances(token)).status === 'OPENED' ? true : undefined));
      const transactions = dataOf(
        await client.gateway(
          '{ depositoryTransactions(first: 10) { edges { node { requestNo serviceName status } } } }',
          {},
          token,
        ),
      );
      const registers = transactions.depositoryTransactions.edges
        .map((edge: { node: { requestNo: string; serviceName: string; status: string } }) => edge.node)
        .filter((node: { serviceName: string }) => node.serviceName === 'PERSONAL_REGISTER');
      assert.deepEqual(
        Object.fromEntries(
          registers.map((node: { requestNo: string; status: string }) => [node.requestNo, node.status]),
        ),
        {
          [first.requestNo]: 'FAILED',
          [second.requestNo]: 'FAILED',
          [third.requestNo]: 'SYNC',
        },
      );
    });
  },
);
