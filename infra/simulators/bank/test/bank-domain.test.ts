// Proves the bank's pure rules: the GB 11643 ID-number check, card/mobile/name rules, the strict reading
// of reqData (amounts are integer fen strings only), the notification retry schedule, project status
// moves, the trade password hash, which return code a ledger refusal becomes, and the protocol's
// signing and strict decoding (a changed byte or a foreign key never verifies).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  idNumberCheckCharacter,
  isValidCardNumber,
  isValidIdNumber,
  isValidMobile,
  isValidRealName,
} from '@wanxin/platform';
import {
  NOTIFICATION_ATTEMPTS_MAX,
  NOTIFICATION_RETRY_DELAYS_MS,
  notificationRetryDelayMs,
} from '../src/domain/notification-schedule';
import { modifiableTo } from '../src/domain/project-status';
import { ParameterError, RequestFields } from '../src/domain/request-fields';
import {
  hashTradePassword,
  TRADE_PASSWORD_ACCOUNT_TRIES_MAX,
  TRADE_PASSWORD_FORM_TRIES_MAX,
  tradePasswordLock,
  tradePasswordProblem,
  verifyTradePassword,
} from '../src/domain/trade-password';
import {
  BANK_CODES,
  BANK_PROJECT_STATUSES,
  BankSignatureError,
  decodeData,
  encodeData,
  openSignedResult,
  signingText,
  signRequest,
  signResult,
  verifyJson,
  verifyRequest,
} from '@wanxin/platform/bank-protocol';
import { outcomeOfLedgerRefusal } from '../src/services/ledger-refusals';
import type { StoredAccount } from '../src/services/ledger-store';

const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

describe('identity', () => {
  it('accepts ID numbers whose check character and birth date are right', () => {
    assert.equal(idNumberCheckCharacter('11010519491231002'), 'X');
    for (const idNumber of ['11010519491231002X', '110105199001010010', '440524198002290010'])
      assert.ok(isValidIdNumber(idNumber), idNumber);
  });

  it('refuses wrong check characters, impossible dates and malformed numbers', () => {
    for (const idNumber of [
      '110105194912310021',
      '11010519491231002x',
      '11010519900230001X',
      '110105189913010014',
      '01010519491231002X',
      '1101051949123100',
      '11010519491231002XX',
    ]) {
      assert.ok(!isValidIdNumber(idNumber), idNumber);
    }
  });

  it('cards are 12 to 19 digits, mobiles 11 digits from 13-19, names trimmed and at most 50 characters', () => {
    assert.ok(isValidCardNumber('622202000000') && isValidCardNumber('6222020000001234567'));
    assert.ok(
      !isValidCardNumber('62220200000') &&
        !isValidCardNumber('62220200000012345678') &&
        !isValidCardNumber('6222 0200 0000 1234'),
    );
    assert.ok(isValidMobile('13800000000') && !isValidMobile('12800000000') && !isValidMobile('1380000000'));
    assert.ok(
      isValidRealName('王小明') &&
        !isValidRealName(' 王小明') &&
        !isValidRealName('') &&
        !isValidRealName('名'.repeat(51)) &&
        !isValidRealName('a\nb'),
    );
  });
});

describe('reqData fields', () => {
  const amount = (value: unknown, rule: 'positive' | 'zeroOrMore' = 'positive') =>
    RequestFields.of({ amountFen: value }).amountFen('amountFen', rule);

  it('reads integer fen written as strings', () => {
    assert.equal(amount('1'), 1n);
    assert.equal(amount('999999999999'), 999_999_999_999n);
    assert.equal(amount('0', 'zeroOrMore'), 0n);
  });

  it('refuses numbers, signs, decimals, exponents, leading zeros, blanks and amounts above the maximum', () => {
    for (const value of [
      100,
      1.5,
      '-1',
      '+1',
      '1.00',
      '1e3',
      '01',
      ' 1',
      '1 ',
      '',
      '1000000000000',
      null,
      undefined,
      '0x10',
      '٣',
    ]) {
      assert.throws(() => amount(value), ParameterError, JSON.stringify(value));
    }
    assert.throws(() => amount('0'), /above zero/);
  });

  it('names the field at fault, nested ones included', () => {
    const fields = RequestFields.of({ details: [{ userNo: 'A', principalFen: '1' }] });
    assert.throws(
      () => fields.list('details', 10).map((entry) => entry.amountFen('interestFen', 'zeroOrMore')),
      (error: ParameterError) => error.field === 'details[0].interestFen',
    );
    assert.throws(
      () => RequestFields.of([]),
      (error: ParameterError) => error.field === 'reqData',
    );
    assert.throws(() => RequestFields.of({ details: new Array(11).fill({}) }).list('details', 10), /at most 10/);
    assert.throws(() => RequestFields.of({ userNo: 'a b' }).reference('userNo'), ParameterError);
  });
});

