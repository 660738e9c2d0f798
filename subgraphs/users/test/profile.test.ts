// Proves the profile rules: each field refused with its own name (lengths, email, mobile format, income
// bounds, 1–2 distinct contacts who are not the user), completeness follows the same rules, and others
// see contacts masked the way the platform masks a user's own mobile and name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isClientError, maskMobile, maskName } from '@wanxin/platform';
import { UserErrors } from '../src/domain/errors';
import {
  EMAIL_LENGTH_MAX,
  emergencyContactsAsSeen,
  isProfileComplete,
  MONTHLY_INCOME_MAX_FEN,
  PROFILE_TEXT_LENGTH_MAX,
  profileProblem,
  type ProfileInput,
} from '../src/domain/profile';

const OWN_MOBILE = '13800000000';
const VALID: ProfileInput = {
  education: '本科',
  address: '北京市海淀区中关村大街1号',
  email: 'li.lei@example.com',
  employer: '万信科技',
  position: '工程师',
  monthlyIncomeFen: 1_500_000n,
  emergencyContacts: [
    { name: '韩梅梅', relation: '配偶', mobile: '13900000001' },
    { name: '李明', relation: '父亲', mobile: '13700000002' },
  ],
};

function fieldOf(input: ProfileInput): string | undefined {
  return profileProblem(input, OWN_MOBILE)?.field;
}

test('a full profile with one or two contacts is accepted and complete', () => {
  assert.equal(profileProblem(VALID, OWN_MOBILE), null);
  assert.ok(isProfileComplete(VALID, OWN_MOBILE));
  const oneContact = { ...VALID, emergencyContacts: VALID.emergencyContacts.slice(0, 1) };
  assert.equal(profileProblem(oneContact, OWN_MOBILE), null);
  assert.ok(!isProfileComplete(null, OWN_MOBILE));
});

test('each free-text field is refused by name when empty, padded, too long or holding control characters', () => {
  for (const field of ['education', 'address', 'employer', 'position'] as const) {
    const lengthMax = PROFILE_TEXT_LENGTH_MAX[field];
    for (const value of ['', '   ', ' 本科', '本科 ', 'a\u0000b', 'x'.repeat(lengthMax + 1)]) {
      assert.equal(fieldOf({ ...VALID, [field]: value }), field, `${field} = ${JSON.stringify(value)}`);
    }
    // Length counts characters, not UTF-16 units: lengthMax 汉字 or emoji are accepted.
    assert.equal(fieldOf({ ...VALID, [field]: '汉'.repeat(lengthMax) }), undefined);
    assert.equal(fieldOf({ ...VALID, [field]: '😀'.repeat(lengthMax) }), undefined);
  }
});

test('emails need one @, a dotted domain and no spaces, at most 254 characters', () => {
  for (const email of ['a@b.cn', 'first.last+tag@mail.example.com'])
    assert.equal(fieldOf({ ...VALID, email }), undefined);
  for (const email of ['', 'plain', 'a@b', '@b.cn', 'a@.cn', 'a@b.', 'a b@c.cn', 'a@@b.cn', 'a@b..cn']) {
    assert.equal(fieldOf({ ...VALID, email }), 'email', email);
  }
  const longest = `${'a'.repeat(EMAIL_LENGTH_MAX - 7)}@b.c.cn`;
  assert.equal(longest.length, EMAIL_LENGTH_MAX);
  assert.equal(fieldOf({ ...VALID, email: longest }), undefined);
  assert.equal(fieldOf({ ...VALID, email: `a${longest}` }), 'email');
});

test('income is 0 to the named maximum, in fen', () => {
  assert.equal(fieldOf({ ...VALID, monthlyIncomeFen: 0n }), undefined);
  assert.equal(fieldOf({ ...VALID, monthlyIncomeFen: MONTHLY_INCOME_MAX_FEN }), undefined);
  assert.equal(fieldOf({ ...VALID, monthlyIncomeFen: -1n }), 'monthlyIncome');
  assert.equal(fieldOf({ ...VALID, monthlyIncomeFen: MONTHLY_INCOME_MAX_FEN + 1n }), 'monthlyIncome');
});

test('contacts: 1 or 2, each field checked by its path, mainland mobiles, distinct and not the user', () => {
  const [first, second] = VALID.emergencyContacts;
  const withContacts = (...emergencyContacts: ProfileInput['emergencyContacts']) => ({ ...VALID, emergencyContacts });
  assert.equal(fieldOf(withContacts()), 'emergencyContacts');
  assert.equal(fieldOf(withContacts(first, second, { ...first, mobile: '13600000003' })), 'emergencyContacts');
  assert.equal(fieldOf(withContacts(first, { ...second, name: '' })), 'emergencyContacts[1].name');
  assert.equal(fieldOf(withContacts({ ...first, relation: 'x'.repeat(21) })), 'emergencyContacts[0].relation');
  for (const mobile of ['1380000000', '12800000000', '+8613900000001', '139 0000 0001', '']) {
    assert.equal(fieldOf(withContacts(first, { ...second, mobile })), 'emergencyContacts[1].mobile', mobile);
  }
  assert.equal(fieldOf(withContacts({ ...first, mobile: OWN_MOBILE })), 'emergencyContacts[0].mobile');
  assert.equal(fieldOf(withContacts(first, { ...second, mobile: first.mobile })), 'emergencyContacts[1].mobile');
});

test('a stored profile that breaks a rule is not complete', () => {
  assert.ok(!isProfileComplete({ ...VALID, emergencyContacts: [] }, OWN_MOBILE));
  assert.ok(!isProfileComplete({ ...VALID, email: 'nope' }, OWN_MOBILE));
});

test('a problem becomes BAD_USER_INPUT naming the field', () => {
  const problem = profileProblem({ ...VALID, email: 'nope' }, OWN_MOBILE);
  assert.ok(problem !== null);
  const error = UserErrors.invalidField(problem);
  assert.ok(isClientError(error, 'BAD_USER_INPUT'));
  assert.equal(error.extensions.field, 'email');
});

test('contacts are masked for others exactly as the platform masks mobiles and names, and shown to the owner', () => {
  assert.deepEqual(emergencyContactsAsSeen(VALID.emergencyContacts, false), [
    { name: '韩**', relation: '配偶', mobile: '139****0001' },
    { name: '李*', relation: '父亲', mobile: '137****0002' },
  ]);
  assert.equal(emergencyContactsAsSeen(VALID.emergencyContacts, true), VALID.emergencyContacts);
  const mobileArbitrary = fc.stringMatching(/^1[3-9][0-9]{9}$/);
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 50 }), mobileArbitrary, (name, mobile) => {
      const [seen] = emergencyContactsAsSeen([{ name, relation: '朋友', mobile }], false);
      assert.equal(seen.mobile, maskMobile(mobile));
      assert.equal(seen.name, maskName(name));
      assert.equal(seen.mobile.slice(3, 7), '****');
    }),
  );
});
