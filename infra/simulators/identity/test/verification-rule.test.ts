// Proves the identity simulator's documented decision rule (domain/verification-rule.ts): each reason
// in its order, the age bounds on the decision day, and that everything else is VERIFIED.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideVerification, VERIFIED_AGE_MAX, VERIFIED_AGE_MIN, type VerificationInput } from '../src';
import { idNumberOf, jpegImage, pngImage } from '../src/testing';

const ON = new Date('2026-12-04T12:00:00.000Z');

function input(overrides: Partial<VerificationInput> = {}): VerificationInput {
  return {
    realName: '王小明',
    idNumber: idNumberOf('19900101', '123'),
    idFrontImage: jpegImage('front'),
    idBackImage: jpegImage('back'),
    faceImage: pngImage('face'),
    ...overrides,
  };
}

test('a well-formed adult with three distinct images is VERIFIED', () => {
  assert.deepEqual(decideVerification(input(), ON), { status: 'VERIFIED', reason: null });
});

test('each failed check is REJECTED with its reason', () => {
  const goodNumber = idNumberOf('19900101', '123');
  const badChecksum = goodNumber.slice(0, 17) + (goodNumber[17] === '0' ? '1' : '0');
  const cases: [Partial<VerificationInput>, string][] = [
    [{ realName: ' 王小明' }, 'NAME_INVALID'],
    [{ realName: '' }, 'NAME_INVALID'],
    [{ idNumber: badChecksum }, 'ID_NUMBER_INVALID'],
    [{ idNumber: '11010519900230123X' }, 'ID_NUMBER_INVALID'],
    [{ idNumber: idNumberOf('19900101', '999') }, 'ID_NUMBER_UNKNOWN'],
    [{ idNumber: idNumberOf('20081205', '123') }, 'AGE_OUT_OF_RANGE'],
    [{ idNumber: idNumberOf('19550101', '123') }, 'AGE_OUT_OF_RANGE'],
    [{ idBackImage: Buffer.from('GIF89a') }, 'IMAGE_UNREADABLE'],
    [{ faceImage: Buffer.alloc(0) }, 'IMAGE_UNREADABLE'],
    [{ faceImage: jpegImage('front') }, 'FACE_MISMATCH'],
  ];
  for (const [overrides, reason] of cases) {
    assert.deepEqual(decideVerification(input(overrides), ON), { status: 'REJECTED', reason }, reason);
  }
});

test('the first failed check in the documented order is the reason', () => {
  const everythingWrong = input({ idNumber: idNumberOf('20200101', '999'), faceImage: jpegImage('front') });
  assert.equal(decideVerification(everythingWrong, ON).reason, 'ID_NUMBER_UNKNOWN');
  assert.equal(decideVerification({ ...everythingWrong, realName: '' }, ON).reason, 'NAME_INVALID');
});

test('ages 18 and 70 on the decision day are inside, a day short of 18 and 71 are outside', () => {
  const eighteenToday = idNumberOf(`${2026 - VERIFIED_AGE_MIN}1204`, '123');
  const eighteenTomorrow = idNumberOf(`${2026 - VERIFIED_AGE_MIN}1205`, '123');
  const seventyOneTomorrow = idNumberOf(`${2026 - VERIFIED_AGE_MAX - 1}1205`, '123');
  const seventyOneToday = idNumberOf(`${2026 - VERIFIED_AGE_MAX - 1}1204`, '123');
  assert.equal(decideVerification(input({ idNumber: eighteenToday }), ON).status, 'VERIFIED');
  assert.equal(decideVerification(input({ idNumber: eighteenTomorrow }), ON).reason, 'AGE_OUT_OF_RANGE');
  assert.equal(decideVerification(input({ idNumber: seventyOneTomorrow }), ON).status, 'VERIFIED');
  assert.equal(decideVerification(input({ idNumber: seventyOneToday }), ON).reason, 'AGE_OUT_OF_RANGE');
});