describe('notification schedule', () => {
  it('waits 15s, 15s, 30s, 3m, 10m, 20m, 30m ×3, 60m, 3h ×3, 6h ×2, then gives up', () => {
    const minutes = NOTIFICATION_RETRY_DELAYS_MS.map((ms) => ms / 60_000);
    assert.deepEqual(minutes, [0.25, 0.25, 0.5, 3, 10, 20, 30, 30, 30, 60, 180, 180, 180, 360, 360]);
    assert.equal(NOTIFICATION_ATTEMPTS_MAX, 16);
    assert.equal(notificationRetryDelayMs(1, 1), 15_000);
    assert.equal(notificationRetryDelayMs(15, 1), 6 * 3_600_000);
    assert.equal(notificationRetryDelayMs(16, 1), null);
  });

  it('shrinks by the scale, never below a millisecond', () => {
    assert.equal(notificationRetryDelayMs(1, 0.0005), 8);
    assert.equal(notificationRetryDelayMs(1, 0.00000001), 1);
    assert.throws(() => notificationRetryDelayMs(0, 1));
  });
});

describe('project status', () => {
  it('moves forward only; SETTLED and FAILED are final; REPAYING is reached by CONFIRM_LOAN alone', () => {
    assert.deepEqual(Object.fromEntries(BANK_PROJECT_STATUSES.map((status) => [status, modifiableTo(status)])), {
      FUNDRAISING: ['FULLY_FUNDED', 'FAILED'],
      FULLY_FUNDED: ['FUNDRAISING', 'FAILED'],
      REPAYING: ['SETTLED'],
      SETTLED: [],
      FAILED: [],
    });
  });
});

describe('trade password', () => {
  it('is at least 6 and at most 64 characters, hashed with scrypt and checked in constant time', async () => {
    assert.match(tradePasswordProblem('12345') ?? '', /at least 6/);
    assert.match(tradePasswordProblem('x'.repeat(65)) ?? '', /at most 64/);
    assert.equal(tradePasswordProblem('493817'), null);
    const hash = await hashTradePassword('493817');
    assert.match(hash, /^scrypt\$16384\$8\$1\$/);
    assert.ok(await verifyTradePassword('493817', hash));
    assert.ok(!(await verifyTradePassword('4938170', hash)));
    assert.notEqual(await hashTradePassword('493817'), hash, 'salted');
  });

  it('refuses the guesses tried first: one digit repeated, runs, the tail of the card mobile', () => {
    for (const weak of ['000000', '888888', 'aaaaaaa', '123456', '654321', '3456789', '9876543210', 'abcdef']) {
      assert.match(tradePasswordProblem(weak) ?? '', /too easy to guess/, weak);
    }
    assert.match(tradePasswordProblem('562718', ['13800562718']) ?? '', /mobile/);
    assert.match(tradePasswordProblem('13800562718', ['13800562718']) ?? '', /mobile/);
    assert.equal(tradePasswordProblem('562719', ['13800562718']), null);
    for (const fine of ['123457', '112233', 'trade-pass-1', '135790'])
      assert.equal(tradePasswordProblem(fine), null, fine);
  });

  it('locks a form after 3 wrong tries and the user after 5 within the window', () => {
    assert.equal(tradePasswordLock(TRADE_PASSWORD_FORM_TRIES_MAX - 1, TRADE_PASSWORD_ACCOUNT_TRIES_MAX - 1), null);
    assert.equal(tradePasswordLock(TRADE_PASSWORD_FORM_TRIES_MAX, 3), 'FORM');
    assert.equal(tradePasswordLock(0, TRADE_PASSWORD_ACCOUNT_TRIES_MAX), 'ACCOUNT');
    assert.equal(
      tradePasswordLock(TRADE_PASSWORD_FORM_TRIES_MAX, TRADE_PASSWORD_ACCOUNT_TRIES_MAX),
      'FORM',
      'the form names its own lock',
    );
  });
});

describe('ledger refusals', () => {
  const account = (code: StoredAccount['code'], ref: string): StoredAccount => ({
    id: 'a',
    ref,
    code,
    debitsPostedFen: 0n,
    creditsPostedFen: 0n,
    debitsPendingFen: 0n,
    creditsPendingFen: 0n,
    postingSeq: 0n,
  });

  it('a card too low is 30041, a user or escrow account too low is 30042', () => {
    assert.equal(
      outcomeOfLedgerRefusal({ code: 'EXCEEDS_CREDITS', accountId: 'a' }, account('CARD', 'CARD:U1')).code,
      BANK_CODES.CARD_BALANCE_TOO_LOW,
    );
    assert.equal(
      outcomeOfLedgerRefusal({ code: 'EXCEEDS_CREDITS', accountId: 'a' }, account('USER', 'USER:U1')).code,
      BANK_CODES.ACCOUNT_BALANCE_TOO_LOW,
    );
    assert.equal(
      outcomeOfLedgerRefusal({ code: 'EXCEEDS_CREDITS', accountId: 'a' }, account('PROJECT', 'PROJECT:P1')).code,
      BANK_CODES.ACCOUNT_BALANCE_TOO_LOW,
    );
    assert.equal(
      outcomeOfLedgerRefusal({ code: 'INVALID_AMOUNT', transferId: 't' }, null).code,
      BANK_CODES.BAD_PARAMETERS,
    );
  });
});

