// Proves the users domain rules: mobile and password formats, the lock and address windows, and scrypt
// hashes that verify only the right password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_THROTTLE_LIMITS,
  isLocked,
  isValidMobile,
  lockedUntilAfter,
  passwordProblem,
  windowClosedAtOrBefore,
  windowEnd,
} from '../src/domain/account-rules';
import { hashPassword, verifyPassword } from '../src/domain/password';

test('accepts 11-digit mainland mobiles only', () => {
  for (const mobile of ['13800000000', '19912345678', '15011112222']) assert.ok(isValidMobile(mobile), mobile);
  for (const mobile of [
    '',
    '1380000000',
    '138000000000',
    '12800000000',
    '23800000000',
    '+8613800000000',
    '138 0000 000',
    '1380000000a',
  ]) {
    assert.ok(!isValidMobile(mobile), mobile);
  }
});

test('passwords need 8 to 64 characters with a letter and a digit', () => {
  assert.equal(passwordProblem('abc12345'), null);
  assert.match(passwordProblem('abc1234') ?? '', /at least 8/);
  assert.match(passwordProblem(`a1${'x'.repeat(63)}`) ?? '', /at most 64/);
  assert.match(passwordProblem('abcdefgh') ?? '', /letter and a digit/);
  assert.match(passwordProblem('12345678') ?? '', /letter and a digit/);
});

test('production defaults: 5 guesses per account and 20 per address per 15 minutes, 10 registrations an hour', () => {
  const fifteenMinutesMs = 15 * 60 * 1000;
  assert.deepEqual(DEFAULT_THROTTLE_LIMITS, {
    accountLogin: { failuresMax: 5, lockMs: fifteenMinutesMs },
    addressLogin: { attemptsMax: 20, windowMs: fifteenMinutesMs },
    addressRegister: { attemptsMax: 10, windowMs: 60 * 60 * 1000 },
  });
});

test('a lock lasts its time to the millisecond', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  const lockMs = DEFAULT_THROTTLE_LIMITS.accountLogin.lockMs;
  const until = lockedUntilAfter(now, lockMs);
  assert.equal(until.getTime(), now.getTime() + lockMs);
  assert.ok(isLocked(until, new Date(now.getTime() + lockMs - 1)));
  assert.ok(!isLocked(until, new Date(now.getTime() + lockMs)));
  assert.ok(!isLocked(null, now));
  assert.throws(() => lockedUntilAfter(now, 0));
});

test('an address window counts until windowMs after it started, and has ended from then on', () => {
  const limit = DEFAULT_THROTTLE_LIMITS.addressLogin;
  const start = new Date('2026-11-22T00:00:00Z');
  assert.equal(windowEnd(start, limit).getTime(), start.getTime() + limit.windowMs);
  const justBeforeEnd = new Date(start.getTime() + limit.windowMs - 1);
  assert.ok(start.getTime() > windowClosedAtOrBefore(justBeforeEnd, limit).getTime(), 'still counting');
  const atEnd = new Date(start.getTime() + limit.windowMs);
  assert.ok(start.getTime() <= windowClosedAtOrBefore(atEnd, limit).getTime(), 'ended');
});

test('scrypt hashes verify the right password only and are salted', async () => {
  const first = await hashPassword('correct horse 1');
  const second = await hashPassword('correct horse 1');
  assert.notEqual(first, second);
  assert.match(first, /^scrypt\$16384\$8\$1\$/);
  assert.ok(await verifyPassword('correct horse 1', first));
  assert.ok(await verifyPassword('correct horse 1', second));
  assert.ok(!(await verifyPassword('correct horse 2', first)));
  assert.ok(!(await verifyPassword('', first)));
});
