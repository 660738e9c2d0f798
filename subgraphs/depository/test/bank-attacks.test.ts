// Proves the bank protocol holds against a user who keeps their own signed forms and the bank's signed
// answers, on libsql and MariaDB, with the real bank and the real agent: a refusal of an unsigned request
// names nothing of it, so it cannot fail a pending recharge when posted to the agent's /bank/notify; a
// RECHARGE form posted to /service as QUERY_BALANCE, or to the page as WITHDRAW, does not verify (the
// signature covers the service); a signed RESPONSE is never taken as a NOTIFICATION. The trade password:
// a form is refused for good after 3 wrong tries (30051), also when 30 tries come at once; a user after 5
// wrong tries within 24 hours (30052); weak choices are refused. One account per ID number (30061).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, utcDateOf, type Database, type HttpService } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { BANK_CODES, BANK_PATHS, decodeData, type SignedResponse } from '@wanxin/platform/bank-protocol';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { DepositoryRequest } from '../src/entities/depository-request.entity';
import {
  idNumberFor,
  requestNo,
  startBankHarness,
  TRADE_PASSWORD,
  type BankHarness,
} from '@wanxin/bank-simulator/testing';
import { startAgentBesideHarness, type AgentBesideHarness } from './testing';

const USER_NO = 'ATTACKER';
/** A user id as the users subgraph makes them: events about the user carry it, and their contracts check it. */
const USER_ID = '3d9f8b2a-6c1e-4f7d-8a5b-0e2c4d6f8a1b';