describe('protocol', () => {
  const platform = pair();
  const stranger = pair();

  it('signs the exact JSON text with its service and platform; a request verifies with the platform key only', () => {
    const envelope = signRequest('QUERY_BALANCE', 'WANXIN', { requestNo: 'R1', userNo: 'U1' }, platform.privateKey);
    const json = decodeData(envelope.reqData)!;
    assert.equal(json, '{"requestNo":"R1","userNo":"U1"}');
    assert.ok(verifyRequest('QUERY_BALANCE', 'WANXIN', json, envelope.signature, platform.publicKey));
    assert.ok(
      verifyJson(signingText('REQUEST', 'QUERY_BALANCE', 'WANXIN', json), envelope.signature, platform.publicKey),
    );
    assert.ok(!verifyRequest('QUERY_BALANCE', 'WANXIN', json, envelope.signature, stranger.publicKey));
    assert.ok(
      !verifyRequest('QUERY_BALANCE', 'WANXIN', json.replace('U1', 'U2'), envelope.signature, platform.publicKey),
    );
    assert.ok(
      !verifyRequest('WITHDRAW', 'WANXIN', json, envelope.signature, platform.publicKey),
      'the service is signed',
    );
    assert.ok(
      !verifyRequest('QUERY_BALANCE', 'OTHER', json, envelope.signature, platform.publicKey),
      'the platform is signed',
    );
    assert.ok(!verifyJson(json, envelope.signature, platform.publicKey), 'the JSON alone is not what is signed');
    assert.ok(!verifyJson(json, 'not base64!', platform.publicKey));
    assert.ok(!verifyJson(json, '', platform.publicKey));
  });

  it('decodes canonical base64 of UTF-8 only', () => {
    assert.equal(decodeData(encodeData('{"a":"王"}')), '{"a":"王"}');
    for (const bad of ['abc', 'ab=c', 'YWJj\n', ' YWJj', 'YW Jj', Buffer.from([0xff, 0xfe]).toString('base64')])
      assert.equal(decodeData(bad), null, JSON.stringify(bad));
  });

  it('opens a signed result only when the bank signed exactly it, as that message type, service and platform', () => {
    const bank = pair();
    const result = {
      requestNo: 'R1',
      code: BANK_CODES.SUCCESS,
      message: 'success',
      userNo: 'U1',
      amountFen: '100',
    } as const;
    const signed = signResult(
      { messageType: 'NOTIFICATION', serviceName: 'RECHARGE', platformNo: 'WANXIN' },
      result,
      bank.privateKey,
    );
    const notification = { messageType: 'NOTIFICATION', platformNo: 'WANXIN' } as const;
    assert.equal(openSignedResult(signed, bank.publicKey, notification).code, BANK_CODES.SUCCESS);
    assert.equal(
      openSignedResult(signed, bank.publicKey, { ...notification, serviceName: 'RECHARGE' }).code,
      BANK_CODES.SUCCESS,
    );
    assert.throws(() => openSignedResult(signed, stranger.publicKey, notification), BankSignatureError);
    assert.throws(
      () =>
        openSignedResult(
          { ...signed, respData: encodeData(JSON.stringify({ ...result, amountFen: '900' })) },
          bank.publicKey,
          notification,
        ),
      BankSignatureError,
    );
    assert.throws(
      () => openSignedResult(signed, bank.publicKey, { ...notification, serviceName: 'WITHDRAW' }),
      BankSignatureError,
      'another service',
    );
    assert.throws(
      () => openSignedResult({ ...signed, serviceName: 'WITHDRAW' }, bank.publicKey, notification),
      BankSignatureError,
      'service relabelled',
    );
    assert.throws(
      () => openSignedResult(signed, bank.publicKey, { messageType: 'RESPONSE', platformNo: 'WANXIN' }),
      BankSignatureError,
      'not a response',
    );
    assert.throws(
      () =>
        openSignedResult({ ...signed, messageType: 'RESPONSE' }, bank.publicKey, {
          messageType: 'RESPONSE',
          platformNo: 'WANXIN',
        }),
      BankSignatureError,
      'relabelled',
    );
    assert.throws(
      () => openSignedResult(signed, bank.publicKey, { ...notification, platformNo: 'OTHER' }),
      BankSignatureError,
      'another platform',
    );
    const response = signResult(
      { messageType: 'RESPONSE', serviceName: 'RECHARGE', platformNo: 'WANXIN' },
      result,
      bank.privateKey,
    );
    assert.throws(
      () => openSignedResult({ ...response, messageType: 'NOTIFICATION' }, bank.publicKey, notification),
      BankSignatureError,
      'a response posted as a notification',
    );
    const notAResult = signResult(
      { messageType: 'NOTIFICATION', serviceName: 'RECHARGE', platformNo: 'WANXIN' },
      { x: 1 } as never,
      bank.privateKey,
    );
    assert.throws(() => openSignedResult(notAResult, bank.publicKey, notification), BankSignatureError);
  });
});
