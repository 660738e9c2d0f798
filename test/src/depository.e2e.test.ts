// Proves the depository flow through the gateway with every service its own process (MariaDB, RabbitMQ,
// the bank simulator): open an account on the bank's page, recharge and withdraw with the trade
// password, a notification lost while the agent was down still arrives by the bank's retries, refused
// requests change nothing, and the day's reconciliation matches the bank to the fen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { databaseName } from '@wanxin/platform';
import {
  dataOf,
  errorCodes,
  eventually,
  postGraphQL,
  servicesUnderTest,
  TEST_ADMIN,
  waitFor,
} from '@wanxin/platform/testing';
import { MarketplaceClient, postBankPage } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

/** The holder as MarketplaceClient.verifiedIdentity verifies them (realName 张三). */
const OPEN_INPUT = {
  realName: '张三',
  idNumber: '110105198912310028',
  bankCode: 'ICBC',
  cardNumber: '6222020000001234567',
  cardMobile: '13600000001',
};
const TRADE_PASSWORD = 'trade-pass-1';
const ACCOUNT = '{ me { depositoryAccount { status balance frozen cardNumber } } }';

interface Redirect {
  url: string;
  method: string;
  requestNo: string;
  fields: { name: string; value: string }[];
}

/** What the user's browser does with a BankRedirect: post its fields and the trade password. */
async function completeAtBank(redirect: Redirect, password = TRADE_PASSWORD, expectedStatus = 200): Promise<string> {
  const response = await postBankPage(redirect, password);
  assert.equal(response.status, expectedStatus);
  return response.text();
}

