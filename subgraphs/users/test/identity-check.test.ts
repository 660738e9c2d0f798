// Proves the identity-check rules: real names by length and characters; ID numbers by checksum and by the
// holder's age (18–70 on the business date, birthdays counted to the day); the three photographs decoded
// strictly (malformed base64, empty, not JPEG/PNG by magic bytes, over 2 MiB decoded, all refused by field)
// and reduced to their SHA-256; and the check's status settled once by the provider's callback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ageInYears, idNumberCheckCharacter, isClientError } from '@wanxin/platform';
import { UserErrors } from '../src/domain/errors';
import {
  checkIdentityInput,
  decodeIdentityImage,
  IDENTITY_CHECKS_PER_USER_MAX,
  IDENTITY_IMAGE_BASE64_LENGTH_MAX,
  IDENTITY_IMAGE_BYTES_MAX,
  IDENTITY_IMAGE_FIELDS,
  identityCallbackOutcome,
  identityStartRefusal,
  realNameProblem,
  type IdentityInput,
} from '../src/domain/identity-check';

const BUSINESS_DATE = '2026-11-22';

/** Whole years between two YYYY-MM-DD days, by the platform's count the identity check uses. */
const yearsBetween = (birthDate: string, businessDate: string): number =>
  ageInYears(new Date(`${birthDate}T00:00:00.000Z`), new Date(`${businessDate}T00:00:00.000Z`));
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);

