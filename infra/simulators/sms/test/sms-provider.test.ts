// Proves the SMS provider over HTTP, on libsql and MariaDB: a signed request is accepted at once (202, the
// provider's message id as the reference) and the text shows in the phone's inbox, rendered from its
// template; a messageId is sent once, whether sent again in a new message or by 20 twins at once; while
// switched down (or started down) it answers UNAVAILABLE and records nothing; the inbox is for operations
// only, newest first, bounded; every malformed field is BAD_REQUEST with nothing recorded; and unsigned,
// altered, foreign, stale and replayed requests are refused with their codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { renderSms, SMS_MESSAGE_TYPES, SMS_PATHS, type SmsSendRequest } from '@wanxin/platform/sms-protocol';
import { describeSigningRefusals } from '@wanxin/simulator-kit/testing';
import { INBOX_LIMIT_MAX } from '../src';
import {
  newMobile,
  readInbox,
  smsRequest,
  SMS_TEST_OPS_TOKEN,
  startSmsForTests,
  startSmsHarness,
  switchOutage,
  type SmsHarness,
} from '../src/testing';

const REFERENCE_PATTERN = /^SMS[0-9a-f]{24}$/;

function inboxOf(harness: SmsHarness, mobile: string, limit?: number) {
  return readInbox(harness.provider.url, mobile, SMS_TEST_OPS_TOKEN, limit);
}

