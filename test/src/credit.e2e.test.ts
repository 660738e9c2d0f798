// The borrower's path to a loan through the gateway, every service its own process (MariaDB, RabbitMQ, the
// identity and risk providers' simulators): no line, no loan; profile → identity → applyForCredit → the
// admin's review → the risk provider's answer → loans grants the line; publishing uses it, a rejected
// listing gives it back, and nothing over what is available is ever published — as variables and literals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dataOf, errorCodes, eventually, servicesUnderTest } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient, MEMBER_LOAN_RATE } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);
const CREATE = 'mutation($i: CreateLoanInput!) { createLoan(input: $i) { id amount annualRate } }';
const LINE = '{ me { creditLine { limit used available score annualRate } } }';
const loanInput = (amount: string, annualRate = MEMBER_LOAN_RATE) => ({
  title: '经营周转',
  amount,
  termMonths: 6,
  repaymentMethod: 'EQUAL_INSTALLMENT',
  annualRate,
});
const literalCreate = (amount: string) =>
  `mutation { createLoan(input: { title: "经营周转", amount: "${amount}", termMonths: 6,
    repaymentMethod: EQUAL_INSTALLMENT, annualRate: "${MEMBER_LOAN_RATE}" }) { id } }`;

describe('credit through the gateway (own processes, MariaDB, RabbitMQ, identity and risk providers)', { skip }, () => {
  let platform: RunningPlatform;
  let client: MarketplaceClient;
  let admin: string;
  const line = async (token: string) => dataOf(await client.gateway(LINE, {}, token)).me.creditLine;
  const pending = async () =>
    dataOf(await client.gateway('{ platformStats { creditApplicationsPending } }', {}, admin)).platformStats
      .creditApplicationsPending as number;

  const registerBorrower = async (mobile: string) => {
    const register = 'mutation($i: RegisterInput!) { register(input: $i) { token } }';
    const input = { mobile, password: 'credit-pass-1', role: 'BORROWER' };
    return dataOf(await client.gateway(register, { i: input })).register.token as string;
  };
  /** A borrower with a verified identity and a credit application waiting for review. */
  const applicant = async (memberNumber: number) => {
    const { mobile, idNumber } = identityFor(memberNumber);
    const borrower = await registerBorrower(mobile);
    await client.verifiedIdentity(borrower, idNumber);
    const { id } = dataOf(await client.gateway('mutation { applyForCredit { id } }', {}, borrower)).applyForCredit;
    return { borrower, applicationId: id as string };
  };

  before(async () => {
    // Re-asks every 2 s up to 8 s (production: 30 s to 10 min), so the outage below is waited out quickly.
    platform = await startPlatform('mysql', true, {
      RISK_REASK_FIRST_DELAY_MS: '2000',
      RISK_REASK_DELAY_MAX_MS: '8000',
    });
    client = new MarketplaceClient(platform);
    admin = await client.adminToken();
  });
  after(async () => platform?.stop());

  test('register → profile → identity → apply → review → risk answer → a line; no line, no loan', async () => {
    const { mobile, idNumber } = identityFor(40);
    const borrower = await registerBorrower(mobile);
    assert.equal(await line(borrower), null);
    assert.deepEqual(errorCodes(await client.gateway('mutation { applyForCredit { id } }', {}, borrower)), [
      'CONFLICT',
    ]);
    await client.verifiedIdentity(borrower, idNumber);
    await client.openAccount(borrower, mobile);
    // An opened account but no line: every amount is over what is available (0.00).
    assert.deepEqual(errorCodes(await client.gateway(CREATE, { i: loanInput('2000.00') }, borrower)), [
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    assert.deepEqual(errorCodes(await client.gateway(literalCreate('2000.00'), {}, borrower)), [
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    const pendingBefore = await pending();
    const application = dataOf(
      await client.gateway('mutation { applyForCredit { id status } }', {}, borrower),
    ).applyForCredit;
    assert.equal(application.status, 'SUBMITTED');
    assert.equal(await pending(), pendingBefore + 1, 'platformStats counts the application waiting for review');
    const review = `mutation { reviewCreditApplication(id: "${application.id}", approve: true) { status } }`;
    assert.equal(dataOf(await client.gateway(review, {}, admin)).reviewCreditApplication.status, 'RISK_PENDING');
    const granted = await eventually(async () => (await line(borrower)) ?? undefined, 30_000);
    // The simulator's rule: 300 + 150 + 120 (age 35–49) + 160 (≥ 15,000.00) + 100 + 40 = 870; 20 × income capped.
    assert.deepEqual(
      { limit: granted.limit, used: granted.used, available: granted.available, score: granted.score },
      { limit: '500000.00', used: '0.00', available: '500000.00', score: 870 },
    );
    assert.equal(await pending(), pendingBefore, 'decided: no longer pending');
    const report = `query($id: ID!) { user(id: $id) { creditApplications(first: 1) { edges { node {
      status score limit riskReports { outcome decision } } } } } }`;
    const borrowerId = dataOf(await client.gateway('{ me { id } }', {}, borrower)).me.id;
    const [decided] = dataOf(await client.gateway(report, { id: borrowerId }, admin)).user.creditApplications.edges;
    assert.deepEqual(decided.node, {
      status: 'APPROVED',
      score: 870,
      limit: '500000.00',
      riskReports: [{ outcome: 'SETTLED', decision: 'APPROVED' }],
    });
  });

  test('publishing uses the line, never beyond it; a rejected listing gives it back; the rate is the line’s floor', async () => {
    const { mobile, idNumber } = identityFor(41);
    const borrower = await client.member(mobile, 'BORROWER', idNumber);
    const first = await client.publishLoan(borrower, '300000.00');
    assert.equal(await client.approveLoan(admin, first.id), 'FUNDRAISING');
    assert.deepEqual(await line(borrower).then(({ used, available }) => ({ used, available })), {
      used: '300000.00',
      available: '200000.00',
    });
    // One step (100.00, the smallest loan amount step) over what is available, as variables and as a literal.
    assert.deepEqual(errorCodes(await client.gateway(CREATE, { i: loanInput('200100.00') }, borrower)), [
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    assert.deepEqual(errorCodes(await client.gateway(literalCreate('200100.00'), {}, borrower)), [
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    // Under the line's risk price (every line's is at least CREDIT_RATE_MIN, 8 %): refused.
    assert.deepEqual(errorCodes(await client.gateway(CREATE, { i: loanInput('2000.00', '0.05') }, borrower)), [
      'BAD_USER_INPUT',
    ]);
    assert.equal((await line(borrower)).available, '200000.00');
    const second = dataOf(await client.gateway(CREATE, { i: loanInput('200000.00') }, borrower)).createLoan;
    assert.equal((await line(borrower)).available, '0.00');
    const reject = 'mutation($id: ID!) { reviewLoan(id: $id, approve: false, reason: "资料不全") { status } }';
    assert.equal(dataOf(await client.gateway(reject, { id: second.id }, admin)).reviewLoan.status, 'REJECTED');
    assert.equal((await line(borrower)).available, '200000.00', 'the rejected listing gave its amount back');
  });

  test('users SIGKILLed between the approving review and the risk answer: the answer is stored once, the line granted once', async () => {
    const { borrower, applicationId } = await applicant(42);
    const review = 'mutation($id: ID!) { reviewCreditApplication(id: $id, approve: true) { status } }';
    dataOf(await client.gateway(review, { id: applicationId }, admin));
    // Killed at once: the request, the callback, the outbox row or the consumer's transaction is cut short.
    await platform.restart('users', { kill: true });
    const granted = await eventually(async () => (await line(borrower)) ?? undefined, 60_000);
    assert.equal(granted.limit, '500000.00');
    const borrowerId = dataOf(await client.gateway('{ me { id } }', {}, borrower)).me.id;
    const reports = `query($id: ID!) { user(id: $id) { creditApplications(first: 5) { totalCount edges { node {
      status riskReports { outcome } } } } } }`;
    const { creditApplications } = dataOf(await client.gateway(reports, { id: borrowerId }, admin)).user;
    assert.equal(creditApplications.totalCount, 1);
    assert.deepEqual(creditApplications.edges[0].node, { status: 'APPROVED', riskReports: [{ outcome: 'SETTLED' }] });
  });

  test('the risk provider down for a minute: the application stays RISK_PENDING, is asked again, completes after', async () => {
    const { borrower, applicationId } = await applicant(43);
    const outage = await fetch(`${platform.risk.url.replace(/\/graphql$/, '')}/admin/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ downForMs: 60_000 }),
    });
    assert.equal(outage.status, 200);
    const downSince = Date.now();
    const review = 'mutation($id: ID!) { reviewCreditApplication(id: $id, approve: true) { status } }';
    dataOf(await client.gateway(review, { id: applicationId }, admin));
    const mine = '{ me { creditApplications(first: 1) { edges { node { status asksSent } } } } }';
    const latest = async () => dataOf(await client.gateway(mine, {}, borrower)).me.creditApplications.edges[0].node;
    await eventually(async () => ((await latest()).asksSent >= 3 ? true : undefined), 30_000);
    assert.equal((await latest()).status, 'RISK_PENDING', 'asked again while down, still waiting');
    assert.equal(await line(borrower), null);
    const granted = await eventually(async () => (await line(borrower)) ?? undefined, 120_000);
    assert.ok(Date.now() - downSince >= 60_000, 'granted only once the provider was back');
    assert.equal(granted.limit, '500000.00');
    assert.equal((await latest()).status, 'APPROVED');
  });
});
