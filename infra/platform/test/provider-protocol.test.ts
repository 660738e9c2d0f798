// Proves the providers' signed envelope as the platform opens a callback (provider-protocol,
// identity-protocol, risk-protocol): a genuine one opens; altered data, another nonce or instant, a
// foreign key, another message type, a stale instant and a malformed answer are refused, each with its
// code; and the signing primitives the bank protocol shares still verify what they signed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ageInYears, idNumberBirthDate } from '../src';
import { signJson as bankSignJson, verifyJson as bankVerifyJson } from '../src/bank-protocol';
import { IDENTITY_MESSAGE_TYPES, imageKindOf, openIdentityResult } from '../src/identity-protocol';
import { isCanonicalBase64 } from '../src/signing';
import {
  decodeData,
  encodeData,
  MESSAGE_FRESHNESS_MS,
  openRiskAnswer,
  ProviderSignatureError,
  RISK_MESSAGE_TYPES,
  signProviderMessage,
  type RiskAssessmentAnswer,
} from '../src/risk-protocol';

function keyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

const provider = keyPair();
const stranger = keyPair();
const answer: RiskAssessmentAnswer = {
  answerId: 'RSK1',
  applicationId: 'APP1',
  score: 810,
  decision: 'APPROVED',
  limitFen: '16000000',
  assessedAt: '2026-12-04T12:00:00.000Z',
};

function refusedWith(code: string): (error: unknown) => boolean {
  return (error) => error instanceof ProviderSignatureError && error.code === code;
}

test('a genuine answer opens, with its nonce for the replay check', () => {
  const envelope = signProviderMessage(RISK_MESSAGE_TYPES.answer, answer, provider.privateKeyPem);
  const opened = openRiskAnswer(envelope, provider.publicKeyPem);
  assert.deepEqual(opened.answer, answer);
  assert.equal(opened.nonce, envelope.nonce);
});

test('altered data, nonce or instant, a foreign key or another type is refused BAD_SIGNATURE', () => {
  const envelope = signProviderMessage(RISK_MESSAGE_TYPES.answer, answer, provider.privateKeyPem);
  const forged = [
    { ...envelope, data: encodeData(JSON.stringify({ ...answer, limitFen: '50000000' })) },
    { ...envelope, nonce: `${envelope.nonce}A` },
    { ...envelope, sentAt: new Date(Date.parse(envelope.sentAt) + 1).toISOString() },
    { ...envelope, signature: '' },
    signProviderMessage(RISK_MESSAGE_TYPES.answer, answer, stranger.privateKeyPem),
    signProviderMessage(IDENTITY_MESSAGE_TYPES.result, answer, provider.privateKeyPem),
    { ...answer },
    null,
  ];
  for (const candidate of forged) {
    assert.throws(() => openRiskAnswer(candidate, provider.publicKeyPem), refusedWith('BAD_SIGNATURE'));
  }
});

test('an answer signed outside the freshness window is refused STALE', () => {
  const now = new Date('2026-12-04T12:00:00.000Z');
  for (const offsetMs of [-MESSAGE_FRESHNESS_MS - 1, MESSAGE_FRESHNESS_MS + 1]) {
    const sentAt = new Date(now.getTime() + offsetMs);
    const envelope = signProviderMessage(RISK_MESSAGE_TYPES.answer, answer, provider.privateKeyPem, { sentAt });
    assert.throws(() => openRiskAnswer(envelope, provider.publicKeyPem, now), refusedWith('STALE'));
  }
  const edge = new Date(now.getTime() - MESSAGE_FRESHNESS_MS);
  const fresh = signProviderMessage(RISK_MESSAGE_TYPES.answer, answer, provider.privateKeyPem, { sentAt: edge });
  assert.equal(openRiskAnswer(fresh, provider.publicKeyPem, now).answer.answerId, 'RSK1');
});

test('a signed message that is not an answer or a result is refused BAD_REQUEST', () => {
  for (const data of [
    { ...answer, score: 901 },
    { ...answer, limitFen: 16000000 },
    { ...answer, decision: 'MAYBE' },
  ]) {
    const envelope = signProviderMessage(RISK_MESSAGE_TYPES.answer, data, provider.privateKeyPem);
    assert.throws(() => openRiskAnswer(envelope, provider.publicKeyPem), refusedWith('BAD_REQUEST'));
  }
  const result = { reference: 'IDV1', requestId: 'R1', status: 'VERIFIED', reason: null, decidedAt: answer.assessedAt };
  const sign = (data: object) => signProviderMessage(IDENTITY_MESSAGE_TYPES.result, data, provider.privateKeyPem);
  assert.deepEqual(openIdentityResult(sign(result), provider.publicKeyPem).result, result);
  for (const data of [
    { ...result, reason: 'FACE_MISMATCH' },
    { ...result, status: 'REJECTED' },
    { ...result, status: 'REJECTED', reason: 'SOMETHING' },
  ]) {
    assert.throws(() => openIdentityResult(sign(data), provider.publicKeyPem), refusedWith('BAD_REQUEST'));
  }
});

test('the signing primitives the bank protocol re-exports verify exactly what they signed', () => {
  const signature = bankSignJson('{"a":1}', provider.privateKeyPem);
  assert.equal(bankVerifyJson('{"a":1}', signature, provider.publicKeyPem), true);
  assert.equal(bankVerifyJson('{"a":2}', signature, provider.publicKeyPem), false);
  assert.equal(bankVerifyJson('{"a":1}', signature, stranger.publicKeyPem), false);
});

test('images are told apart by their magic bytes', () => {
  assert.equal(imageKindOf(Buffer.from([0xff, 0xd8, 0xff, 0xdb])), 'JPEG');
  assert.equal(imageKindOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'PNG');
  assert.equal(imageKindOf(Buffer.from('GIF89a')), null);
  assert.equal(imageKindOf(Buffer.alloc(0)), null);
});

test('the age an ID number states counts whole years from the birthday', () => {
  const birth = idNumberBirthDate('110105200812050018');
  assert.equal(birth.toISOString(), '2008-12-05T00:00:00.000Z');
  assert.equal(ageInYears(birth, new Date('2026-12-04T23:59:59.999Z')), 17);
  assert.equal(ageInYears(birth, new Date('2026-12-05T00:00:00.000Z')), 18);
  assert.equal(ageInYears(idNumberBirthDate('110105200002290011'), new Date('2018-02-28T00:00:00Z')), 17);
  assert.equal(ageInYears(idNumberBirthDate('110105200002290011'), new Date('2018-03-01T00:00:00Z')), 18);
});

test('megabytes of base64 (an identity request with three photographs) are read, not a stack overflow', () => {
  const photographs = Buffer.alloc(6 * 1024 * 1024 + 1, 'a').toString('base64');
  const data = encodeData(JSON.stringify({ photographs }));
  assert.ok(isCanonicalBase64(data) && data.length > 8 * 1024 * 1024);
  assert.equal(decodeData(data), JSON.stringify({ photographs }));
  for (const canonical of ['', 'abcd', 'ab==', 'abc=']) assert.ok(isCanonicalBase64(canonical), canonical);
  for (const malformed of ['abc', 'a===', 'ab=c', '=abc', 'ab==abcd', 'abc!']) {
    assert.ok(!isCanonicalBase64(malformed), malformed);
  }
});
