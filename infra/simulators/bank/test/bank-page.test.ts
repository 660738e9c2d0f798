// Proves the bank's page (/gateway), on libsql and MariaDB: without a password (GET, or POST without the
// field) it shows what is being authorised — the service, masked ID and card, the amount formatted as
// money — with the signed request in hidden fields and a trade password field; a wrong or too short
// password re-shows the form with an error and changes, records and notifies nothing; bad signatures,
// bad identities and misrouted services are refused; everything shown is HTML-escaped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney } from '@wanxin/platform';
import { databaseKindsUnderTest } from '@wanxin/platform/testing';
import { escapeHtml } from '../src/http/page';
import { BANK_CODES, BANK_PATHS } from '@wanxin/platform/bank-protocol';
import { idNumberFor, requestNo, startBankHarness, TRADE_PASSWORD, type BankHarness } from '../src/testing';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`bank page on ${kind}`, { skip }, () => {
    let harness: BankHarness;
    const registration = (overrides: Record<string, string> = {}) => ({
      requestNo: requestNo('REG'),
      userNo: 'PAGEUSER',
      realName: '张三',
      idNumber: idNumberFor(7),
      bankCode: 'ICBC',
      cardNumber: '6222020000001234567',
      cardMobile: '13812345678',
      ...overrides,
    });

    before(async () => {
      harness = await startBankHarness(kind);
    });
    after(async () => {
      await harness?.assertLedgerSound();
      await harness?.stop();
    });

    test('GET and POST without a password show the request and ask for the trade password', async () => {
      await harness.register('VIEWER');
      const envelope = harness.envelope('RECHARGE', {
        requestNo: requestNo('RCH'),
        userNo: 'VIEWER',
        amountFen: '123456',
      });
      const response = await fetch(`${harness.bank.url}${BANK_PATHS.gateway}?${new URLSearchParams({ ...envelope })}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      const html = await response.text();
      assert.ok(html.includes(formatMoney(123456n)), 'the amount 1234.56 is shown');
      assert.ok(html.includes('Recharge'), 'the service is named');
      assert.ok(html.includes('6222***********4567'), 'the card is masked');
      assert.ok(!html.includes('6222020000001234567'), 'the whole card number is not shown');
      assert.match(html, /<input type="password" id="password" name="password"/);
      for (const [name, value] of Object.entries(envelope)) {
        assert.ok(
          html.includes(`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`),
          `hidden field ${name}`,
        );
      }
      const posted = await harness.postForm({ ...envelope });
      assert.equal(posted.status, 200);
      assert.equal(posted.html, html, 'POST without a password shows the same page');
      assert.equal((await harness.balance('VIEWER')).availableFen, 0n, 'showing the page moves nothing');
    });

    test('the account-opening page masks the ID number and escapes what it shows', async () => {
      const answer = await harness.page(
        'PERSONAL_REGISTER',
        registration({ realName: '<b>Eve</b>', idNumber: '11010519491231002X' }),
      );
      assert.equal(answer.status, 200);
      assert.ok(answer.html.includes('1101**********002X'), 'masked ID number');
      assert.ok(answer.html.includes('&#60;b&#62;Eve&#60;/b&#62;'), 'the name is escaped');
      assert.ok(!answer.html.includes('<b>Eve'), 'no markup from the request');
      assert.match(answer.html, /Choose your trade password/);
    });

    test('a wrong trade password shows an error and changes nothing', async () => {
      await harness.register('WRONGPW');
      await harness.recharge('WRONGPW', 50_000n);
      const before = await harness.bank.snapshot();
      const recorded = await harness.notificationsRecorded();
      const attempts = [requestNo('PW'), requestNo('PW')];
      for (const [index, service] of (['WITHDRAW', 'RECHARGE'] as const).entries()) {
        const answer = await harness.page(
          service,
          { requestNo: attempts[index], userNo: 'WRONGPW', amountFen: '10000' },
          'not-the-password',
        );
        assert.equal(answer.status, 403, service);
        assert.match(answer.html, /Wrong trade password/);
        assert.match(answer.html, /name="password"/, 'the form is shown again');
      }
      assert.equal(await harness.bank.snapshot(), before);
      // A notification is recorded with the result it notifies: none recorded, none can arrive.
      assert.equal(await harness.notificationsRecorded(), recorded, 'no notification recorded');
      for (const attempt of attempts) assert.equal(harness.inbox.about(attempt).length, 0, 'no notification');
    });

    test('a too short trade password is refused on the page and nothing is recorded', async () => {
      const request = registration({ userNo: 'SHORTPW' });
      const answer = await harness.page('PERSONAL_REGISTER', request, '12345');
      assert.equal(answer.status, 400);
      assert.match(answer.html, /at least 6 characters/);
      assert.equal(
        (await harness.call('QUERY_REQUEST', { requestNo: requestNo(), queryRequestNo: request.requestNo })).code,
        BANK_CODES.NOT_FOUND,
      );
      assert.equal(
        (await harness.page('PERSONAL_REGISTER', request, '493817')).code,
        BANK_CODES.SUCCESS,
        'the same form with a good password opens the account',
      );
      const again = await harness.page('PERSONAL_REGISTER', registration({ userNo: 'SHORTPW' }), TRADE_PASSWORD);
      assert.equal(again.code, BANK_CODES.BAD_PARAMETERS, 'a second account for the same user');
    });

    test('bad identities are refused, recorded and notified', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ idNumber: '110105199001010011' }, /idNumber/],
        [{ idNumber: '11010519900230001X' }, /idNumber/],
        [{ cardNumber: '62220200' }, /cardNumber/],
        [{ cardMobile: '23800000000' }, /cardMobile/],
        [{ realName: ' ' }, /realName/],
      ];
      for (const [overrides, field] of cases) {
        const request = registration({ userNo: 'BADID', ...overrides });
        const answer = await harness.page('PERSONAL_REGISTER', request, TRADE_PASSWORD);
        assert.equal(answer.code, BANK_CODES.BAD_PARAMETERS, JSON.stringify(overrides));
        assert.match(answer.html, field);
        assert.equal((await harness.inbox.waitForRequest(request.requestNo)).code, BANK_CODES.BAD_PARAMETERS);
      }
      assert.equal(
        (await harness.call('QUERY_BALANCE', { requestNo: requestNo(), userNo: 'BADID' })).code,
        BANK_CODES.NOT_FOUND,
      );
    });

    test('forged requests and misrouted services are refused', async () => {
      const envelope = harness.envelope('RECHARGE', {
        requestNo: requestNo('RCH'),
        userNo: 'VIEWER',
        amountFen: '100',
      });
      const forged = await harness.postForm({
        ...envelope,
        reqData: Buffer.from('{"requestNo":"X","userNo":"VIEWER","amountFen":"999"}').toString('base64'),
        password: TRADE_PASSWORD,
      });
      assert.deepEqual([forged.status, forged.code], [400, BANK_CODES.BAD_SIGNATURE]);
      const direct = await harness.postForm({
        ...harness.envelope('QUERY_BALANCE', { requestNo: requestNo(), userNo: 'VIEWER' }),
      });
      assert.deepEqual([direct.status, direct.code], [400, BANK_CODES.BAD_PARAMETERS]);
      const onService = await harness.call('RECHARGE', { requestNo: requestNo(), userNo: 'VIEWER', amountFen: '100' });
      assert.equal(onService.code, BANK_CODES.BAD_PARAMETERS, 'a page service cannot be called directly');
      assert.equal((await harness.balance('VIEWER')).availableFen, 0n);
    });
  });
}