function respDataOf(signed: SignedResponse): Record<string, unknown> {
  return JSON.parse(decodeData(signed.respData)!) as Record<string, unknown>;
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank protocol attacks on ${kind}`, { skip }, () => {
    let suite: AgentBesideHarness;
    let harness: BankHarness;
    let agent: HttpService;
    let orm: Database;
    const requestStatus = async (number: string) =>
      (await forkEntityManager(orm).findOneOrFail(DepositoryRequest, { requestNo: number })).status;
    /** A pending recharge of the user, as the agent records it when the user asks for the bank page. */
    const pendingRecharge = async (amountFen: bigint) => {
      const number = requestNo('RC');
      const em = forkEntityManager(orm);
      await em.insert(
        em.create(
          DepositoryRequest,
          {
            requestNo: number,
            serviceName: 'RECHARGE',
            userId: USER_ID,
            amountFen,
            status: 'UNSYNC',
            businessDate: utcDateOf(new Date()),
          },
          { persist: false },
        ),
      );
      return {
        number,
        form: harness.envelope('RECHARGE', { requestNo: number, userNo: USER_NO, amountFen: amountFen.toString() }),
      };
    };
    /** POSTs raw JSON to the bank's /service; the signed answer as it came. */
    const postService = async (body: unknown): Promise<SignedResponse> => {
      const response = await fetch(`${harness.bank.url}${BANK_PATHS.service}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as SignedResponse;
    };
    const notifyAgent = async (body: unknown) => {
      const response = await fetch(`${agent.url.replace('/graphql', '')}/bank/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };

    before(async () => {
      // The bank's own notifications go to the harness's inbox: the agent hears only what the attacker posts.
      suite = await startAgentBesideHarness(kind);
      ({ harness, agent, orm } = suite);
      await harness.register(USER_NO);
      const em = forkEntityManager(orm);
      await em.insert(
        em.create(DepositoryAccount, { userId: USER_ID, userNo: USER_NO, status: 'OPENED' }, { persist: false }),
      );
    });
    after(() => suite?.stop());

    test('the signed refusal of an unsigned request names nothing of it and cannot fail a pending recharge', async () => {
      const { number, form } = await pendingRecharge(5_000_000n);
      const refusal = await postService({ ...form, signature: 'AAAA' });
      assert.equal(respDataOf(refusal).code, BANK_CODES.BAD_SIGNATURE);
      assert.deepEqual(
        [respDataOf(refusal).requestNo, refusal.serviceName, refusal.messageType],
        ['', '', 'RESPONSE'],
        'nothing of the request is echoed',
      );
      for (const replay of [
        refusal,
        { ...refusal, messageType: 'NOTIFICATION' },
        { ...refusal, messageType: 'NOTIFICATION', serviceName: 'RECHARGE' },
      ]) {
        assert.equal((await notifyAgent(replay)).status, 400, JSON.stringify(replay.messageType));
      }
      assert.equal(await requestStatus(number), 'UNSYNC', 'the pending recharge is still pending');
    });

    test('a RECHARGE form posted as QUERY_BALANCE does not verify, and no signed answer passes for a notification', async () => {
      const { number, form } = await pendingRecharge(5_000_000n);
      const asQuery = await postService({ ...form, serviceName: 'QUERY_BALANCE' });
      assert.deepEqual(
        [respDataOf(asQuery).code, respDataOf(asQuery).requestNo],
        [BANK_CODES.BAD_SIGNATURE, ''],
        'the service is signed',
      );
      // The form posted to /service as itself verifies and is refused by name: a signed RESPONSE about this requestNo.
      const misrouted = await postService(form);
      assert.deepEqual(
        [respDataOf(misrouted).code, respDataOf(misrouted).requestNo, misrouted.messageType],
        [BANK_CODES.BAD_PARAMETERS, number, 'RESPONSE'],
      );
      assert.equal((await notifyAgent(misrouted)).status, 400, 'a response is not a notification');
      assert.equal(
        (await notifyAgent({ ...misrouted, messageType: 'NOTIFICATION' })).status,
        400,
        'relabelled, it does not verify',
      );
      // A success signed for the user's own balance query, made to look like the recharge's notification.
      const balance = await postService(harness.envelope('QUERY_BALANCE', { requestNo: number, userNo: USER_NO }));
      assert.equal(respDataOf(balance).code, BANK_CODES.SUCCESS);
      for (const replay of [
        balance,
        { ...balance, messageType: 'NOTIFICATION' },
        { ...balance, messageType: 'NOTIFICATION', serviceName: 'RECHARGE' },
      ]) {
        assert.equal((await notifyAgent(replay)).status, 400);
      }
      assert.equal(await requestStatus(number), 'UNSYNC');
      assert.deepEqual(await harness.balance(USER_NO), { availableFen: 0n, frozenFen: 0n });
    });

    test('a RECHARGE form replayed on the page as WITHDRAW does not verify and moves nothing', async () => {
      await harness.recharge(USER_NO, 100_000n);
      const { form } = await pendingRecharge(30_000n);
      const before = await harness.bank.snapshot();
      const asWithdraw = await harness.postForm({ ...form, serviceName: 'WITHDRAW', password: TRADE_PASSWORD });
      assert.deepEqual([asWithdraw.status, asWithdraw.code], [400, BANK_CODES.BAD_SIGNATURE]);
      assert.equal(await harness.bank.snapshot(), before);
      assert.equal(
        (await harness.postForm({ ...form, password: TRADE_PASSWORD })).code,
        BANK_CODES.SUCCESS,
        'the genuine form still works',
      );
      assert.deepEqual(await harness.balance(USER_NO), { availableFen: 130_000n, frozenFen: 0n });
    });

    test('a genuine notification is applied only to the request of its service, user and amount', async () => {
      const { number, form } = await pendingRecharge(20_000n);
      assert.equal((await harness.postForm({ ...form, password: TRADE_PASSWORD })).code, BANK_CODES.SUCCESS);
      await harness.inbox.waitForRequest(number);
      const notification = harness.inbox.received.find((received) => respDataOf(received).requestNo === number);
      assert.ok(notification !== undefined);
      assert.equal((await notifyAgent({ ...notification, serviceName: 'WITHDRAW' })).status, 400, 'relabelled service');
      assert.equal(await requestStatus(number), 'UNSYNC');
      // The agent recorded another amount for this requestNo than the bank moved: refused, nothing applied.
      await forkEntityManager(orm).nativeUpdate(DepositoryRequest, { requestNo: number }, { amountFen: 20_001n });
      assert.equal((await notifyAgent(notification)).status, 400, 'another amount');
      assert.equal(await requestStatus(number), 'UNSYNC');
      await forkEntityManager(orm).nativeUpdate(DepositoryRequest, { requestNo: number }, { amountFen: 20_000n });
      assert.deepEqual(await notifyAgent(notification), { status: 200, text: 'OK' });
      assert.equal(await requestStatus(number), 'SYNC');
    });
  });

  describe(`bank trade password lockout and strength on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    const recharge = (userNo: string, password: string, number = requestNo('RCH')) =>
      harness
        .page('RECHARGE', { requestNo: number, userNo, amountFen: '10000' }, password)
        .then((answer) => ({ ...answer, number }));

    before(async () => {
      harness = await startBankHarness(kind);
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('100 wrong trade passwords on one form: the third refuses the form for good (30051), the right one too', async () => {
      await harness.register('FORMLOCK');
      const number = requestNo('RCH');
      const answers = [];
      for (let attempt = 0; attempt < 100; attempt += 1)
        answers.push(await recharge('FORMLOCK', `wrong-${attempt}`, number));
      assert.deepEqual(
        answers.slice(0, 2).map((answer) => answer.status),
        [403, 403],
      );
      assert.match(answers[0].html, /2 tries left/);
      assert.deepEqual(new Set(answers.slice(2).map((answer) => answer.code)), new Set([BANK_CODES.FORM_LOCKED]));
      assert.equal(
        (await recharge('FORMLOCK', TRADE_PASSWORD, number)).code,
        BANK_CODES.FORM_LOCKED,
        'the right password cannot open a locked form',
      );
      assert.equal((await harness.inbox.waitForRequest(number)).code, BANK_CODES.FORM_LOCKED, 'the platform is told');
      assert.deepEqual(await harness.balance('FORMLOCK'), { availableFen: 0n, frozenFen: 0n });
      assert.equal(
        (await recharge('FORMLOCK', TRADE_PASSWORD)).code,
        BANK_CODES.SUCCESS,
        'a new form with the right password works',
      );
    });

    test('30 wrong passwords at once on one form: at most 3 are checked, the form is refused for good', async () => {
      await harness.register('RACELOCK');
      const number = requestNo('RCH');
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, attempt) => recharge('RACELOCK', `wrong-${attempt}`, number)),
      );
      const wrong = answers.filter((answer) => answer.status === 403).length;
      assert.ok(wrong <= 2, `${wrong} tries were told "wrong password": more than 3 were checked`);
      assert.ok(
        answers.every((answer) => answer.status === 403 || answer.code === BANK_CODES.FORM_LOCKED),
        answers.map((answer) => answer.code ?? answer.status).join(),
      );
      assert.equal((await recharge('RACELOCK', TRADE_PASSWORD, number)).code, BANK_CODES.FORM_LOCKED);
      assert.deepEqual(await harness.balance('RACELOCK'), { availableFen: 0n, frozenFen: 0n });
    });

    test('5 wrong passwords within 24 hours lock the user (30052) on every form, with the right password too', async () => {
      await harness.register('USERLOCK');
      const forms = [requestNo('RCH'), requestNo('RCH'), requestNo('RCH')];
      for (const number of [forms[0], forms[0], forms[1], forms[1]])
        assert.equal((await recharge('USERLOCK', 'not-it-1', number)).status, 403);
      const fifth = await recharge('USERLOCK', 'not-it-1', forms[2]);
      assert.equal(fifth.code, BANK_CODES.TRADE_PASSWORD_LOCKED);
      assert.match(fifth.html, /locked/);
      for (const number of [forms[0], requestNo('RCH')])
        assert.equal(
          (await recharge('USERLOCK', TRADE_PASSWORD, number)).code,
          BANK_CODES.TRADE_PASSWORD_LOCKED,
          number,
        );
      assert.equal((await harness.inbox.waitForRequest(forms[2])).code, BANK_CODES.TRADE_PASSWORD_LOCKED);
      assert.deepEqual(await harness.balance('USERLOCK'), { availableFen: 0n, frozenFen: 0n });
      assert.equal((await recharge('FORMLOCK', TRADE_PASSWORD)).code, BANK_CODES.SUCCESS, 'other users are not locked');
    });

    test('a weak trade password is refused when the account is opened; the same form takes a strong one', async () => {
      const request = {
        requestNo: requestNo('REG'),
        userNo: 'WEAKPW',
        realName: '赵六',
        idNumber: idNumberFor(31),
        bankCode: 'ICBC',
        cardNumber: '6222020000001234567',
        cardMobile: '13812562718',
      };
      for (const weak of ['111111', '123456', '654321', '562718']) {
        const answer = await harness.page('PERSONAL_REGISTER', request, weak);
        assert.equal(answer.status, 400, weak);
        assert.match(answer.html, /too easy to guess/, weak);
      }
      assert.equal(
        (await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: request.requestNo })).code,
        BANK_CODES.NOT_FOUND,
        'nothing recorded',
      );
      assert.equal((await harness.page('PERSONAL_REGISTER', request, TRADE_PASSWORD)).code, BANK_CODES.SUCCESS);
    });

    test('an ID number opens one account: a second user with it is refused (30061) and notified', async () => {
      const person = {
        realName: '钱七',
        idNumber: idNumberFor(32),
        bankCode: 'ICBC',
        cardNumber: '6222020000001234567',
        cardMobile: '13800000000',
      };
      assert.equal(
        (
          await harness.page(
            'PERSONAL_REGISTER',
            { requestNo: requestNo('REG'), userNo: 'PERSON1', ...person },
            TRADE_PASSWORD,
          )
        ).code,
        BANK_CODES.SUCCESS,
      );
      const second = { requestNo: requestNo('REG'), userNo: 'PERSON2', ...person };
      assert.equal((await harness.page('PERSONAL_REGISTER', second, TRADE_PASSWORD)).code, BANK_CODES.ID_NUMBER_TAKEN);
      assert.equal((await harness.inbox.waitForRequest(second.requestNo)).code, BANK_CODES.ID_NUMBER_TAKEN);
      assert.equal(
        (await harness.call('QUERY_BALANCE', { requestNo: requestNo(), userNo: 'PERSON2' })).code,
        BANK_CODES.NOT_FOUND,
        'no second account',
      );
    });
  });
}
