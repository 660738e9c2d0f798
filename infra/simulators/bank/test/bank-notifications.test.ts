// Proves the bank's asynchronous notifications, on libsql and MariaDB: after a page operation the agent
// receives one signed notification {messageType: NOTIFICATION, serviceName, platformNo, respData, signature}
// whose signature verifies with the bank's public key (and not as a RESPONSE or another service), for a success and for a business refusal alike; a delivery the
// agent does not acknowledge with "OK" is retried on the (scaled) schedule until it is; one that is
// never acknowledged is given up after the schedule's 16 attempts. Forged notifications do not verify.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKindsUnderTest, waitFor } from '@wanxin/platform/testing';
import { NOTIFICATION_ATTEMPTS_MAX } from '../src/domain/notification-schedule';
import { BANK_CODES, BankSignatureError, encodeData, openSignedResult } from '@wanxin/platform/bank-protocol';
import { CARD_START_FEN, requestNo, startBankHarness, TRADE_PASSWORD, type BankHarness } from '../src/testing';

const AS_NOTIFICATION = { messageType: 'NOTIFICATION', platformNo: 'WANXIN' } as const;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank notifications on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    before(async () => {
      // The agent fails the first delivery of every notification and acknowledges the second.
      harness = await startBankHarness(kind, {
        answer: (_, deliveries) => (deliveries === 1 ? { status: 503, body: 'busy' } : { status: 200, body: 'OK' }),
      });
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('a page result is notified, signed, retried after a failed delivery and then delivered', async () => {
      const registration = requestNo('REG');
      const answer = await harness.page(
        'PERSONAL_REGISTER',
        {
          requestNo: registration,
          userNo: 'NOTIFIED',
          realName: '李四',
          idNumber: '11010519491231002X',
          bankCode: 'CMB',
          cardNumber: '6225880000001111',
          cardMobile: '13911112222',
        },
        TRADE_PASSWORD,
      );
      assert.equal(answer.code, BANK_CODES.SUCCESS);
      await waitFor(() => harness.inbox.about(registration).length >= 2, {
        timeoutMs: 10_000,
        what: 'the notification was delivered twice',
      });
      const deliveries = harness.inbox.received.filter(
        (notification) =>
          JSON.parse(Buffer.from(notification.respData, 'base64').toString()).requestNo === registration,
      );
      assert.equal(deliveries.length, 2, 'one failed delivery, one acknowledged');
      assert.deepEqual(deliveries[0], deliveries[1], 'the retry carries the same signed body');
      const [notification] = deliveries;
      assert.deepEqual(
        [notification.messageType, notification.serviceName, notification.platformNo],
        ['NOTIFICATION', 'PERSONAL_REGISTER', 'WANXIN'],
      );
      const result = openSignedResult<'PERSONAL_REGISTER'>(notification, harness.bank.publicKeyPem, AS_NOTIFICATION);
      assert.throws(
        () =>
          openSignedResult(notification, harness.bank.publicKeyPem, { ...AS_NOTIFICATION, messageType: 'RESPONSE' }),
        BankSignatureError,
      );
      assert.equal(result.code, BANK_CODES.SUCCESS);
      if (result.code === BANK_CODES.SUCCESS)
        assert.deepEqual(
          [result.requestNo, result.userNo, result.bankCode, result.cardNumber],
          [registration, 'NOTIFIED', 'CMB', '6225880000001111'],
        );
      await harness.notificationsSettled();
      assert.equal(harness.inbox.about(registration).length, 2, 'an acknowledged notification is not sent again');
    });

    test('a business refusal on the page is notified too', async () => {
      const recharge = requestNo('RCH');
      const answer = await harness.page(
        'RECHARGE',
        { requestNo: recharge, userNo: 'NOTIFIED', amountFen: (CARD_START_FEN + 1n).toString() },
        TRADE_PASSWORD,
      );
      assert.equal(answer.code, BANK_CODES.CARD_BALANCE_TOO_LOW);
      const notified = await harness.inbox.waitForRequest(recharge);
      assert.equal(notified.code, BANK_CODES.CARD_BALANCE_TOO_LOW);
    });

    test('a notification whose data or signature was altered does not verify', async () => {
      const [notification] = harness.inbox.received;
      const tampered = {
        ...notification,
        respData: encodeData(
          Buffer.from(notification.respData, 'base64').toString().replace(BANK_CODES.SUCCESS, BANK_CODES.SYSTEM_ERROR),
        ),
      };
      assert.throws(() => openSignedResult(tampered, harness.bank.publicKeyPem, AS_NOTIFICATION), BankSignatureError);
      assert.throws(
        () =>
          openSignedResult(
            { ...notification, signature: notification.signature.slice(4) },
            harness.bank.publicKeyPem,
            AS_NOTIFICATION,
          ),
        BankSignatureError,
      );
      assert.throws(
        () =>
          openSignedResult({ ...notification, serviceName: 'RECHARGE' }, harness.bank.publicKeyPem, AS_NOTIFICATION),
        BankSignatureError,
      );
    });
  });

  describe(`bank notifications that are never acknowledged, on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    before(async () => {
      // A schedule of about a day, shrunk to under a second; the agent answers, but never "OK".
      harness = await startBankHarness(kind, {
        answer: () => ({ status: 200, body: 'NOT OK' }),
        env: { BANK_NOTIFY_SCHEDULE_SCALE: '0.00001' },
      });
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('are given up after the last attempt of the schedule', async () => {
      await harness.register('IGNORED');
      await waitFor(async () => (await harness.bank.checkLedger()).notifications.GAVE_UP === 1, {
        timeoutMs: 20_000,
        what: 'the notification was given up',
      });
      assert.equal(harness.inbox.received.length, NOTIFICATION_ATTEMPTS_MAX);
      assert.equal((await harness.bank.checkLedger()).notifications.PENDING, 0, 'nothing left to send');
      assert.equal(harness.inbox.received.length, NOTIFICATION_ATTEMPTS_MAX, 'nothing is sent after giving up');
    });
  });
}