/** A valid ID number of someone born on `birthDate` (YYYYMMDD), registered in Beijing's Dongcheng district. */
function idNumberBornOn(birthDate: string, sequence = '123'): string {
  const first17 = `110101${birthDate}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

const VALID: IdentityInput = {
  realName: '王小明',
  idNumber: idNumberBornOn('19900307'),
  idFrontImage: JPEG.toString('base64'),
  idBackImage: Buffer.concat([JPEG, Buffer.from('back')]).toString('base64'),
  faceImage: PNG.toString('base64'),
};

function problemOf(input: IdentityInput): { field: string; reason: string } | null {
  const result = checkIdentityInput(input, BUSINESS_DATE);
  return result.ok ? null : result.problem;
}

test('a valid input yields the canonical ID number, its birth date and each image hash, and no image is lost', () => {
  const result = checkIdentityInput(VALID, BUSINESS_DATE);
  assert.ok(result.ok);
  assert.equal(result.identity.idNumber, VALID.idNumber);
  assert.equal(result.identity.birthDate, '1990-03-07');
  assert.equal(result.identity.images.idFrontImage.format, 'JPEG');
  assert.equal(result.identity.images.faceImage.format, 'PNG');
  for (const field of IDENTITY_IMAGE_FIELDS) {
    const bytes = Buffer.from(VALID[field], 'base64');
    assert.deepEqual(result.identity.images[field].bytes, bytes);
    assert.equal(result.identity.images[field].sha256Hex, createHash('sha256').update(bytes).digest('hex'));
  }
});

test('a lower-case x check character is accepted and stored upper-case', () => {
  // Find a birth date whose check character is X.
  const sequences = Array.from({ length: 1000 }, (_, index) => index.toString().padStart(3, '0'));
  const idNumber = sequences.map((sequence) => idNumberBornOn('19900307', sequence)).find((id) => id.endsWith('X'));
  assert.ok(idNumber !== undefined);
  const result = checkIdentityInput({ ...VALID, idNumber: idNumber.replace('X', 'x') }, BUSINESS_DATE);
  assert.ok(result.ok);
  assert.equal(result.identity.idNumber, idNumber);
});

test('real names: 2 to 50 letters of any script, a middle dot or single spaces between them', () => {
  for (const name of ['王小明', '欧阳娜娜', '买买提·艾力', 'Li Lei', '阿依古丽', '李']) {
    const problem = realNameProblem(name);
    if (name === '李') assert.match(problem ?? '', /at least 2/);
    else assert.equal(problem, null, name);
  }
  for (const name of [
    '',
    ' 王小明',
    '王小明 ',
    '王  明',
    '王1明',
    '王<b>',
    '王\u0000明',
    '·王',
    '王·',
    '汉'.repeat(51),
  ]) {
    assert.notEqual(realNameProblem(name), null, JSON.stringify(name));
    assert.equal(problemOf({ ...VALID, realName: name })?.field, 'realName', JSON.stringify(name));
  }
});

test('a wrong check character, a bad birth date or a wrong length is refused on idNumber', () => {
  const good = VALID.idNumber;
  const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  for (const idNumber of [
    wrongCheck,
    good.slice(0, 17),
    `${good}0`,
    idNumberBornOn('19900230'),
    'ABCDEFGHIJKLMNOPQR',
  ]) {
    assert.equal(problemOf({ ...VALID, idNumber })?.field, 'idNumber', idNumber);
  }
});

test('age is counted in whole years to the day: 18 on the 18th birthday, refused after the 71st', () => {
  const cases: [birth: string, accepted: boolean][] = [
    ['20081122', true], // 18 today
    ['20081123', false], // 18 tomorrow
    ['19551123', true], // 70, 71 tomorrow
    ['19551122', false], // 71 today
    ['20300101', false], // not born yet
  ];
  for (const [birth, accepted] of cases) {
    const problem = problemOf({ ...VALID, idNumber: idNumberBornOn(birth) });
    if (accepted) assert.equal(problem, null, birth);
    else assert.equal(problem?.field, 'idNumber', birth);
  }
  assert.equal(yearsBetween('2008-02-29', '2026-02-28'), 17);
  assert.equal(yearsBetween('2008-02-29', '2026-03-01'), 18);
});

test('age in years agrees with adding years to the birth date (property)', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31') }),
      fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31') }),
      (birth, today) => {
        const birthDate = birth.toISOString().slice(0, 10);
        const businessDate = today.toISOString().slice(0, 10);
        const age = yearsBetween(birthDate, businessDate);
        // The anniversary of age `age` is on or before today, the next one after it.
        const anniversary = (years: number) =>
          `${(Number(birthDate.slice(0, 4)) + years).toString().padStart(4, '0')}${birthDate.slice(4)}`;
        assert.ok(anniversary(age) <= businessDate);
        assert.ok(anniversary(age + 1) > businessDate);
      },
    ),
  );
});

test('images: empty, malformed base64, not JPEG/PNG, or over 2 MiB decoded are refused by field', () => {
  const jpeg = VALID.idFrontImage;
  assert.ok(jpeg.endsWith('==') && jpeg.includes('/'), 'the sample has padding and a "/" to spoil');
  const malformed = [
    'not base64!',
    `${jpeg}\n`,
    `data:image/jpeg;base64,${jpeg}`,
    jpeg.replace(/=+$/, ''),
    jpeg.replace(/\//g, '_'),
    `${jpeg}x`,
  ];
  const gif = Buffer.from('GIF89a').toString('base64');
  const tooLarge = Buffer.concat([JPEG, Buffer.alloc(IDENTITY_IMAGE_BYTES_MAX - JPEG.length + 1)]).toString('base64');
  for (const field of IDENTITY_IMAGE_FIELDS) {
    for (const value of ['', ...malformed, gif, Buffer.from([0xff, 0xd8]).toString('base64'), tooLarge]) {
      const problem = problemOf({ ...VALID, [field]: value });
      assert.equal(problem?.field, field, `${field} = ${value.slice(0, 40)}`);
    }
  }
  assert.match(problemOf({ ...VALID, faceImage: '' })?.reason ?? '', /empty/);
  assert.match(problemOf({ ...VALID, faceImage: gif })?.reason ?? '', /JPEG or PNG/);
  assert.match(problemOf({ ...VALID, faceImage: tooLarge })?.reason ?? '', /larger than 2097152 bytes/);
  assert.match(problemOf({ ...VALID, faceImage: 'not base64!' })?.reason ?? '', /not base64/);
});

test('an image of exactly 2 MiB is accepted; a text longer than 2 MiB could encode is refused undecoded', () => {
  const largest = Buffer.concat([PNG, Buffer.alloc(IDENTITY_IMAGE_BYTES_MAX - PNG.length)]);
  const decoded = decodeIdentityImage(largest.toString('base64'));
  assert.ok(decoded.ok);
  assert.equal(decoded.image.bytes.length, IDENTITY_IMAGE_BYTES_MAX);
  const refused = decodeIdentityImage('A'.repeat(IDENTITY_IMAGE_BASE64_LENGTH_MAX + 4));
  assert.ok(!refused.ok);
  assert.match(refused.reason, /larger than/);
});

test('any bytes that start with a JPEG or PNG signature round-trip and hash (property)', () => {
  fc.assert(
    fc.property(fc.constantFrom(JPEG, PNG), fc.uint8Array({ maxLength: 64 }), (magic, tail) => {
      const bytes = Buffer.concat([magic, tail]);
      const decoded = decodeIdentityImage(bytes.toString('base64'));
      assert.ok(decoded.ok);
      assert.deepEqual(decoded.image.bytes, bytes);
      assert.equal(decoded.image.sha256Hex, createHash('sha256').update(bytes).digest('hex'));
    }),
  );
});

test('a callback settles a PENDING check once; the same verdict again is a duplicate, another contradicts', () => {
  assert.deepEqual(identityCallbackOutcome('PENDING', 'VERIFIED'), { kind: 'SETTLE', status: 'VERIFIED' });
  assert.deepEqual(identityCallbackOutcome('PENDING', 'REJECTED'), { kind: 'SETTLE', status: 'REJECTED' });
  assert.deepEqual(identityCallbackOutcome('VERIFIED', 'VERIFIED'), { kind: 'DUPLICATE' });
  assert.deepEqual(identityCallbackOutcome('REJECTED', 'REJECTED'), { kind: 'DUPLICATE' });
  assert.deepEqual(identityCallbackOutcome('VERIFIED', 'REJECTED'), { kind: 'CONTRADICTED', settled: 'VERIFIED' });
  assert.deepEqual(identityCallbackOutcome('REJECTED', 'VERIFIED'), { kind: 'CONTRADICTED', settled: 'REJECTED' });
});

test('a new check starts after none or a rejection, up to the bound; each refusal is a CONFLICT', () => {
  assert.equal(identityStartRefusal(null, 0), null);
  assert.equal(identityStartRefusal('REJECTED', 1), null);
  assert.deepEqual(identityStartRefusal('PENDING', 1), { rule: 'CHECK_IN_PROGRESS' });
  assert.deepEqual(identityStartRefusal('VERIFIED', 2), { rule: 'ALREADY_VERIFIED' });
  assert.deepEqual(identityStartRefusal('REJECTED', IDENTITY_CHECKS_PER_USER_MAX), {
    rule: 'TOO_MANY_CHECKS',
    checksMax: IDENTITY_CHECKS_PER_USER_MAX,
  });
  assert.throws(() => identityStartRefusal(null, 1), /latest check/);
  for (const refusal of [
    { rule: 'CHECK_IN_PROGRESS' as const },
    { rule: 'ALREADY_VERIFIED' as const },
    { rule: 'TOO_MANY_CHECKS' as const, checksMax: 5 },
  ]) {
    assert.ok(isClientError(UserErrors.identityStartRefused(refusal), 'CONFLICT'), refusal.rule);
  }
});