describe('depository through the gateway (every service its own process, MariaDB, RabbitMQ, bank)', { skip }, () => {
  let platform: RunningPlatform;
  let token: string;
  let adminToken: string;
  const gateway = (query: string, variables: Record<string, unknown> = {}, as = token) =>
    postGraphQL(platform.gateway.url, query, variables, as);
  const account = async () => dataOf(await gateway(ACCOUNT)).me.depositoryAccount;
  const accountWhen = (predicate: (account: any) => boolean) =>
    eventually(async () => {
      const current = await account();
      return current !== null && predicate(current) ? current : undefined;
    }, 20_000);
  /** Whether the bank tried to deliver `requestNo`'s notification and the delivery failed (it is still due). */
  const notificationDeliveryFailed = async (requestNo: string) => {
    const { config } = platform.environment;
    const bankDatabase = await mysql.createConnection({
      uri: config.database.url!.toString().replace(/^mariadb:/, 'mysql:'),
      database: databaseName(config, 'bank'),
    });
    try {
      const [rows] = await bankDatabase.query(
        "select count(*) as failed from bank_notifications where request_no = ? and status = 'PENDING' and attempts >= 1",
        [requestNo],
      );
      return Number((rows as { failed: number }[])[0].failed) === 1;
    } finally {
      await bankDatabase.end();
    }
  };
  const redirect = async (mutation: string, variables: Record<string, unknown> = {}) => {
    const response = await gateway(mutation, variables);
    const data = dataOf(response) as Record<string, Redirect>;
    return Object.values(data)[0];
  };

  before(async () => {
    platform = await startPlatform('mysql', true);
    const register = `mutation { register(input: { mobile: "13600000001", password: "invest-pass-1", role: INVESTOR }) { token } }`;
    token = dataOf(await gateway(register, {}, undefined)).register.token;
    adminToken = dataOf(
      await gateway(
        'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }',
        { m: TEST_ADMIN.mobile, p: TEST_ADMIN.password },
        undefined,
      ),
    ).login.token;
  });
  after(async () => platform?.stop());

  test('the registration event creates the account row; money cannot move before opening', async () => {
    assert.equal((await accountWhen((current) => current.status === 'NOT_OPENED')).balance, '0.00');
    assert.deepEqual(errorCodes(await gateway('mutation { recharge(amount: "100.00") { requestNo } }')), ['CONFLICT']);
    // The account is opened with the verified identity: none yet, as variables and as a literal.
    const openWithout = await gateway(
      'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo } }',
      { i: OPEN_INPUT },
    );
    const literalWithout = await gateway(
      `mutation { openDepositoryAccount(input: { bankCode: "ICBC", cardNumber: "${OPEN_INPUT.cardNumber}",
        cardMobile: "${OPEN_INPUT.cardMobile}" }) { requestNo } }`,
    );
    for (const response of [openWithout, literalWithout]) {
      assert.deepEqual(errorCodes(response), ['CONFLICT']);
      assert.match((response as { errors: { message: string }[] }).errors[0].message, /verify your identity/);
    }
    await new MarketplaceClient(platform).verifiedIdentity(token, OPEN_INPUT.idNumber);
    // The depository learns the verified identity by users.identity.verified: CONFLICT until it has.
    const otherName = await eventually(async () => {
      const response = await gateway(
        'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo } }',
        { i: { ...OPEN_INPUT, realName: '王大明' } },
      );
      return errorCodes(response)[0] === 'CONFLICT' ? undefined : response;
    });
    assert.deepEqual(errorCodes(otherName), ['BAD_USER_INPUT'], 'a name other than the verified one');
    assert.deepEqual(
      errorCodes(
        await gateway(
          'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo } }',
          { i: OPEN_INPUT },
          adminToken,
        ),
      ),
      ['FORBIDDEN'],
    );
    const badId = await gateway('mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo } }', {
      i: { ...OPEN_INPUT, idNumber: '110105194912310021' },
    });
    assert.deepEqual(errorCodes(badId), ['BAD_USER_INPUT']);
    assert.equal((await account()).status, 'NOT_OPENED', 'refused requests changed nothing');
  });

  test('opening on the bank page: the notification opens the account', async () => {
    const opening = await redirect(
      'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { url method requestNo fields { name value } } }',
      { i: OPEN_INPUT },
    );
    assert.deepEqual(
      opening.fields.map((field) => field.name),
      ['serviceName', 'platformNo', 'reqData', 'signature'],
    );
    assert.equal((await account()).status, 'PENDING');
    // A weak trade password is refused on the bank's page (the tail of the card mobile 13600000001 too).
    for (const weak of ['123456', '999999', '00000001'])
      assert.match(await completeAtBank(opening, weak, 400), /too easy to guess/, weak);
    assert.equal((await account()).status, 'PENDING', 'a refused password opens nothing');
    await completeAtBank(opening);
    const opened = await accountWhen((current) => current.status === 'OPENED');
    assert.equal(opened.cardNumber, OPEN_INPUT.cardNumber);
  });

  test('recharge 50,000.00, withdraw 1,000.00: balances follow, to the fen', async () => {
    await completeAtBank(
      await redirect('mutation { recharge(amount: "50000.00") { url method requestNo fields { name value } } }'),
    );
    await accountWhen((current) => current.balance === '50000.00');
    await completeAtBank(
      await redirect('mutation { withdraw(amount: "1000.00") { url method requestNo fields { name value } } }'),
    );
    const after = await accountWhen((current) => current.balance === '49000.00');
    assert.equal(after.frozen, '0.00');
  });

  test('bad amounts and overdrafts are refused before the bank and change nothing', async () => {
    for (const amount of ['-1.00', '0.00', '1.001', '1e3', '10000000000.00']) {
      assert.deepEqual(
        errorCodes(await gateway('mutation($a: Money!) { recharge(amount: $a) { requestNo } }', { a: amount })),
        ['BAD_USER_INPUT'],
        amount,
      );
    }
    assert.deepEqual(errorCodes(await gateway('mutation { withdraw(amount: "49000.01") { requestNo } }')), [
      'INSUFFICIENT_FUNDS',
    ]);
    const wrongPassword = await completeAtBank(
      await redirect('mutation { withdraw(amount: "10.00") { url method requestNo fields { name value } } }'),
      'not-the-password',
      403,
    );
    assert.match(wrongPassword, /password/i);
    assert.equal((await account()).balance, '49000.00');
  });

  test('a notification lost while the agent is down arrives by the bank’s retry', async () => {
    const recharge = await redirect(
      'mutation { recharge(amount: "123.45") { url method requestNo fields { name value } } }',
    );
    await platform.restart('depository', {
      kill: true,
      whileDown: async () => {
        await completeAtBank(recharge);
        await waitFor(() => notificationDeliveryFailed(recharge.requestNo), {
          timeoutMs: 20_000,
          what: "the bank's first notification found the agent down",
        });
      },
    });
    await accountWhen((current) => current.balance === '49123.45');
    // The balance is the bank's; the agent's record settles when the retried notification arrives.
    const transactions = '{ depositoryTransactions(first: 20) { edges { node { requestNo status } } } }';
    await eventually(async () => {
      const edges = dataOf(await gateway(transactions)).depositoryTransactions.edges as {
        node: { requestNo: string; status: string };
      }[];
      return edges.some(({ node }) => node.requestNo === recharge.requestNo && node.status === 'SYNC')
        ? true
        : undefined;
    }, 20_000);
  });

  test('a forged notification is refused and changes nothing', async () => {
    const notify = `http://127.0.0.1:${platform.subgraphs.depository.port}/bank/notify`;
    const forged = {
      serviceName: 'RECHARGE',
      platformNo: 'WANXIN',
      respData: Buffer.from(
        JSON.stringify({
          requestNo: 'RCforged',
          code: BANK_CODES.SUCCESS,
          message: 'ok',
          userNo: 'x',
          amountFen: '100000000',
        }),
      ).toString('base64'),
      signature: 'AAAA',
    };
    const response = await fetch(notify, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    assert.equal(response.status, 400);
    assert.equal((await account()).balance, '49123.45');
  });

  test("the day's reconciliation matches every request with the bank", async () => {
    const date = new Date().toISOString().slice(0, 10);
    const query = `query($d: Date!) { reconciliation(date: $d) { matched notSubmitted missingAtBank missingAtPlatform mismatched platformAmount bankAmount discrepancies { requestNo result } } }`;
    assert.deepEqual(errorCodes(await gateway(query, { d: date })), ['FORBIDDEN']);
    const report = dataOf(await gateway(query, { d: date }, adminToken)).reconciliation;
    // Open, recharge 50,000.00, withdraw 1,000.00, recharge 123.45 matched; the wrong-password withdrawal
    // never reached the bank's books (refused on its page) and is not yet settled at the platform.
    assert.equal(report.matched, 4);
    assert.equal(report.missingAtPlatform, 0);
    assert.equal(report.mismatched, 0);
    assert.equal(report.platformAmount, report.bankAmount);
    assert.equal(report.bankAmount, '51123.45');
  });

  test('an ID number belongs to one user: a second user can neither verify it nor open with it (variables and literal)', async () => {
    const register = `mutation { register(input: { mobile: "13600000002", password: "invest-pass-1", role: INVESTOR }) { token } }`;
    const other = dataOf(await gateway(register, {}, undefined)).register.token;
    const otherAccount = async () => dataOf(await gateway(ACCOUNT, {}, other)).me.depositoryAccount;
    await eventually(async () => ((await otherAccount())?.status === 'NOT_OPENED' ? true : undefined), 20_000);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = (seed: string) => Buffer.concat([png, Buffer.from(seed)]).toString('base64');
    const identity = { realName: '王大明', idNumber: OPEN_INPUT.idNumber, idFrontImage: image('f') };
    const verify = await gateway(
      'mutation($i: IdentityInput!) { verifyIdentity(input: $i) { status } }',
      { i: { ...identity, idBackImage: image('b'), faceImage: image('p') } },
      other,
    );
    assert.deepEqual(errorCodes(verify), ['CONFLICT']);
    assert.match((verify as { errors: { message: string }[] }).errors[0].message, /ID number/);
    const input = { ...OPEN_INPUT, realName: '王大明', cardNumber: '6222020000009999999', cardMobile: '13600000002' };
    const asVariables = await gateway(
      'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo } }',
      { i: input },
      other,
    );
    const fields = Object.entries(input)
      .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
      .join(', ');
    const asLiteral = await gateway(
      `mutation { openDepositoryAccount(input: { ${fields} }) { requestNo } }`,
      {},
      other,
    );
    for (const response of [asVariables, asLiteral]) {
      assert.deepEqual(errorCodes(response), ['CONFLICT']);
      assert.match((response as { errors: { message: string }[] }).errors[0].message, /verify your identity/);
    }
    assert.equal((await otherAccount()).status, 'NOT_OPENED', 'nothing was started');
  });

  test("the bank's refusal of a forged form and its signed answers, posted to /bank/notify, change nothing", async () => {
    const recharge = await redirect(
      'mutation { recharge(amount: "77.00") { url method requestNo fields { name value } } }',
    );
    const form = Object.fromEntries(recharge.fields.map((field) => [field.name, field.value]));
    const post = async (url: string, body: unknown) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.text() };
    };
    const service = recharge.url.replace(/\/gateway$/, '/service');
    const notify = `http://127.0.0.1:${platform.subgraphs.depository.port}/bank/notify`;
    const unsigned = JSON.parse((await post(service, { ...form, signature: 'AAAA' })).body);
    const asQuery = JSON.parse((await post(service, { ...form, serviceName: 'QUERY_BALANCE' })).body);
    for (const answer of [unsigned, asQuery]) {
      assert.deepEqual(
        JSON.parse(Buffer.from(answer.respData, 'base64').toString()).requestNo,
        '',
        'the refusal names no request',
      );
      for (const replay of [answer, { ...answer, messageType: 'NOTIFICATION', serviceName: 'RECHARGE' }])
        assert.equal((await post(notify, replay)).status, 400);
    }
    const misrouted = JSON.parse((await post(service, form)).body);
    assert.equal(JSON.parse(Buffer.from(misrouted.respData, 'base64').toString()).requestNo, recharge.requestNo);
    assert.equal((await post(notify, misrouted)).status, 400, 'a signed response is not a notification');
    const transactions = '{ depositoryTransactions(first: 20) { edges { node { requestNo status } } } }';
    const edges = dataOf(await gateway(transactions)).depositoryTransactions.edges as {
      node: { requestNo: string; status: string };
    }[];
    assert.equal(
      edges.find(({ node }) => node.requestNo === recharge.requestNo)?.node.status,
      'UNSYNC',
      'the recharge is still pending',
    );
    assert.equal((await account()).balance, '49123.45');
  });
});
