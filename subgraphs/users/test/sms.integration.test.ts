// SMS over HTTP on libsql and MariaDB with the SMS provider in-process: registration codes (SMS_CODE_REQUIRED)
// read from the phone's inbox, used once, refused when missing, wrong, guessed 5 times or expired, at most
// 5 per mobile per hour however concurrent; the SMS outbox sends each text once, keeps it PENDING while the
// provider is down and sends it after; a repayment reminder becomes one text to the borrower.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, newId, type Database, type HttpService } from '@wanxin/platform';
import { ReminderDue } from '@wanxin/platform/contracts';
import {
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  errorCodes,
  eventually,
  TEST_ADMIN,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { newMobile, readInbox, startSmsForTests } from '@wanxin/sms-simulator/testing';
import type { SmsProvider } from '@wanxin/sms-simulator';
import { SmsCode } from '../src/entities/sms-code.entity';
import { SmsMessage } from '../src/entities/sms-message.entity';
import { smsQueuedOnReminderDue } from '../src/events/reminder-due.subscription';
import { callAsGateway, openUsersDatabase, startUsers } from './users-under-test';

const REQUEST_CODE = 'mutation($m: String!) { requestSmsCode(mobile: $m) { expiresAt } }';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';
const SMS_LIST = `query($m: String, $s: SmsStatus) { smsMessages(mobile: $m, status: $s, first: 20) {
  totalCount edges { node { id template mobile status attempts providerMessageId lastError sentAt } } } }`;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`users SMS on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let sms: SmsProvider;
    let service: HttpService;
    let orm: Database;
    let adminToken: string;
    let address = 0;
    // Each call from its own address: the address throttles are not what these tests are about.
    const call = (query: string, variables: Record<string, unknown> = {}, token?: string) => {
      address += 1;
      return callAsGateway(
        service,
        environment,
        `10.9.${address % 250}.${1 + (address % 200)}`,
        query,
        variables,
        token,
      );
    };
    const requestCode = (mobile: string) => call(REQUEST_CODE, { m: mobile });
    const register = (mobile: string, smsCode?: string) =>
      call(REGISTER, { input: { mobile, password: 'secret-pass-1', role: 'INVESTOR', smsCode } });
    const inbox = (mobile: string) => readInbox(sms.url, mobile);
    /** The code the phone received last, once it has received `count` texts. */
    const codeOnPhone = async (mobile: string, count = 1) => {
      const texts = await eventually(async () => {
        const received = await inbox(mobile);
        return received.length >= count ? received : undefined;
      });
      return (texts[0].params as { code: string }).code;
    };
    const textsTo = async (mobile: string) =>
      dataOf(await call(SMS_LIST, { m: mobile }, adminToken)).smsMessages.edges.map(
        (edge: { node: Record<string, unknown> }) => edge.node,
      );

    before(async () => {
      environment = createTestEnvironment(kind);
      sms = await startSmsForTests(environment.env);
      service = await startUsers(environment, {
        SMS_PROVIDER_URL: sms.url,
        SMS_CODE_REQUIRED: '1',
        SMS_SEND_INTERVAL_MS: '50',
        SMS_RETRY_FIRST_DELAY_MS: '50',
        SMS_RETRY_DELAY_MAX_MS: '200',
      });
      orm = await openUsersDatabase(environment);
      const login = 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }';
      adminToken = dataOf(await call(login, { m: TEST_ADMIN.mobile, p: TEST_ADMIN.password })).login.token;
    });
    after(async () => {
      await orm?.close();
      await service?.stop();
      await sms?.stop();
      await environment?.cleanup();
    });

    test('a code sent to the phone registers the mobile once; the outbox shows it SENT, masked, the code blanked', async () => {
      const mobile = newMobile();
      const { expiresAt } = dataOf(await requestCode(mobile)).requestSmsCode;
      const inFiveMinutes = Date.parse(expiresAt) - Date.now();
      assert.ok(inFiveMinutes > 4 * 60_000 && inFiveMinutes <= 5 * 60_000, expiresAt);
      const code = await codeOnPhone(mobile);
      assert.match(code, /^[0-9]{6}$/);
      const [text] = await inbox(mobile);
      assert.equal(text.text, `【万信】您的验证码是${code}，5分钟内有效。`);
      const registered = dataOf(await register(mobile, code)).register;
      assert.ok(registered.token);
      assert.deepEqual(errorCodes(await register(mobile, code)), ['BAD_USER_INPUT'], 'the code is used');

      const [queued] = await textsTo(mobile);
      assert.deepEqual(
        [queued.template, queued.mobile, queued.status, queued.attempts, queued.providerMessageId],
        ['VERIFICATION_CODE', `${mobile.slice(0, 3)}****${mobile.slice(7)}`, 'SENT', 1, text.providerMessageId],
      );
      const stored = await forkEntityManager(orm).findOneOrFail(SmsMessage, { id: queued.id as string });
      assert.deepEqual(JSON.parse(stored.params), { code: '******', minutes: '5' }, 'no code is kept once sent');
      assert.equal((await inbox(mobile)).length, 1, 'one text');
    });

    test('without a code, with a malformed or wrong one, after 5 wrong guesses and after 5 minutes: refused', async () => {
      const mobile = newMobile();
      assert.deepEqual(errorCodes(await register(mobile)), ['BAD_USER_INPUT']);
      dataOf(await requestCode(mobile));
      const code = await codeOnPhone(mobile);
      const wrong = code === '000000' ? '000001' : '000000';
      assert.deepEqual(errorCodes(await register(mobile, '12ab56')), ['BAD_USER_INPUT']);
      const literal = `mutation { register(input: { mobile: "${mobile}", password: "secret-pass-1", role: BORROWER,
        smsCode: "${wrong}" }) { token } }`;
      for (let guess = 0; guess < 5; guess += 1) assert.deepEqual(errorCodes(await call(literal)), ['BAD_USER_INPUT']);
      const voided = await register(mobile, code);
      assert.deepEqual(errorCodes(voided), ['BAD_USER_INPUT'], 'the fifth wrong guess voided the code');
      assert.match(voided.errors![0].message, /no live code/);

      dataOf(await requestCode(mobile));
      const expiring = await codeOnPhone(mobile, 2);
      await forkEntityManager(orm).nativeUpdate(SmsCode, { mobile, usedAt: null }, { expiresAt: new Date() });
      assert.deepEqual(errorCodes(await register(mobile, expiring)), ['BAD_USER_INPUT'], 'expired');
      dataOf(await requestCode(mobile));
      const fresh = await codeOnPhone(mobile, 3);
      assert.ok(dataOf(await register(mobile, fresh)).register.token, 'a new code works');
    });

    test('a new code replaces the last; registrations racing with one code create one account', async () => {
      const mobile = newMobile();
      dataOf(await requestCode(mobile));
      const first = await codeOnPhone(mobile);
      dataOf(await requestCode(mobile));
      const second = await codeOnPhone(mobile, 2);
      if (first !== second) assert.deepEqual(errorCodes(await register(mobile, first)), ['BAD_USER_INPUT']);
      const answers = await Promise.all(Array.from({ length: 8 }, () => register(mobile, second)));
      assert.equal(answers.filter((answer) => answer.errors === undefined).length, 1);
    });

    test('at most 5 codes per mobile per hour, however many ask at once; bad and registered mobiles are refused', async () => {
      const mobile = newMobile();
      const answers = await Promise.all(Array.from({ length: 12 }, () => requestCode(mobile)));
      assert.equal(answers.filter((answer) => answer.errors === undefined).length, 5);
      const refused = answers.filter((answer) => answer.errors !== undefined);
      assert.ok(refused.every((answer) => errorCodes(answer)[0] === 'RATE_LIMITED'));
      assert.equal(await forkEntityManager(orm).count(SmsCode, { mobile }), 5);
      assert.deepEqual(errorCodes(await requestCode('12345')), ['BAD_USER_INPUT']);
      const literal = 'mutation { requestSmsCode(mobile: "1380013") { expiresAt } }';
      assert.deepEqual(errorCodes(await call(literal)), ['BAD_USER_INPUT']);
      assert.deepEqual(errorCodes(await requestCode(TEST_ADMIN.mobile)), ['CONFLICT']);
    });

    test('with the provider down the text stays PENDING, tried again, and goes out once after', async () => {
      const mobile = newMobile();
      sms.setOutage(60_000);
      try {
        dataOf(await requestCode(mobile));
        const retried = await eventually(async () => {
          const [text] = await textsTo(mobile);
          return (text.attempts as number) >= 3 ? text : undefined;
        });
        assert.equal(retried.status, 'PENDING');
        assert.match(retried.lastError as string, /UNAVAILABLE/);
        assert.equal((await inbox(mobile)).length, 0);
      } finally {
        sms.setOutage(0);
      }
      const code = await codeOnPhone(mobile);
      const [sent] = await textsTo(mobile);
      assert.equal(sent.status, 'SENT');
      assert.equal((await inbox(mobile)).length, 1, 'sent once');
      assert.ok(dataOf(await register(mobile, code)).register.token);
    });

    test('a repayment reminder becomes one text to the borrower, however often it is handled', async () => {
      const mobile = newMobile();
      dataOf(await requestCode(mobile));
      const borrowerId = dataOf(await register(mobile, await codeOnPhone(mobile))).register.user.id as string;
      const reminder = {
        reminderId: newId(),
        kind: 'OVERDUE_REMINDER_SMS' as const,
        borrowerId,
        loanId: newId(),
        loanNo: 'LN20261205A1',
        installmentId: newId(),
        period: 3,
        dueDate: '2027-03-10',
        owedFen: '123456',
        overdueDays: 2,
      };
      const subscription = smsQueuedOnReminderDue({ smsSender: { wake: () => undefined } });
      // Handled twice, as a second envelope of the same reminder would be: the text's source key holds.
      for (let delivery = 0; delivery < 2; delivery += 1) {
        const envelope = { id: newId(), type: ReminderDue.type, version: 1, occurredAt: new Date().toISOString() };
        await forkEntityManager(orm).transactional((tx) =>
          subscription.handle(tx, reminder, { ...envelope, aggregateId: borrowerId, payload: reminder }),
        );
      }
      const texts = await eventually(async () => {
        const received = await inbox(mobile);
        return received.length === 2 ? received : undefined; // the code, then the reminder
      });
      assert.equal(texts[0].template, 'OVERDUE_REMINDER');
      assert.deepEqual(texts[0].params, { loanNo: 'LN20261205A1', amount: '1234.56', overdueDays: '2' });
      assert.equal(await forkEntityManager(orm).count(SmsMessage, { userId: borrowerId }), 1);
    });

    test('only an admin lists the SMS outbox', async () => {
      assert.deepEqual(errorCodes(await call(SMS_LIST, {})), ['UNAUTHENTICATED']);
      assert.ok(dataOf(await call(SMS_LIST, { s: 'SENT' }, adminToken)).smsMessages.totalCount >= 1);
      assert.deepEqual(errorCodes(await call(SMS_LIST, { m: 'nope' }, adminToken)), ['BAD_USER_INPUT']);
    });
  });
}