async function inboxStatus(harness: SmsHarness, query: string, token = SMS_TEST_OPS_TOKEN): Promise<number> {
  const response = await fetch(`${harness.provider.url}${SMS_PATHS.inbox}?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.text();
  return response.status;
}

function switchSmsOutage(harness: SmsHarness, downForMs: unknown, token = SMS_TEST_OPS_TOKEN): Promise<number> {
  return switchOutage(`${harness.provider.url}${SMS_PATHS.outage}`, downForMs, token);
}

/** Each malformed field, and what the receipt says about it. */
function malformedRequests(): { data: object; message: RegExp }[] {
  const valid = smsRequest();
  const due = { loanNo: 'LN20261204A1B2C3D4', amount: '1234.56', dueDate: '2026-12-06' };
  return [
    { data: { ...valid, messageId: '' }, message: /^messageId must be/ },
    { data: { ...valid, messageId: 'a'.repeat(65) }, message: /^messageId must be/ },
    { data: { ...valid, messageId: 'MSG 1' }, message: /^messageId must be/ },
    { data: { ...valid, mobile: '12912345678' }, message: /^mobile must be/ },
    { data: { ...valid, mobile: 13912345678 }, message: /^mobile must be/ },
    { data: { ...valid, template: 'BIRTHDAY' }, message: /^template must be one of DUE_SOON/ },
    { data: { ...valid, params: 'code=123456' }, message: /^params must be an object/ },
    { data: { ...valid, params: ['123456', '5'] }, message: /^params must be an object/ },
    { data: { ...valid, params: { code: '123456' } }, message: /needs params\.minutes/ },
    { data: { ...valid, params: { code: 123456, minutes: '5' } }, message: /needs params\.code as text/ },
    { data: { ...valid, params: { code: '123456', minutes: '5', name: 'x' } }, message: /not name$/ },
    { data: { ...valid, params: { code: '12345', minutes: '5' } }, message: /params\.code must be six digits/ },
    { data: { ...valid, params: { code: '123456', minutes: '0' } }, message: /params\.minutes must be whole/ },
    { data: { ...valid, template: 'DUE_SOON', params: { ...due, amount: '1234.5' } }, message: /params\.amount/ },
    { data: { ...valid, template: 'DUE_SOON', params: { ...due, dueDate: '06/12/2026' } }, message: /dueDate/ },
    { data: { ...valid, template: 'DUE_SOON', params: { ...due, loanNo: 'L'.repeat(65) } }, message: /at most 64/ },
    { data: { ...valid, template: 'OVERDUE_REMINDER', params: due }, message: /not dueDate$/ },
  ];
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`SMS provider on ${kind}`, { skip }, () => {
    let harness: SmsHarness;
    before(async () => {
      harness = await startSmsHarness(kind);
    });
    after(async () => {
      await harness?.stop();
    });

    test('a text is accepted at once with its reference, recorded once, and shows in the inbox', async () => {
      const request = smsRequest();
      const before = await harness.provider.receivedCount();
      const receipt = await harness.ask(request);
      assert.deepEqual([receipt.status, receipt.code], [202, 'ACCEPTED']);
      assert.match(receipt.reference ?? '', REFERENCE_PATTERN);
      assert.equal(await harness.provider.receivedCount(), before + 1);
      const [entry, ...others] = await inboxOf(harness, request.mobile);
      assert.deepEqual(others, []);
      assert.deepEqual(
        [entry.providerMessageId, entry.messageId, entry.template, entry.params, entry.text],
        [
          receipt.reference,
          request.messageId,
          'VERIFICATION_CODE',
          request.params,
          '【万信】您的验证码是123456，5分钟内有效。',
        ],
      );
      assert.ok(Math.abs(Date.parse(entry.receivedAt) - Date.now()) < 60_000, entry.receivedAt);
    });

    test('the same messageId in a new message gets the same reference and is not sent again', async () => {
      const request = smsRequest();
      const first = await harness.ask(request);
      const { messageId, mobile } = request;
      const again = await harness.ask(smsRequest({ messageId, mobile, params: { code: '654321', minutes: '5' } }));
      assert.deepEqual([again.status, again.code, again.reference], [202, 'ACCEPTED', first.reference]);
      const inbox = await inboxOf(harness, request.mobile);
      assert.deepEqual(
        inbox.map((entry) => entry.params.code),
        ['123456'],
      );
    });

    test('20 sends of one messageId at once: one reference, one text', async () => {
      const request = smsRequest();
      const before = await harness.provider.receivedCount();
      const receipts = await Promise.all(Array.from({ length: 20 }, () => harness.ask(request)));
      assert.deepEqual(
        new Set(receipts.map((receipt) => `${receipt.status} ${receipt.code}`)),
        new Set(['202 ACCEPTED']),
      );
      assert.equal(new Set(receipts.map((receipt) => receipt.reference)).size, 1);
      assert.equal(await harness.provider.receivedCount(), before + 1);
      assert.equal((await inboxOf(harness, request.mobile)).length, 1);
    });

    test('every template renders in the inbox; newest first, at most limit', async () => {
      const mobile = newMobile();
      const due = { loanNo: 'LN20261204A1B2C3D4', amount: '1234.56', dueDate: '2026-12-06' };
      const requests: SmsSendRequest[] = [
        smsRequest({ mobile, template: 'DUE_SOON', params: due }),
        smsRequest({ mobile, template: 'OVERDUE_DAY_1', params: due }),
        smsRequest({
          mobile,
          template: 'OVERDUE_REMINDER',
          params: { loanNo: due.loanNo, amount: '99.00', overdueDays: '2' },
        }),
        smsRequest({ mobile, template: 'VERIFICATION_CODE', params: { code: '000042', minutes: '10' } }),
      ];
      for (const request of requests) assert.equal((await harness.ask(request)).code, 'ACCEPTED');
      const newestFirst = [...requests].reverse();
      const inbox = await inboxOf(harness, mobile);
      assert.deepEqual(
        inbox.map((entry) => [entry.messageId, entry.text]),
        newestFirst.map((request) => [request.messageId, renderSms(request.template, request.params)]),
      );
      assert.deepEqual(await inboxOf(harness, mobile, 2), inbox.slice(0, 2));
      for (const query of [`mobile=${mobile}&limit=0`, `mobile=${mobile}&limit=${INBOX_LIMIT_MAX + 1}`, 'mobile=123']) {
        assert.equal(await inboxStatus(harness, query), 400, query);
      }
      assert.equal(await inboxStatus(harness, `mobile=${mobile}&limit=${INBOX_LIMIT_MAX}`), 200);
    });

    test('the inbox and the outage switch are for operations only', async () => {
      const mobile = newMobile();
      assert.equal(
        await inboxStatus(harness, `mobile=${mobile}`, 'not-the-token-but-long-enough-to-look-like-one'),
        401,
      );
      await assert.rejects(readInbox(harness.provider.url, mobile), /answered 401/);
      assert.equal(await switchSmsOutage(harness, 600_000, 'not-the-token-but-long-enough-to-look-like-one'), 401);
      assert.equal((await harness.ask(smsRequest({ mobile }))).code, 'ACCEPTED', 'still up');
    });

    test('switched down it answers UNAVAILABLE and records nothing; switched up it accepts again', async () => {
      const request = smsRequest();
      const before = await harness.provider.receivedCount();
      assert.equal(await switchSmsOutage(harness, 600_000), 200);
      const refused = await harness.ask(request);
      assert.deepEqual([refused.status, refused.code, refused.reference], [503, 'UNAVAILABLE', null]);
      assert.equal(await harness.provider.receivedCount(), before);
      assert.deepEqual(await inboxOf(harness, request.mobile), [], 'the inbox answers while the provider is down');
      assert.equal(await switchSmsOutage(harness, 0), 200);
      const accepted = await harness.ask(request);
      assert.deepEqual([accepted.status, accepted.code], [202, 'ACCEPTED']);
      assert.equal((await inboxOf(harness, request.mobile)).length, 1);
      assert.equal(await switchSmsOutage(harness, -1), 400);
      assert.equal(await switchSmsOutage(harness, 'soon'), 400);
    });

    test('started with SMS_DOWN_FOR_MS it is down from the start', async () => {
      const down = await startSmsForTests({ ...harness.platform.environment.env, SMS_DOWN_FOR_MS: '600000' });
      try {
        const url = `${down.url}${SMS_PATHS.messages}`;
        const envelope = harness.platform.sign(SMS_MESSAGE_TYPES.request, smsRequest());
        const refused = await harness.platform.post(url, envelope, SMS_MESSAGE_TYPES.receipt, down.publicKeyPem);
        assert.deepEqual([refused.status, refused.code], [503, 'UNAVAILABLE']);
      } finally {
        await down.stop();
      }
    });

    test('every malformed field is BAD_REQUEST, saying what is wrong, and nothing is recorded', async () => {
      const before = await harness.provider.receivedCount();
      for (const { data, message } of malformedRequests()) {
        const receipt = await harness.post(harness.platform.sign(SMS_MESSAGE_TYPES.request, data));
        assert.deepEqual(
          [receipt.status, receipt.code, receipt.reference],
          [400, 'BAD_REQUEST', null],
          receipt.message,
        );
        assert.match(receipt.message, message);
      }
      assert.equal(await harness.provider.receivedCount(), before);
    });
  });

  describeSigningRefusals(
    `SMS provider refuses what the platform did not sign, on ${kind}`,
    skip,
    () => startSmsHarness(kind),
    () => smsRequest(),
    SMS_MESSAGE_TYPES.request,
    (provider) => provider.receivedCount(),
  );
}
