// Proves the SMS provider's protocol as both sides use it (sms-protocol): each template renders the text a
// phone shows; a request of each template parses to exactly its fields; a param at the length bound
// passes and one past it does not; and rendering without a template's param is a crash, not "undefined".
// (Every malformed field's BAD_REQUEST is proven over the wire, in infra/simulators/sms/test.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSmsSendRequest,
  renderSms,
  SMS_PARAM_LENGTH_MAX,
  SMS_TEMPLATE_PARAMS,
  SMS_TEMPLATES,
  type SmsSendRequest,
} from '../src/sms-protocol';

const due = { loanNo: 'LN20261204A1B2C3D4', amount: '1234.56', dueDate: '2026-12-06' };
const requests: SmsSendRequest[] = [
  { messageId: 'R-1', mobile: '13912345678', template: 'DUE_SOON', params: due },
  { messageId: 'R-2', mobile: '13912345678', template: 'OVERDUE_DAY_1', params: due },
  {
    messageId: 'R-3',
    mobile: '13912345678',
    template: 'OVERDUE_REMINDER',
    params: { loanNo: due.loanNo, amount: '1300.00', overdueDays: '2' },
  },
  { messageId: 'R_4', mobile: '19900000000', template: 'VERIFICATION_CODE', params: { code: '123456', minutes: '5' } },
];

test('each template renders the text the phone shows', () => {
  assert.deepEqual(
    requests.map((request) => renderSms(request.template, request.params)),
    [
      '【万信】您的借款LN20261204A1B2C3D4本期应还1234.56元，将于2026-12-06到期，请按时还款。',
      '【万信】您的借款LN20261204A1B2C3D4本期应还1234.56元已于2026-12-06到期，现已逾期1天，请尽快还款以免产生罚息。',
      '【万信】您的借款LN20261204A1B2C3D4已逾期2天，应还1300.00元（含罚息），请立即还款。',
      '【万信】您的验证码是123456，5分钟内有效。',
    ],
  );
  assert.deepEqual(
    requests.map((request) => request.template),
    [...SMS_TEMPLATES],
    'every template is proven',
  );
});

test('a request of each template parses to exactly its fields', () => {
  for (const request of requests) {
    assert.deepEqual(parseSmsSendRequest({ ...request }), { ok: true, value: request });
    assert.deepEqual(Object.keys(request.params).sort(), [...SMS_TEMPLATE_PARAMS[request.template]].sort());
  }
});

test('the messageId and the params are bounded: at the bound it passes, past it not', () => {
  const request = requests[0];
  const atBound = { ...request, messageId: 'M'.repeat(64), params: { ...due, loanNo: 'L'.repeat(32) } };
  assert.equal(parseSmsSendRequest(atBound).ok, true);
  assert.deepEqual(parseSmsSendRequest({ ...atBound, messageId: 'M'.repeat(65) }), {
    ok: false,
    message: 'messageId must be 1 to 64 letters, digits, _ or -',
  });
  const long = { ...atBound, params: { ...due, loanNo: 'L'.repeat(SMS_PARAM_LENGTH_MAX + 1) } };
  assert.deepEqual(parseSmsSendRequest(long), {
    ok: false,
    message: `params.loanNo must be at most ${SMS_PARAM_LENGTH_MAX} characters`,
  });
  assert.deepEqual(parseSmsSendRequest({ ...atBound, params: { ...due, loanNo: 'L'.repeat(33) } }), {
    ok: false,
    message: 'params.loanNo must be a loan number: 1 to 32 letters, digits, _ or -',
  });
});

test("rendering without one of a template's params is a crash, not a text with undefined in it", () => {
  const partial = { code: '123456' } as unknown as { code: string; minutes: string };
  assert.throws(() => renderSms('VERIFICATION_CODE', partial), /VERIFICATION_CODE needs the param minutes/);
});
