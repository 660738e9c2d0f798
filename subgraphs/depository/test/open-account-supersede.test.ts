// Proves that a new openDepositoryAccount while the account is PENDING supersedes the unfinished opening
// (a bank page refused for a weak trade password, or closed) and returns a fresh bank page at once,
// instead of CONFLICT until the old page is abandoned: the bank cancels the old requestNo first, so the
// old form, posted later, opens nothing and notifies nothing; the fresh page opens the account. A page the
// user submitted before the new call is not superseded (CONFLICT until its result arrives); concurrent
// calls leave exactly one page that can open the account. The real agent and bank simulator, on libsql
// and MariaDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bankUserNoFor, forkEntityManager, issueToken, newId, type Database, type HttpService } from '@wanxin/platform';
import { databaseKindsUnderTest, dataOf, errorCodes, eventually, postGraphQL } from '@wanxin/platform/testing';
import { deliverVerifiedIdentity } from './verified-identity';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import { idNumberFor, requestNo, TRADE_PASSWORD, type BankHarness } from '@wanxin/bank-simulator/testing';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { openAccountInputFor, startAgentBesideHarness, type AgentBesideHarness, type BankRedirect } from './testing';

const OPEN =
  'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { url method requestNo fields { name value } } }';
/** Refused by the bank's page whatever its strength rules: too short. */
const WEAK_TRADE_PASSWORD = '123';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`opening a depository account again while PENDING on ${kind}`, { skip }, () => {
    let suite: AgentBesideHarness;
    let harness: BankHarness;
    let agent: HttpService;
    let orm: Database;
    let signingKeyPem: string;
    let seed = 700;

    const input = () => openAccountInputFor((seed += 1));
    const open = async (userId: string, fields: ReturnType<typeof input>) => {
      await deliverVerifiedIdentity(userId, fields.realName, fields.idNumber);
      return postGraphQL(
        agent.url,
        OPEN,
        { i: fields },
        issueToken({ id: userId, role: 'INVESTOR' }, signingKeyPem, 3600).token,
      );
    };
    const submit = (redirect: BankRedirect, password = TRADE_PASSWORD) => suite.submitPage(redirect, password);
    const deliver = (number: string) => suite.deliverNotification(number);
    const accountStatus = async (userId: string) =>
      (await forkEntityManager(orm).findOneOrFail(DepositoryAccount, { userId })).status;
    const request = (number: string) => forkEntityManager(orm).findOneOrFail(DepositoryRequest, { requestNo: number });
    const bankHolds = async (userId: string) =>
      (await harness.call('QUERY_BALANCE', { requestNo: requestNo('QB'), userNo: bankUserNoFor(userId) })).code;

    before(async () => {
      // The bank's notifications go to the harness's inbox; the test hands them to the agent.
      suite = await startAgentBesideHarness(kind);
      ({ harness, agent, orm, signingKeyPem } = suite);
    });
    after(() => suite?.stop());

    test('the account opens with the verified identity only: none → CONFLICT, another name or ID → refused', async () => {
      const userId = newId();
      const { realName, idNumber, ...card } = input();
      const token = issueToken({ id: userId, role: 'INVESTOR' }, signingKeyPem, 3600).token;
      const openAs = (fields: Record<string, unknown>) => postGraphQL(agent.url, OPEN, { i: fields }, token);
      assert.deepEqual(errorCodes(await openAs(card)), ['CONFLICT'], 'no verified identity yet');
      const literal = `mutation { openDepositoryAccount(input: { bankCode: "${card.bankCode}",
        cardNumber: "${card.cardNumber}", cardMobile: "${card.cardMobile}" }) { requestNo } }`;
      assert.deepEqual(errorCodes(await postGraphQL(agent.url, literal, {}, token)), ['CONFLICT']);
      assert.equal(await forkEntityManager(orm).count(DepositoryAccount, { userId, status: 'PENDING' }), 0);

      await deliverVerifiedIdentity(userId, realName, idNumber);
      const otherId = idNumberFor(seed + 500);
      for (const [field, fields] of [
        ['idNumber', { ...card, idNumber: otherId }],
        ['realName', { ...card, realName: '李四' }],
      ] as const) {
        const refused = await openAs(fields);
        assert.deepEqual(errorCodes(refused), ['BAD_USER_INPUT']);
        assert.equal(refused.errors?.[0]?.extensions?.field, field);
      }
      assert.equal(await forkEntityManager(orm).count(DepositoryAccount, { userId, status: 'PENDING' }), 0);

      // Nothing stated, or the same: the verified name and ID number go to the bank.
      const redirect: BankRedirect = dataOf(await openAs(card)).openDepositoryAccount;
      assert.equal(await accountStatus(userId), 'PENDING');
      assert.equal((await forkEntityManager(orm).findOneOrFail(DepositoryAccount, { userId })).idNumber, idNumber);
      assert.equal((await submit(redirect)).status, 200);
    });

    test('a page refused for a weak trade password is superseded by a fresh one; the old form, posted later, opens nothing', async () => {
      const userId = newId();
      const fields = input();
      const first: BankRedirect = dataOf(await open(userId, fields)).openDepositoryAccount;
      const refused = await submit(first, WEAK_TRADE_PASSWORD);
      assert.equal(refused.status, 400, 'the bank re-shows its form; nothing is recorded');
      assert.equal(await accountStatus(userId), 'PENDING');

      const second: BankRedirect = dataOf(await open(userId, fields)).openDepositoryAccount;
      assert.notEqual(second.requestNo, first.requestNo);
      const old = await request(first.requestNo);
      assert.deepEqual([old.status, old.message], ['FAILED', `superseded by ${second.requestNo}`]);
      assert.equal((await request(second.requestNo)).status, 'UNSYNC');
      assert.equal(await accountStatus(userId), 'PENDING');

      // The old form, now with an acceptable password: the bank answers with the cancellation, runs nothing.
      const late = await submit(first);
      assert.equal(late.code, BANK_CODES.BAD_PARAMETERS);
      assert.match(late.html, /cancelled by the platform/);
      assert.equal(await bankHolds(userId), BANK_CODES.NOT_FOUND, 'no account at the bank');

      assert.equal((await submit(second)).code, BANK_CODES.SUCCESS);
      await deliver(second.requestNo);
      assert.equal(await accountStatus(userId), 'OPENED');
      assert.deepEqual(harness.inbox.about(first.requestNo), [], 'the bank never notified the cancelled request');
      assert.equal((await request(first.requestNo)).status, 'FAILED');
      // The cancellation itself is on record, confirmed (the reconciliation matches it with the bank).
      const cancellations = await forkEntityManager(orm).find(DepositoryRequest, {
        userId,
        serviceName: 'CANCEL_PAGE_REQUEST',
      });
      assert.deepEqual(
        cancellations.map((each) => each.status),
        ['SYNC'],
      );
      assert.deepEqual(errorCodes(await open(userId, fields)), ['CONFLICT'], 'an OPENED account is not opened again');
    });

    test('a page the user already submitted is not superseded: CONFLICT until its result arrives, then OPENED', async () => {
      const userId = newId();
      const fields = input();
      const first: BankRedirect = dataOf(await open(userId, fields)).openDepositoryAccount;
      assert.equal((await submit(first)).code, BANK_CODES.SUCCESS);
      const again = await open(userId, fields);
      assert.deepEqual(errorCodes(again), ['CONFLICT']);
      assert.match(again.errors![0].message, /earlier page/);
      assert.equal((await request(first.requestNo)).status, 'UNSYNC');
      await deliver(first.requestNo);
      assert.equal(await accountStatus(userId), 'OPENED');
    });

    test('concurrent calls while PENDING leave exactly one page that opens the account; every other one is refused by the bank', async () => {
      const userId = newId();
      const fields = input();
      const first: BankRedirect = dataOf(await open(userId, fields)).openDepositoryAccount;
      const answers = await Promise.all(Array.from({ length: 4 }, () => open(userId, fields)));
      const pages: BankRedirect[] = [
        first,
        ...answers
          .filter((answer) => answer.errors === undefined)
          .map((answer) => dataOf(answer).openDepositoryAccount),
      ];
      assert.ok(pages.length >= 2, 'at least one call superseded the first page');
      for (const answer of answers.filter((each) => each.errors !== undefined))
        assert.deepEqual(errorCodes(answer), ['CONFLICT']);
      const unfinished = await forkEntityManager(orm).find(DepositoryRequest, {
        userId,
        serviceName: 'PERSONAL_REGISTER',
        status: 'UNSYNC',
      });
      assert.equal(unfinished.length, 1, 'one opening left');
      const [live] = unfinished;
      for (const page of pages.filter((each) => each.requestNo !== live.requestNo)) {
        assert.equal(
          (await submit(page)).code,
          BANK_CODES.BAD_PARAMETERS,
          `superseded page ${page.requestNo} is refused`,
        );
      }
      assert.equal(await bankHolds(userId), BANK_CODES.NOT_FOUND);
      assert.equal((await submit(pages.find((page) => page.requestNo === live.requestNo)!)).code, BANK_CODES.SUCCESS);
      await deliver(live.requestNo);
      await eventually(async () => ((await accountStatus(userId)) === 'OPENED' ? true : undefined));
    });
  });
}
